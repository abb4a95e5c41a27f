// The `analyze` job: a delay sweep run by main/engine/runs/sweep-task.ts in its own worker thread (which
// spreads the accumulation over further workers) and saved as runs/<id>/. The run is built
// in a staging folder, so a failed or cancelled sweep leaves the project as it was.
import type { JobParams, JobProgressDetail, JobResult } from '../../../../shared/jobs';
import type { AnalyzeProgress } from '../../../../shared/schemas/run';
import type { JobRunner } from '../../jobs/job-manager';
import { runInWorker } from '../../jobs/run-in-worker';
import { runTasks } from '../../runs/tasks';
import type { ProjectCache } from '../project-cache';
import { checkNewModelRun } from './new-run';

type Params = JobParams<'analyze'>;

/** Where each phase sits in the whole run (the accumulation is nearly all of it). */
const PHASES: PhaseShares = {
  prepare: [0, 0.03],
  accumulate: [0.03, 0.87],
  summarise: [0.9, 0.08],
  write: [0.98, 0.02],
};

export type PhaseShares = Record<AnalyzeProgress['phase'], [start: number, share: number]>;

/** The job's fraction from the fraction of its current phase. */
export function phaseFraction<P extends { phase: string; fraction: number }>(phases: Record<P['phase'], [start: number, share: number]>, p: P): number {
  const [start, share] = phases[p.phase as P['phase']];
  const within = Number.isFinite(p.fraction) ? Math.min(1, Math.max(0, p.fraction)) : 0;
  return start + share * within;
}

export function analyzeFraction(p: AnalyzeProgress): number {
  return phaseFraction(PHASES, p);
}

export function analyzeRunner(projects: ProjectCache): JobRunner<Params, JobResult<'analyze'>> {
  return async (params, ctx) => {
    const project = await checkNewModelRun(projects, params);
    const control = {
      cancel: ctx.cancel,
      onProgress: (p: AnalyzeProgress) => {
        const detail: JobProgressDetail<'analyze'> = p;
        ctx.progress({ detail, fraction: analyzeFraction(p), label: p.label, secondsLeft: p.secondsLeft });
      },
    };
    // A shard's sweep is a task of its own: it ends with a partial run (no SVDs).
    const sweepParams = { ...params, project };
    const { dir, record } = params.shard
      ? await runInWorker(runTasks.shardSweep, sweepParams, control)
      : await runInWorker(runTasks.sweep, sweepParams, control);
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
