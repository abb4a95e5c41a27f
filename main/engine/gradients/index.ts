// Public surface of the state-gradient accumulation (what analysis/, the CLI and the
// server use). See parallel-driver.ts for the result layout.
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
export { MAX_WORDS } from './class-index';
export { layoutStreams, groupOf, samplePositions, shardRange, type ShardSpec, type StreamLayout } from './stream-layout';
export { mergeSums, type GradientSums } from './accumulator';
export { FLUSH_BELOW } from './tangent-step';
export { checkTargetState, defaultTargetState } from './run-sweep';
