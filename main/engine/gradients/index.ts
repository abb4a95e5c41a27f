// Public surface of the state-gradient accumulation, for runs/ (a sweep, a merge of shards)
// and the tests. See parallel-driver.ts for the result layout; the worker task of a share
// is in tasks.ts.
export {
  accumulateStateGradients,
  CLASS_GROUP_BUDGET,
  classGroupBlocks,
  groupBlocks,
  meanGradients,
  resultFromSums,
  type AccumulationMeta,
  type AccumulationStats,
  type GradientBlockSums,
  type GradientProgress,
  type RunControl,
  type StateGradientOptions,
  type StateGradientResult,
} from './parallel-driver';
export type { TargetState } from './chunk-sweep';
export type { ClassSpec } from './class-index';
export { layoutStreams, groupOf, samplePositions, shardRange, type ShardSpec, type StreamLayout } from './stream-layout';
export { mergeSums, type GradientSums } from './accumulator';
export { FLUSH_BELOW } from './tangent-step';
export { checkTargetState, defaultTargetState } from './run-sweep';
