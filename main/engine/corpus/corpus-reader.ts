// Reading an imported corpus back: the manifest, the sentences and tags of a split,
// the train type counts (for the vocabulary) and a split encoded as token ids.
import { promises as fs } from 'node:fs';
import {
  CORPUS_SCHEMA_VERSION,
  CorpusManifestSchema,
  type CorpusManifest,
  type SplitName,
} from '../../../shared/schemas/corpus';
import { UserError } from '../errors';
import { lexiconFile, manifestFile, tagsFile, tokensFile, utagsFile } from './corpus-files';
import { readVersionedJson } from './json-file';
import { readLexicon, trainCountsOf } from './lexicon';
import { readLineBatches } from './text-lines';
import { encodeSentences, type VocabularyIndex } from './vocabulary';

export async function readCorpusManifest(dir: string): Promise<CorpusManifest> {
  return readVersionedJson(manifestFile(dir), CorpusManifestSchema, 'corpus manifest', CORPUS_SCHEMA_VERSION);
}

/** Lines of a split file as token lists, in batches. An empty line is an error: every line is a sentence. */
async function* readSplitLines(file: string): AsyncGenerator<string[][]> {
  for await (const batch of readLineBatches(file)) {
    yield batch.lines.map((line, i) => {
      if (line === '') throw new UserError(`${file}, line ${batch.firstLine + i}: empty line; the corpus file is damaged`);
      return line.split(' ');
    });
  }
}

async function readAllLines(file: string): Promise<string[][]> {
  const out: string[][] = [];
  for await (const batch of readSplitLines(file)) for (const s of batch) out.push(s);
  return out;
}

/** Sentences of a split: preprocessed tokens, without <eos>. */
export async function readSplitSentences(dir: string, split: SplitName): Promise<string[][]> {
  return readAllLines(tokensFile(dir, split));
}

export interface TaggedSplit {
  sentences: string[][];
  /** Fine tags, parallel to sentences. */
  tags: string[][];
  /** Universal tags, parallel likewise; null when the corpus has none. */
  universal: string[][] | null;
}

function checkParallel(words: string[][], other: string[][], file: string, wordsFile: string): void {
  if (other.length !== words.length) {
    throw new UserError(`${file}: ${other.length} lines, but ${wordsFile} has ${words.length}; the corpus is damaged`);
  }
  other.forEach((t, i) => {
    if (t.length !== words[i].length) {
      throw new UserError(`${file}, line ${i + 1}: ${t.length} tags for ${words[i].length} tokens; the corpus is damaged`);
    }
  });
}

export async function readSplitTagged(dir: string, split: SplitName): Promise<TaggedSplit> {
  const manifest = await readCorpusManifest(dir);
  if (!manifest.tagged) throw new UserError(`corpus '${manifest.id}' (${dir}) has no tags`);
  const sentences = await readSplitSentences(dir, split);
  const tags = await readAllLines(tagsFile(dir, split));
  checkParallel(sentences, tags, tagsFile(dir, split), tokensFile(dir, split));
  let universal: string[][] | null = null;
  if (manifest.universalFrom !== 'none') {
    universal = await readAllLines(utagsFile(dir, split));
    checkParallel(sentences, universal, utagsFile(dir, split), tokensFile(dir, split));
  }
  return { sentences, tags, universal };
}

/** Type counts of the train split: the input of buildVocabulary. */
export async function trainTypeCounts(dir: string): Promise<Map<string, number>> {
  return trainCountsOf(await readLexicon(lexiconFile(dir)));
}

/**
 * A split as token ids laid end to end, with the vocabulary's <eos> after each sentence
 * when the corpus was imported with preprocessing.eos (and never otherwise).
 */
export async function encodeSplit(dir: string, split: SplitName, vocabIndex: VocabularyIndex): Promise<Int32Array> {
  const manifest = await readCorpusManifest(dir);
  if (manifest.preprocessing.eos && vocabIndex.eosId === null) {
    throw new UserError(`corpus '${manifest.id}' marks sentence ends, but the vocabulary has no end-of-sentence token`);
  }
  const index: VocabularyIndex = manifest.preprocessing.eos ? vocabIndex : { ...vocabIndex, eosId: null };
  const parts: Int32Array[] = [];
  let length = 0;
  for await (const batch of readSplitLines(tokensFile(dir, split))) {
    const ids = encodeSentences(batch, index);
    parts.push(ids);
    length += ids.length;
  }
  const out = new Int32Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Whether `dir` holds a corpus manifest (does not validate it). */
export async function hasCorpusManifest(dir: string): Promise<boolean> {
  return fs.stat(manifestFile(dir)).then(
    (s) => s.isFile(),
    () => false,
  );
}
