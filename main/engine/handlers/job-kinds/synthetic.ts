// The `synthetic` job: the memory benchmark (main/engine/synthetic/pipeline.ts) with the
// job's progress, log lines and cancellation. The benchmark adds a corpus, a model and a run
// to the project and deletes them again when it fails or is cancelled.
import path from 'node:path';
import type { JobParams, JobResult } from '../../../../shared/jobs';
import type { JobRunner } from '../../jobs/job-manager';
import { runSyntheticBenchmark } from '../../synthetic';

export function syntheticRunner(): JobRunner<JobParams<'synthetic'>, JobResult<'synthetic'>> {
  return async ({ project, ...options }, ctx) => {
    // The benchmark stops on an AbortSignal: aborted when the job's cancel token is.
    const abort = new AbortController();
    const off = ctx.cancel.onCancel(() => abort.abort());
    if (ctx.cancel.cancelled) abort.abort();
    try {
      const result: JobResult<'synthetic'> = await runSyntheticBenchmark(
        { ...options, projectDir: path.resolve(project) },
        {
          signal: abort.signal,
          onLog: (line) => ctx.log(line),
          onProgress: (p) => ctx.progress({ detail: p, fraction: p.fraction, label: p.label, secondsLeft: p.secondsLeft }),
        },
      );
      return result;
    } finally {
      off();
    }
  };
}
