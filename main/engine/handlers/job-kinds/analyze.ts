// The `analyze` job: a delay sweep run by main/engine/runs in its own worker thread (which
// spreads the accumulation over further workers) and saved as runs/<id>/. The run is built
// in a staging folder, so a failed or cancelled sweep leaves the project as it was.
import path from 'node:path';
import type { JobParams, JobProgressDetail, JobResult } from '../../../../shared/jobs';
import type { AnalyzeProgress } from '../../../../shared/schemas/run';
import { UserError } from '../../jobs/errors';
import type { JobRunner } from '../../jobs/job-manager';
import { runAnySweep } from '../../runs/start-analysis';
import type { ProjectCache } from '../project-cache';

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
export function phaseFraction(phases: PhaseShares, p: AnalyzeProgress): number {
  const [start, share] = phases[p.phase];
  const within = Number.isFinite(p.fraction) ? Math.min(1, Math.max(0, p.fraction)) : 0;
  return start + share * within;
}

export function analyzeFraction(p: AnalyzeProgress): number {
  return phaseFraction(PHASES, p);
}

/** Refuses a new run's id that the project already has (before a worker starts). */
export async function requireNewRunId(store: { has(kind: 'run', id: string): Promise<boolean> }, id: string): Promise<void> {
  if (await store.has('run', id)) {
    throw new UserError(`The project already has a run '${id}': choose another id, or delete that run first.`);
  }
}

export function analyzeRunner(projects: ProjectCache): JobRunner<Params, JobResult<'analyze'>> {
  return async (params, ctx) => {
    const project = path.resolve(params.project);
    const store = await projects.get(project);
    await store.requireItem('model', params.model);
    await store.requireItem('corpus', params.corpus);
    await requireNewRunId(store, params.id);
    const { dir, record } = await runAnySweep(
      { ...params, project },
      {
        signal: ctx.signal,
        onProgress: (p) => {
          const detail: JobProgressDetail<'analyze'> = p;
          ctx.progress({ detail, fraction: analyzeFraction(p), label: p.label, secondsLeft: p.secondsLeft });
        },
      },
    );
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
