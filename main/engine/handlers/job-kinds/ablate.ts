// The `ablate` job: a context-ablation run (main/engine/ablation/ablate-run.ts) in its own
// worker thread, which spreads the streams over further workers, saved as runs/<id>/ with
// kind 'ablation'. Built in a staging folder: a failed or cancelled run leaves the project as it was.
import type { JobParams, JobResult } from '../../../../shared/jobs';
import type { AblateProgress } from '../../../../shared/schemas/ablation';
import type { JobRunner } from '../../jobs/job-manager';
import { runInWorker } from '../../jobs/run-in-worker';
import { phaseUpdate, type PhaseShares } from '../../jobs/phase-progress';
import { ablationTasks } from '../../ablation/tasks';
import type { ProjectCache } from '../project-cache';
import { checkNewModelRun } from './new-run';

type Params = JobParams<'ablate'>;

/** Where each phase sits in the whole run; the fraction of baseline, ablate and truncate is of all three passes together. */
const PHASES: PhaseShares<AblateProgress['phase']> = {
  prepare: [0, 0.03],
  baseline: [0.03, 0.95],
  ablate: [0.03, 0.95],
  truncate: [0.03, 0.95],
  write: [0.98, 0.02],
};

export function ablateRunner(projects: ProjectCache): JobRunner<Params, JobResult<'ablate'>> {
  return async (params, ctx) => {
    const project = await checkNewModelRun(projects, params);
    const { dir, record } = await runInWorker(ablationTasks.ablate, { ...params, project }, {
      cancel: ctx.cancel,
      onProgress: (p) => ctx.progress(phaseUpdate(PHASES, p)),
    });
    for (const w of record.warnings) ctx.log(`warning: ${w}`);
    return {
      run: { id: record.id, dir, model: record.model, corpus: record.corpus },
      warnings: record.warnings,
      totalSeconds: record.timings.totalSeconds,
      gflopsPerSecond: record.work.gflopsPerSecond,
    };
  };
}
