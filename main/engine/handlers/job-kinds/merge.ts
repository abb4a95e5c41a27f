// The `merge` job: the partial runs of a sharded sweep into one complete run, in its own
// worker thread (main/engine/runs/merge-runs.ts). Staged: a refused or failed merge leaves
// the project as it was, and the shard runs are never changed.
import path from 'node:path';
import type { JobParams, JobResult } from '../../../../shared/jobs';
import type { AnalyzeProgress } from '../../../../shared/schemas/progress';
import type { JobRunner } from '../../jobs/job-manager';
import { runInWorker } from '../../jobs/run-in-worker';
import { phaseUpdate, type PhaseShares } from '../../jobs/phase-progress';
import { runTasks } from '../../runs/tasks';
import type { ProjectCache } from '../project-cache';
import { requireNewRunId } from './new-run';

/** Where each phase sits in the whole merge: reading the shards, the SVDs, writing. */
const PHASES: PhaseShares<AnalyzeProgress['phase']> = {
  prepare: [0, 0.3],
  accumulate: [0.3, 0],
  summarise: [0.3, 0.65],
  write: [0.95, 0.05],
};

export function mergeRunner(projects: ProjectCache): JobRunner<JobParams<'merge'>, JobResult<'merge'>> {
  return async (params, ctx) => {
    const project = path.resolve(params.project);
    const store = await projects.get(project);
    await requireNewRunId(store, params.id);
    const { dir, record, shards } = await runInWorker(
      runTasks.merge,
      { ...params, project },
      {
        cancel: ctx.cancel,
        onProgress: (p) => ctx.progress(phaseUpdate(PHASES, p)),
      },
    );
    for (const w of record.warnings) ctx.log(`warning: ${w}`);
    return {
      run: { id: record.id, dir, model: record.model, corpus: record.corpus },
      shards,
      warnings: record.warnings,
      totalSeconds: record.timings.totalSeconds,
    };
  };
}
