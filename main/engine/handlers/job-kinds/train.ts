// The `train` job: training runs in a worker thread and writes into a staging folder that
// the project store commits when training ends, as `mnemoscope train` does. No signal goes
// to stageItem: a cancelled training commits its best checkpoint so far and the job ends
// as done with `cancelled: true`; cancelled before the first epoch ended, nothing is kept.
import type { JobParams, JobProgressDetail, JobResult } from '../../../../shared/jobs';
import type { TrainProgress, TrainResult, TrainTaskParams } from '../../../../shared/schemas/model';
import { JobCancelledError, UserError } from '../../errors';
import type { JobRunner } from '../../jobs/job-manager';
import { modelTasks } from '../../model/tasks';
import type { ProjectCache } from '../project-cache';
import { nativeTensorflowInstalled, needsDevice, runRouted } from '../../jobs/device-route';

type Params = JobParams<'train'>;

/** Share of the whole training done: epochs so far plus the current one's batches (validation ends an epoch). */
export function trainFraction(p: TrainProgress): number {
  const within = p.phase === 'valid' ? 1 : p.batch / Math.max(1, p.batchesPerEpoch);
  return Math.min(1, Math.max(0, (p.epoch - 1 + within) / Math.max(1, p.epochs)));
}

export function trainLabel(p: TrainProgress): string {
  const ppl = Number.isFinite(p.trainLoss) ? `, train perplexity ${Math.exp(p.trainLoss).toFixed(1)}` : '';
  const valid = p.validPerplexity !== undefined ? `, valid perplexity ${p.validPerplexity.toFixed(2)}` : '';
  return `epoch ${p.epoch}/${p.epochs}, ${p.phase} batch ${p.batch}/${p.batchesPerEpoch}, ${Math.round(p.tokensPerSecond)} tokens/s${ppl}${valid}`;
}

export function trainRunner(projects: ProjectCache): JobRunner<Params, JobResult<'train'>> {
  return async (params, ctx) => {
    const store = await projects.get(params.project);
    await store.requireItem('corpus', params.corpus);
    if (await store.has('model', params.id)) {
      throw new UserError(`The project already has a model '${params.id}': choose another id, or delete that model first.`);
    }
    const corpusDir = store.itemDir('corpus', params.corpus);
    let cancelled = false;
    const staged = await store.stageItem(
      'model',
      params.id,
      async (outDir) => {
        const task: TrainTaskParams = {
          source: { kind: 'corpus', dir: corpusDir, id: params.corpus, validTokens: params.validTokens ?? null },
          outDir,
          config: params.config,
          backend: params.backend,
        };
        try {
          return await runRouted(needsDevice(params.backend, nativeTensorflowInstalled()), modelTasks.train, task, {
            onProgress: (p) => {
              const detail: JobProgressDetail<'train'> = p;
              ctx.progress({ detail, fraction: trainFraction(p), label: trainLabel(p), secondsLeft: p.secondsLeft });
            },
            onLog: (line) => ctx.log(line),
            cancel: ctx.cancel,
          });
        } catch (err) {
          const partial = err instanceof JobCancelledError ? (err.partial as TrainResult | undefined) : undefined;
          // Nothing saved yet: a plain cancel, and stageItem removes the staging folder.
          if (!partial?.checkpointSaved) throw err;
          cancelled = true;
          return partial;
        }
      },
      { name: params.name },
    );
    const r = staged.meta;
    if (cancelled) ctx.log(`training cancelled after ${r.epochsRun} epochs; the best checkpoint (epoch ${r.bestEpoch}) was kept`);
    return {
      model: { id: params.id, dir: staged.dir },
      checkpointSaved: r.checkpointSaved,
      bestEpoch: r.bestEpoch,
      bestValidPerplexity: r.bestValidPerplexity,
      epochsRun: r.epochsRun,
      stoppedEarly: r.stoppedEarly,
      cancelled: cancelled || r.cancelled,
      wallSeconds: r.wallSeconds,
      tokensPerSecond: r.tokensPerSecond,
      backend: r.backend,
      workers: r.workers,
    };
  };
}
