// A job that runs in phases (analyze, merge, ablate, the synthetic pipeline's analysis) reports
// one PhaseProgress (shared/schemas/progress.ts); its runner's table of where each phase sits
// turns that into the job's fraction of the whole. The job manager throttles what it emits.
import type { PhaseProgress } from '../../../shared/schemas/progress';
import type { ProgressUpdate } from './job-manager';

/** Where each phase starts in the whole job and what share of it the phase takes. */
export type PhaseShares<Phase extends string> = Record<Phase, [start: number, share: number]>;

/** The job's fraction from the fraction of its current phase. */
export function phaseFraction<Phase extends string>(phases: PhaseShares<Phase>, p: PhaseProgress<Phase>): number {
  const [start, share] = phases[p.phase];
  const within = Number.isFinite(p.fraction) ? Math.min(1, Math.max(0, p.fraction)) : 0;
  return start + share * within;
}

/** The job manager's update for a phase progress: the progress itself is the event's detail. */
export function phaseUpdate<Phase extends string>(phases: PhaseShares<Phase>, p: PhaseProgress<Phase>): ProgressUpdate {
  return { detail: p, fraction: phaseFraction(phases, p), label: p.label, secondsLeft: p.secondsLeft };
}
