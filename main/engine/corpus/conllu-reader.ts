// CoNLL-U: one token per row of 10 tab-separated columns (ID FORM LEMMA UPOS XPOS FEATS
// HEAD DEPREL DEPS MISC), sentences separated by blank lines, '#' comment lines.
// Multiword-token ranges (1-2) and empty nodes (1.1) are skipped: the rows of the
// syntactic words carry the text the model sees.
import { UserError } from '../errors';

export interface ConlluToken {
  form: string;
  upos: string;
  xpos: string;
  feats: string;
}

const WORD_ID = /^[1-9]\d*$/;
const SKIPPED_ID = /^[1-9]\d*(?:-[1-9]\d*|\.[1-9]\d*)$/;

/** Parses one non-comment, non-blank row: a token, or null for a skipped row. */
export function parseConlluRow(line: string, file: string, lineNo: number): ConlluToken | null {
  const cols = line.split('\t');
  if (cols.length !== 10) {
    throw new UserError(`${file}, line ${lineNo}: CoNLL-U row has ${cols.length} tab-separated columns, expected 10`);
  }
  const id = cols[0];
  if (SKIPPED_ID.test(id)) return null;
  if (!WORD_ID.test(id)) throw new UserError(`${file}, line ${lineNo}: CoNLL-U ID '${id}' is not a word index`);
  if (cols[1] === '') throw new UserError(`${file}, line ${lineNo}: CoNLL-U FORM is empty`);
  // FORM may contain spaces in UD; tokens on disk are space-separated, so they become '_'.
  return { form: cols[1].replace(/\s/g, '_'), upos: tagColumn(cols[3]), xpos: tagColumn(cols[4]), feats: cols[5] };
}

/**
 * A UPOS or XPOS value as stored: tags on disk are space-separated (tag files, lexicon.tsv),
 * so inner whitespace becomes '_', and an empty or blank value is CoNLL-U's '_' (unspecified).
 */
export function tagColumn(value: string): string {
  const t = value.trim();
  return t === '' ? '_' : t.replace(/\s/g, '_');
}

/** Collects rows into sentences; feed lines in order, then call end(). */
export class ConlluSentenceReader {
  private tokens: ConlluToken[] = [];
  constructor(private readonly file: string) {}

  /** Returns a finished sentence when `line` closes one. */
  push(line: string, lineNo: number): ConlluToken[] | null {
    if (line.trim() === '') return this.take();
    if (line.startsWith('#')) return null;
    const tok = parseConlluRow(line, this.file, lineNo);
    if (tok) this.tokens.push(tok);
    return null;
  }

  end(): ConlluToken[] | null {
    return this.take();
  }

  private take(): ConlluToken[] | null {
    if (this.tokens.length === 0) return null;
    const s = this.tokens;
    this.tokens = [];
    return s;
  }
}
