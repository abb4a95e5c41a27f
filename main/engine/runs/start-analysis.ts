// The caller's side of an analysis: the whole run in its own worker thread (task 'analyze'),
// which in turn spreads the accumulation over one worker per core.
import { runInWorker } from '../jobs/run-in-worker';
import type { AnalyzeParams, AnalyzeProgress } from '../../../shared/schemas/run';
import type { AnalyzeResult } from './analyze-run';

export interface AnalyzeControl {
  onProgress?: (p: AnalyzeProgress) => void;
  signal?: AbortSignal;
}

export function runAnalysis(params: AnalyzeParams, control: AnalyzeControl = {}): Promise<AnalyzeResult> {
  return runInWorker<AnalyzeResult, AnalyzeProgress>('analyze', params, control);
}
