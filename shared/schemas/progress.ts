// The one progress shape of a job that runs in phases (analyze, merge, ablate): the phase it
// is in, the fraction done of that phase, what it is doing, and the time left if known. The
// job's own fraction of the whole comes from where each phase sits (its runner's table).
import { z } from 'zod';

/** A phase progress schema over the given phases. */
export function phaseProgressSchema<const P extends readonly [string, ...string[]]>(phases: P) {
  return z.object({
    phase: z.enum(phases),
    /** Of the current phase (the job's own fraction is of the whole run). */
    fraction: z.number(),
    label: z.string(),
    secondsLeft: z.number().nullable(),
  });
}

export interface PhaseProgress<Phase extends string = string> {
  phase: Phase;
  fraction: number;
  label: string;
  secondsLeft: number | null;
}

/** The phases of a sweep (analyze) and of a merge of shards (which has no accumulate step of its own). */
export const AnalyzeJobProgressSchema = phaseProgressSchema(['prepare', 'accumulate', 'summarise', 'write']);
export type AnalyzeProgress = PhaseProgress<z.infer<typeof AnalyzeJobProgressSchema>['phase']>;

/** Baseline, ablate and truncate: each share runs them in turn; `phase` is the earliest any share is in and `fraction` is of the three passes together. */
export const AblateJobProgressSchema = phaseProgressSchema(['prepare', 'baseline', 'ablate', 'truncate', 'write']);
export type AblateProgress = PhaseProgress<z.infer<typeof AblateJobProgressSchema>['phase']>;
