// One analysis run as one job (task 'analyze'): prepare the inputs, accumulate the state
// gradients (in further worker threads, one per core), summarise, and write runs/<id>/.
// Everything happens inside store.stageItem, so a failed or cancelled run leaves nothing.
// Run in a worker thread, the big arrays never cross to the caller: only run.json does.
import os from 'node:os';
import path from 'node:path';
import { accumulateStateGradients, type GradientProgress } from '../gradients';
import { JobCancelledError, UserError } from '../jobs/errors';
import type { TaskFn } from '../jobs/task-context';
import { openProject, writeJsonAtomic } from '../project';
import { describeSchemaError } from '../project/read-json';
import { ITEM_META_FILE } from '../project/layout';
import {
  AnalyzeParamsSchema,
  type AnalyzeParams,
  type AnalyzeParamsResolved,
  type AnalyzeProgress,
  type RunRecord,
} from '../../../shared/schemas/run';
import { signalFromContext } from './cancel-signal';
import { prepareRun } from './prepare-run';
import { runArrayParts, writeRunArrays } from './run-arrays';
import { buildRunRecord, runConfig } from './run-record';
import { summariseAccumulation } from './summarise-accumulation';

export interface AnalyzeResult {
  /** the run's folder */
  dir: string;
  record: RunRecord;
}

export function parseAnalyzeParams(input: AnalyzeParams): AnalyzeParamsResolved {
  const parsed = AnalyzeParamsSchema.safeParse(input);
  if (!parsed.success) throw new UserError(describeSchemaError('analysis', parsed.error, 'parameters').replace(/^analysis: /, ''));
  return parsed.data;
}

const seconds = (from: number) => (performance.now() - from) / 1000;

function accumulateProgress(p: GradientProgress): AnalyzeProgress {
  const rate = p.positionsPerSecond >= 100 ? Math.round(p.positionsPerSecond) : p.positionsPerSecond.toFixed(1);
  return {
    phase: 'accumulate',
    fraction: p.fraction,
    label: `accumulating: ${p.positionsDone}/${p.positionsTotal} positions, ${rate}/s`,
    secondsLeft: Number.isFinite(p.secondsLeft) ? p.secondsLeft : null,
  };
}

export const analyzeRun: TaskFn<AnalyzeParams, AnalyzeResult, AnalyzeProgress> = async (input, ctx) => {
  const started = performance.now();
  const params = parseAnalyzeParams(input);
  const { signal, stop } = signalFromContext(ctx);
  const checkCancel = () => {
    if (ctx.isCancelled()) throw new JobCancelledError();
  };
  try {
    const store = await openProject(params.project);
    const staged = await store.stageItem(
      'run',
      params.id,
      async (dir) => {
        const created = new Date().toISOString();
        ctx.progress({ phase: 'prepare', fraction: 0, label: 'reading the model and the corpus', secondsLeft: null });
        const prep = await prepareRun(params, store);
        const prepareSeconds = seconds(started);
        checkCancel();

        const workers = params.workers ?? os.availableParallelism();
        const t1 = performance.now();
        const acc = await accumulateStateGradients(
          prep.weights,
          prep.splitTokens,
          {
            state: prep.state,
            layer: prep.layer,
            maxDelay: params.maxDelay,
            streams: params.streams,
            maxTokens: params.maxTokens,
            sample: params.sample,
            seed: params.seed,
            classes: prep.classes.accumulate.map((c) => ({ name: c.name, tokenIds: c.tokenIds })),
            words: prep.words.map((w) => w.id),
            groups: params.groups,
          },
          { workers, signal, onProgress: (p) => ctx.progress(accumulateProgress(p)) },
        );
        const accumulateSeconds = seconds(t1);
        checkCancel();

        const t2 = performance.now();
        const config = runConfig(params, prep, workers);
        const summarised = summariseAccumulation(acc, prep, config, (done, total) => {
          // The SVDs run synchronously: poll the flag itself, the signal's timer cannot fire here.
          checkCancel();
          const elapsed = seconds(t2);
          ctx.progress({
            phase: 'summarise',
            fraction: done / total,
            label: `SVD ${done}/${total}`,
            secondsLeft: done > 0 ? (elapsed / done) * (total - done) : null,
          });
        });
        const summariseSeconds = seconds(t2);
        checkCancel();

        const t3 = performance.now();
        ctx.progress({ phase: 'write', fraction: 0, label: 'writing the run folder', secondsLeft: null });
        const arrays = await writeRunArrays(dir, runArrayParts(acc, summarised, params.normalize === 'equal-variance'));
        const writeSeconds = seconds(t3);
        const record = buildRunRecord({
          params,
          config,
          prep,
          acc,
          summarised,
          arrays,
          created,
          times: { prepareSeconds, accumulateSeconds, summariseSeconds, writeSeconds, totalSeconds: seconds(started) },
        });
        await writeJsonAtomic(path.join(dir, ITEM_META_FILE.run), record);
        ctx.progress({ phase: 'write', fraction: 1, label: 'done', secondsLeft: 0 });
        return record;
      },
      { name: params.name, signal },
    );
    return { dir: staged.dir, record: staged.meta };
  } finally {
    stop();
  }
};
