// The end of every complete run, whether swept whole (sweep-task.ts) or merged from shards
// (merge-runs.ts): from the accumulated sums to the SVDs and summary, the .npy arrays and
// run.json in the staging folder `dir`. One function, so a merged run is written exactly as
// an unsharded one.
import path from 'node:path';
import type { StateGradientResult } from '../gradients';
import type { TaskContext } from '../jobs/task-context';
import { writeJsonAtomic } from '../project';
import { ITEM_META_FILE } from '../project/layout';
import type { AnalyzeParamsResolved, AnalyzeProgress, RunRecord } from '../../../shared/schemas/run';
import type { PreparedRun } from './prepare-run';
import { runArrayParts, writeRunArrays } from './run-arrays';
import { buildRunRecord, runConfig } from './run-record';
import { summariseAccumulation } from './summarise-accumulation';

export const secondsSince = (from: number) => (performance.now() - from) / 1000;

export interface FinishInput {
  params: AnalyzeParamsResolved;
  prep: PreparedRun;
  acc: StateGradientResult;
  /** config.workers */
  workers: number;
  created: string;
  /** performance.now() when the run began */
  started: number;
  prepareSeconds: number;
  accumulateSeconds: number;
}

export async function finishRun(
  dir: string,
  input: FinishInput,
  ctx: Pick<TaskContext<AnalyzeProgress>, 'progress' | 'cancel'>,
): Promise<RunRecord> {
  const { params, prep, acc } = input;
  const t2 = performance.now();
  const config = runConfig(params, prep, input.workers);
  const summarised = summariseAccumulation(acc, prep, config, (done, total) => {
    // The SVDs run synchronously: the token's shared flag is read at once, between them.
    ctx.cancel.throwIfCancelled();
    const elapsed = secondsSince(t2);
    ctx.progress({
      phase: 'summarise',
      fraction: done / total,
      label: `SVD ${done}/${total}`,
      secondsLeft: done > 0 ? (elapsed / done) * (total - done) : null,
    });
  });
  const summariseSeconds = secondsSince(t2);
  ctx.cancel.throwIfCancelled();

  const t3 = performance.now();
  ctx.progress({ phase: 'write', fraction: 0, label: 'writing the run folder', secondsLeft: null });
  const arrays = await writeRunArrays(dir, runArrayParts(acc, summarised, params.normalize === 'equal-variance'));
  const writeSeconds = secondsSince(t3);
  const record = buildRunRecord({
    params,
    config,
    prep,
    acc,
    summarised,
    arrays,
    created: input.created,
    times: {
      prepareSeconds: input.prepareSeconds,
      accumulateSeconds: input.accumulateSeconds,
      summariseSeconds,
      writeSeconds,
      totalSeconds: secondsSince(input.started),
    },
  });
  await writeJsonAtomic(path.join(dir, ITEM_META_FILE.run), record);
  ctx.progress({ phase: 'write', fraction: 1, label: 'done', secondsLeft: 0 });
  return record;
}
