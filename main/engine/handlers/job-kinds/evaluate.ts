// The `evaluate` job: perplexity of a model on a corpus split, computed in a worker thread.
// Nothing is written to the project.
import type { JobParams, JobResult } from '../../../../shared/jobs';
import type { EvaluateTaskParams } from '../../../../shared/schemas/model';
import type { JobRunner } from '../../jobs/job-manager';
import { modelTasks } from '../../model/tasks';
import type { ProjectCache } from '../project-cache';
import { nativeTensorflowInstalled, needsDevice, runRouted } from '../../jobs/device-route';

type Params = JobParams<'evaluate'>;

export function evaluateRunner(projects: ProjectCache): JobRunner<Params, JobResult<'evaluate'>> {
  return async (params, ctx) => {
    const store = await projects.get(params.project);
    await store.requireItem('model', params.model);
    await store.requireItem('corpus', params.corpus);
    const task: EvaluateTaskParams = {
      modelDir: store.itemDir('model', params.model),
      source: { kind: 'corpus', dir: store.itemDir('corpus', params.corpus), split: params.split, maxTokens: params.maxTokens ?? null },
      backend: params.backend,
      ...(params.batchSize !== undefined && { batchSize: params.batchSize }),
      ...(params.bptt !== undefined && { bptt: params.bptt }),
      ...(params.workers !== undefined && { workers: params.workers }),
    };
    const label = `perplexity of '${params.model}' on ${params.corpus}/${params.split}`;
    const r = await runRouted(needsDevice(params.backend, nativeTensorflowInstalled()), modelTasks.evaluate, task, {
      cancel: ctx.cancel,
      onLog: (line) => ctx.log(line),
      onProgress: (p) =>
        ctx.progress({ detail: p, fraction: p.totalWindows > 0 ? p.windows / p.totalWindows : null, label }),
    });
    // In the order `mnemoscope eval --json` has always printed them.
    return {
      model: params.model,
      corpus: params.corpus,
      perplexity: r.perplexity,
      crossEntropy: r.crossEntropy,
      predicted: r.predicted,
      used: r.used,
      dropped: r.dropped,
      batchSize: r.batchSize,
      bptt: r.bptt,
      modelDir: r.modelDir,
      split: params.split,
      backend: r.backend,
      seconds: r.seconds,
      workers: r.workers,
    };
  };
}
