// Corpus statistics: tokens, types and OOV rates per split, tag distributions.
// Everything is computed from the lexicon (counts per split) plus the sentence counts,
// so it can be recomputed later for another vocabulary size without reading the text.
import {
  SPLIT_NAMES,
  type CorpusStats,
  type SplitName,
  type SplitStats,
} from '../../../shared/schemas/corpus';
import { EOS, UNK, buildVocabulary } from './vocabulary';
import { lexiconFile } from './corpus-files';
import { readCorpusManifest } from './corpus-reader';
import { readLexicon, splitIndex, trainCountsOf, type Lexicon } from './lexicon';

/** K for the OOV rate stored at import: the paper's vocabulary size. */
export const DEFAULT_STATS_VOCAB_SIZE = 10_000;

export interface StatsInput {
  lexicon: Lexicon;
  sentences: Record<SplitName, number>;
  files: Record<SplitName, string[]>;
  vocabSize: number;
  eos: boolean;
  unmappedTags: Record<string, number>;
}

function sortedRecord(m: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
}

/**
 * OOV rates count word tokens only (not <eos>). A literal '<unk>' or '<eos>' in the text
 * counts as out of vocabulary: it does not stand for a known word.
 */
export function computeCorpusStats(input: StatsInput): CorpusStats {
  const { lexicon, vocabSize, eos } = input;
  const vocab = new Set(buildVocabulary(trainCountsOf(lexicon), vocabSize, eos).words);
  const known = (w: string) => w !== UNK && w !== EOS;
  const splitStats = (split: SplitName): SplitStats => {
    const k = splitIndex(split);
    let tokens = 0;
    let types = 0;
    let oovTrain = 0;
    let oovTopK = 0;
    for (const [w, e] of lexicon) {
      const n = e.counts[k];
      if (n === 0) continue;
      tokens += n;
      types += 1;
      if (!known(w) || e.counts[0] === 0) oovTrain += n;
      if (!known(w) || !vocab.has(w)) oovTopK += n;
    }
    return {
      sentences: input.sentences[split],
      tokens,
      types,
      oovRateTrain: tokens ? oovTrain / tokens : 0,
      oovRateTopK: tokens ? oovTopK / tokens : 0,
      files: input.files[split],
    };
  };
  const fine = new Map<string, number>();
  const universal = new Map<string, number>();
  for (const e of lexicon.values()) {
    for (const [t, n] of e.fine) fine.set(t, (fine.get(t) ?? 0) + n);
    for (const [t, n] of e.universal) universal.set(t, (universal.get(t) ?? 0) + n);
  }
  const [train, valid, test] = SPLIT_NAMES.map(splitStats);
  return {
    vocabSize,
    splits: { train, valid, test },
    fineTags: sortedRecord(fine),
    universalTags: sortedRecord(universal),
    unmappedTags: input.unmappedTags,
  };
}

/** Statistics of the corpus in `dir` recomputed from its lexicon, e.g. for another vocabulary size K. */
export async function recomputeCorpusStats(dir: string, vocabSize: number): Promise<CorpusStats> {
  const manifest = await readCorpusManifest(dir);
  const { splits } = manifest.stats;
  return computeCorpusStats({
    lexicon: await readLexicon(lexiconFile(dir)),
    sentences: { train: splits.train.sentences, valid: splits.valid.sentences, test: splits.test.sentences },
    files: { train: splits.train.files, valid: splits.valid.files, test: splits.test.files },
    vocabSize,
    eos: manifest.preprocessing.eos,
    unmappedTags: manifest.stats.unmappedTags,
  });
}
