// Time left from the fraction done and the time spent, for jobs that cannot estimate it better.
import type { PhaseProgress } from '../../../shared/schemas/progress';

/** Seconds left, or null while too little is done to say (the first 2 % and the first second are noise). */
export function estimateSecondsLeft(fraction: number | null, elapsedSeconds: number): number | null {
  if (fraction === null || !Number.isFinite(fraction)) return null;
  if (fraction >= 1) return 0;
  if (fraction < 0.02 || elapsedSeconds < 1) return null;
  return (elapsedSeconds * (1 - fraction)) / fraction;
}

/** A fraction clamped to 0..1; anything not a finite number means "unknown". */
export function cleanFraction(fraction: number | null | undefined): number | null {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return null;
  return Math.min(1, Math.max(0, fraction));
}

/**
 * A phase progress from work counted in units (positions, cell steps): the fraction done and
 * the time left at the rate so far; the label is told the counts and the rate (units/s).
 */
export function countProgress<Phase extends string>(
  phase: Phase,
  done: number,
  total: number,
  elapsedSeconds: number,
  label: (rate: number) => string,
): PhaseProgress<Phase> {
  const rate = elapsedSeconds > 0 ? done / elapsedSeconds : 0;
  return {
    phase,
    fraction: total > 0 ? Math.min(1, done / total) : 1,
    label: label(rate),
    secondsLeft: secondsLeftAtRate(done, total, elapsedSeconds),
  };
}

/** Seconds until `total` units are done at the rate so far; null before the first unit. */
export function secondsLeftAtRate(done: number, total: number, elapsedSeconds: number): number | null {
  const rate = elapsedSeconds > 0 ? done / elapsedSeconds : 0;
  return rate > 0 ? Math.max(0, (total - done) / rate) : null;
}
