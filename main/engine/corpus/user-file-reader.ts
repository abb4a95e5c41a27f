// Reader of a user corpus file in any of the three formats, streamed, with its tags
// resolved as the import decided (see tagging.ts).
import type { UserFormat } from '../../../shared/schemas/corpus';
import { ConlluSentenceReader, type ConlluToken } from './conllu-reader';
import type { SourceSentence } from './source-sentence';
import { parseTaggedLine, splitTokens } from './tagged-line';
import { fineTagFor } from './tagsets';
import type { Tagging } from './tagging';
import { readLineBatches } from './text-lines';
import { uposFineTag } from './upos-tags';
import type { CancelToken } from '../cancel-token';

export interface ReadProgress {
  bytesRead: number;
  linesRead: number;
}

function fromConllu(tokens: ConlluToken[], tagging: Tagging): SourceSentence {
  const words = tokens.map((t) => t.form);
  let tags: string[] | null = null;
  if (tagging.fineColumn === 'XPOS') tags = tokens.map((t) => fineTagFor(tagging.tagset, t.xpos));
  else if (tagging.fineColumn === 'UPOS') tags = tokens.map((t) => uposFineTag(t.upos, t.feats));
  const upos = tagging.universalFrom === 'conllu-upos' ? tokens.map((t) => t.upos) : null;
  return { words, tags, upos };
}

/** Sentences of `file` in batches, one batch per chunk read. */
export async function* readUserFile(
  file: string,
  format: UserFormat,
  tagging: Tagging,
  onProgress?: (p: ReadProgress) => void,
): AsyncGenerator<SourceSentence[]> {
  const conllu = new ConlluSentenceReader(file);
  const withTags = tagging.tagset !== 'none';
  let linesRead = 0;
  for await (const batch of readLineBatches(file)) {
    const out: SourceSentence[] = [];
    batch.lines.forEach((line, i) => {
      const lineNo = batch.firstLine + i;
      if (format === 'plain') {
        const words = splitTokens(line);
        if (words.length > 0) out.push({ words, tags: null, upos: null });
      } else if (format === 'tagged') {
        const s = parseTaggedLine(line, file, lineNo);
        if (s) out.push({ words: s.words, tags: withTags ? s.tags.map((t) => fineTagFor(tagging.tagset, t)) : null, upos: null });
      } else {
        const tokens = conllu.push(line, lineNo);
        if (tokens) out.push(fromConllu(tokens, tagging));
      }
    });
    linesRead = batch.firstLine - 1 + batch.lines.length;
    onProgress?.({ bytesRead: batch.bytesRead, linesRead });
    yield out;
  }
  const last = format === 'conllu' ? conllu.end() : null;
  if (last) yield [fromConllu(last, tagging)];
}

/**
 * Number of sentences in `file`, counted without building them (the first pass of a
 * ratio split). Rows are not validated here; reading them does that.
 */
export async function countSentences(
  file: string,
  format: UserFormat,
  onProgress?: (p: ReadProgress) => void,
  cancel?: CancelToken,
): Promise<{ sentences: number; lines: number }> {
  let sentences = 0;
  let inSentence = false;
  let lines = 0;
  for await (const batch of readLineBatches(file)) {
    for (const line of batch.lines) {
      const blank = line.trim() === '';
      if (format !== 'conllu') {
        if (!blank) sentences += 1;
      } else if (blank) {
        if (inSentence) sentences += 1;
        inSentence = false;
      } else if (!line.startsWith('#')) {
        inSentence = true;
      }
    }
    lines = batch.firstLine - 1 + batch.lines.length;
    onProgress?.({ bytesRead: batch.bytesRead, linesRead: lines });
    if (cancel?.cancelled) break;
  }
  if (inSentence) sentences += 1;
  return { sentences, lines };
}
