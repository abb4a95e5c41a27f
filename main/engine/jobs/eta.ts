// Time left from the fraction done and the time spent, for jobs that cannot estimate it better.

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
