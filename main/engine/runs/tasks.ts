// The worker tasks of runs/ (bound to their code in worker/task-registry.ts): types only, light to import.
import type { AnalyzeParamsResolved, AnalyzeProgress } from '../../../shared/schemas/run';
import { defineTask } from '../jobs/task-context';
import type { ShardSweepResult, SweepResult } from './sweep-task';
import type { MergeParams, MergeResult } from './merge-runs';

export const runTasks = {
  /** a whole sweep saved as a run (sweep-task.ts); params parsed at the caller's edge */
  sweep: defineTask<AnalyzeParamsResolved, SweepResult, AnalyzeProgress>('analyze'),
  /** one shard of a sweep saved as a partial run */
  shardSweep: defineTask<AnalyzeParamsResolved, ShardSweepResult, AnalyzeProgress>('analyze-shard'),
  /** the partial runs of a sharded sweep merged into one run */
  merge: defineTask<MergeParams, MergeResult, AnalyzeProgress>('merge'),
};
