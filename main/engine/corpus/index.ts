// The corpus module's public surface, for the CLI, the trainer and the project store.
export { importCorpus, DEFAULT_SPLIT_RATIO } from './import-corpus';
export type { CorpusImportSource, CorpusImportOptions, ImportProgress } from './import-corpus';
export { importCorpusTask, type ImportCorpusParams } from './import-task';
export {
  readCorpusManifest,
  readSplitSentences,
  readSplitTagged,
  trainTypeCounts,
  encodeSplit,
  hasCorpusManifest,
  type TaggedSplit,
} from './corpus-reader';
export { recomputeCorpusStats, computeCorpusStats, DEFAULT_STATS_VOCAB_SIZE } from './corpus-stats';
export { loadBrown, type BrownFile, type BrownSentence } from './brown-reader';
export { listBrownFiles, selectBrownFiles, brownCorpusDir, type BrownFileInfo } from './brown-files';
export { BROWN_SPLIT_RULE, brownSplitOf } from './brown-split';
export { normaliseBrownTag, brownToUniversal } from './brown-tags';
export { ptbToUniversal } from './ptb-tags';
export { uposToUniversal } from './upos-tags';
export { universalOf, detectTagset } from './tagsets';
export { detectFormat, detectFileFormat } from './format-detect';
export { isNumberToken, preprocessToken, NUMBER_TOKEN } from './preprocess';
export { readWordTagProfiles, type WordTagProfile } from './word-tags';
export { builtinClassSets, uposClassSet, paperClassSet, PAPER_CLASSES } from './builtin-class-sets';
export { writeClassSet, readClassSet, listClassSets, summariseClassSet, type ClassSetSummary } from './class-set-store';
export {
  frequencyClassSet,
  rankedTrainTypes,
  ensureFrequencyClassSet,
  openCorpusClassSets,
  FREQUENCY_CLASS_SET_ID,
  FREQUENCY_UNK_CLASS,
  FREQUENCY_BANDS,
  type FrequencyUpgrade,
  type EnsureFrequencyOptions,
} from './frequency-class-set';
export { classSetFromWordList, type WordListOptions } from './word-list-classes';
export { addUserClassSet, classSetIdProblem, BUILTIN_CLASS_SET_IDS, type AddClassSetOptions } from './user-class-sets';
export { readLexicon, type Lexicon, type LexiconEntry } from './lexicon';
export * from './corpus-files';
