// The caller's side of an analysis: the whole run in its own worker thread (task 'analyze'),
// which in turn spreads the accumulation over one worker per core.
import { runInWorker } from '../jobs/run-in-worker';
import type { AnalyzeParams, AnalyzeProgress } from '../../../shared/schemas/run';
import type { AnalyzeResult, ShardResult } from './analyze-run';

export interface AnalyzeControl {
  onProgress?: (p: AnalyzeProgress) => void;
  signal?: AbortSignal;
}

export function runAnalysis(params: AnalyzeParams, control: AnalyzeControl = {}): Promise<AnalyzeResult> {
  return runInWorker<AnalyzeResult, AnalyzeProgress>('analyze', params, control);
}

/** One shard of a sweep (params.shard set) in its own worker thread: a partial run. */
export function runShardAnalysis(params: AnalyzeParams, control: AnalyzeControl = {}): Promise<ShardResult> {
  return runInWorker<ShardResult, AnalyzeProgress>('analyze-shard', params, control);
}

/** A sweep, whole or of one shard as params.shard asks. */
export function runAnySweep(params: AnalyzeParams, control: AnalyzeControl = {}): Promise<AnalyzeResult | ShardResult> {
  return params.shard ? runShardAnalysis(params, control) : runAnalysis(params, control);
}
