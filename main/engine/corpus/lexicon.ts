// The lexicon: for every word type (preprocessed form) its token count per split and its
// tag counts over the whole corpus. Stored as lexicon.tsv, UTF-8, one type per line:
//
//   word <TAB> total <TAB> train <TAB> valid <TAB> test <TAB> fine tags <TAB> universal tags
//
// after one header line. Tag fields are space-separated `tag=count` pairs, split at the
// last '=' (fine tags may contain '=' as in 'NOUN|Number=Sing'); empty when untagged.
// Lines are ordered by total count (descending), then by word.
import { SPLIT_NAMES, type SplitName, type UniversalTag } from '../../../shared/schemas/corpus';
import { UserError } from '../errors';
import { writeFileAtomic } from '../project/atomic-write';
import { readLineBatches } from './text-lines';

export const LEXICON_HEADER = 'word\ttotal\ttrain\tvalid\ttest\tfine\tuniversal';

export interface LexiconEntry {
  /** Token counts in train, valid, test. */
  counts: [number, number, number];
  fine: Map<string, number>;
  universal: Map<string, number>;
}

export type Lexicon = Map<string, LexiconEntry>;

const SPLIT_INDEX: Record<SplitName, 0 | 1 | 2> = { train: 0, valid: 1, test: 2 };

export function splitIndex(split: SplitName): 0 | 1 | 2 {
  return SPLIT_INDEX[split];
}

function entryOf(lex: Lexicon, word: string): LexiconEntry {
  let e = lex.get(word);
  if (!e) {
    e = { counts: [0, 0, 0], fine: new Map(), universal: new Map() };
    lex.set(word, e);
  }
  return e;
}

function bump(m: Map<string, number>, key: string): void {
  m.set(key, (m.get(key) ?? 0) + 1);
}

/** Counts one token. */
export function addToken(
  lex: Lexicon,
  split: SplitName,
  word: string,
  fine: string | null,
  universal: UniversalTag | null,
): void {
  const e = entryOf(lex, word);
  e.counts[SPLIT_INDEX[split]] += 1;
  if (fine !== null) bump(e.fine, fine);
  if (universal !== null) bump(e.universal, universal);
}

export const totalCount = (e: LexiconEntry): number => e.counts[0] + e.counts[1] + e.counts[2];

function formatTagCounts(m: Map<string, number>): string {
  return [...m.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([t, n]) => `${t}=${n}`)
    .join(' ');
}

/** Words in lexicon order: most frequent first, ties by code-unit order of the word. */
export function sortedWords(lex: Lexicon): string[] {
  const totals = new Map<string, number>();
  for (const [w, e] of lex) totals.set(w, totalCount(e));
  return [...lex.keys()].sort((a, b) => totals.get(b)! - totals.get(a)! || (a < b ? -1 : a > b ? 1 : 0));
}

export function formatLexicon(lex: Lexicon): string {
  const lines = [LEXICON_HEADER];
  for (const w of sortedWords(lex)) {
    const e = lex.get(w)!;
    lines.push([w, totalCount(e), ...e.counts, formatTagCounts(e.fine), formatTagCounts(e.universal)].join('\t'));
  }
  return lines.join('\n') + '\n';
}

export async function writeLexicon(file: string, lex: Lexicon): Promise<void> {
  await writeFileAtomic(file, formatLexicon(lex));
}

function parseTagCounts(field: string, where: string): Map<string, number> {
  const m = new Map<string, number>();
  if (field === '') return m;
  for (const pair of field.split(' ')) {
    const eq = pair.lastIndexOf('=');
    const n = Number(pair.slice(eq + 1));
    if (eq <= 0 || !Number.isInteger(n) || n < 0) throw new UserError(`${where}: bad tag count '${pair}'`);
    m.set(pair.slice(0, eq), n);
  }
  return m;
}

function parseCount(s: string, where: string): number {
  const n = Number(s);
  if (s === '' || !Number.isInteger(n) || n < 0) throw new UserError(`${where}: bad count '${s}'`);
  return n;
}

export async function readLexicon(file: string): Promise<Lexicon> {
  const lex: Lexicon = new Map();
  let sawHeader = false;
  for await (const batch of readLineBatches(file)) {
    batch.lines.forEach((line, i) => {
      const lineNo = batch.firstLine + i;
      const where = `${file}, line ${lineNo}`;
      if (lineNo === 1) {
        if (line !== LEXICON_HEADER) throw new UserError(`${where}: not a Mnemoscope lexicon (unexpected header)`);
        sawHeader = true;
        return;
      }
      if (line === '') return;
      const cols = line.split('\t');
      if (cols.length !== 7) throw new UserError(`${where}: expected 7 tab-separated columns, found ${cols.length}`);
      const counts = SPLIT_NAMES.map((_, k) => parseCount(cols[2 + k], where)) as [number, number, number];
      if (parseCount(cols[1], where) !== counts[0] + counts[1] + counts[2]) {
        throw new UserError(`${where}: total does not equal the sum of the split counts`);
      }
      if (lex.has(cols[0])) throw new UserError(`${where}: word '${cols[0]}' listed twice`);
      lex.set(cols[0], { counts, fine: parseTagCounts(cols[5], where), universal: parseTagCounts(cols[6], where) });
    });
  }
  if (!sawHeader) throw new UserError(`${file}, line 1: empty file; expected a Mnemoscope lexicon`);
  return lex;
}

/** Train-split type counts (types that occur in train only): the input of buildVocabulary. */
export function trainCountsOf(lex: Lexicon): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [w, e] of lex) if (e.counts[0] > 0) counts.set(w, e.counts[0]);
  return counts;
}

/** Most frequent tag (ties broken by tag name, so the answer is deterministic), or null if none. */
export function topTag(m: Map<string, number>): string | null {
  let best: string | null = null;
  let bestN = -1;
  for (const [t, n] of m) {
    if (n > bestN || (n === bestN && best !== null && t < best)) {
      best = t;
      bestN = n;
    }
  }
  return best;
}

