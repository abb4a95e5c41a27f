// The `analyze` job: a delay sweep run by main/engine/runs/sweep-task.ts in its own worker thread (which
// spreads the accumulation over further workers) and saved as runs/<id>/. The run is built
// in a staging folder, so a failed or cancelled sweep leaves the project as it was.
import type { JobParams, JobResult } from '../../../../shared/jobs';
import type { AnalyzeProgress } from '../../../../shared/schemas/run';
import type { JobRunner } from '../../jobs/job-manager';
import { phaseFraction, phaseUpdate, type PhaseShares } from '../../jobs/phase-progress';
import { runTasks } from '../../runs/tasks';
import type { ProjectCache } from '../project-cache';
import { checkNewModelRun } from './new-run';
import { analyzeNeedsDevice, runRouted } from '../../jobs/device-route';

type Params = JobParams<'analyze'>;

/** Where each phase sits in the whole run (the accumulation is nearly all of it). */
const PHASES: PhaseShares<AnalyzeProgress['phase']> = {
  prepare: [0, 0.03],
  accumulate: [0.03, 0.87],
  summarise: [0.9, 0.08],
  write: [0.98, 0.02],
};

export function analyzeFraction(p: AnalyzeProgress): number {
  return phaseFraction(PHASES, p);
}

export function analyzeRunner(projects: ProjectCache): JobRunner<Params, JobResult<'analyze'>> {
  return async (params, ctx) => {
    const project = await checkNewModelRun(projects, params);
    const control = {
      cancel: ctx.cancel,
      onProgress: (p: AnalyzeProgress) => ctx.progress(phaseUpdate(PHASES, p)),
    };
    // A shard's sweep is a task of its own: it ends with a partial run (no SVDs).
    const sweepParams = { ...params, project };
    // the tensor path on native TensorFlow: the whole sweep in the process's device worker
    const device = await analyzeNeedsDevice(params.engine, params.backend);
    const { dir, record } = params.shard
      ? await runRouted(device, runTasks.shardSweep, sweepParams, control)
      : await runRouted(device, runTasks.sweep, sweepParams, control);
    for (const w of record.warnings) ctx.log(`warning: ${w}`);
    return {
      run: { id: record.id, dir, model: record.model, corpus: record.corpus },
      ...('partial' in record && { shard: record.partial.shard }),
      warnings: record.warnings,
      totalSeconds: record.timings.totalSeconds,
      gflopsPerSecond: record.flops.gflopsPerSecond,
    };
  };
}
