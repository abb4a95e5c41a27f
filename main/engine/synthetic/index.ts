// The synthetic memory benchmark (issue 3 §4): a generated corpus with memory of known
// length, the pipeline that trains and analyses a model on it, and the verdict.
export { DEFAULT_SPAN, DEFAULT_SPEC, CLASS_NAMES, checkSpec, syntheticWords, type SyntheticSpec, type SyntheticWords } from './spec';
export { generateEpisode, generateSplit, episodesText, type Episode, type MarkerClass } from './generator';
export { entropyFloor, empiricalFloor, type EntropyFloor } from './entropy-floor';
export { syntheticClassSet, SYNTHETIC_CLASS_SET_ID, MARKER_UNION_CLASS, PROPERTY_NAME, PROPERTY_SPEC } from './class-set';
export { memoryProfile, type ProfileRow } from './memory-profile';
export { estimateSpan, SPAN_ESTIMATE_THRESHOLDS, type SpanEstimate, type SpanEstimateThresholds } from './span-estimate';
export {
  syntheticVerdict,
  verdictMaxDelay,
  DEFAULT_THRESHOLDS,
  type SyntheticVerdict,
  type VerdictCheck,
  type VerdictInput,
  type VerdictThresholds,
} from './verdict';
export {
  resolveOptions,
  scaledDefaults,
  SCALE_ABOVE,
  DEFAULT_SENTENCES,
  DEFAULT_EPOCHS,
  DEFAULT_MODEL,
  type SyntheticBenchmarkOptions,
  type SyntheticModelOptions,
} from './options';
export { SYNTHETIC_FILE, type SyntheticCorpusFile } from './write-corpus';
export {
  runSyntheticBenchmark,
  VERDICT_FILE,
  type SyntheticBenchmarkResult,
  type SyntheticControl,
  type SyntheticPhase,
  type SyntheticProgress,
} from './pipeline';
