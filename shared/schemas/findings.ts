// The findings check of a run (issue 8 §3): for each published finding about LSTM memory,
// whether this run's numbers agree with it. Computed from run.json by
// main/engine/runs/findings.ts; served by `runFindings` and with `runCompare`; printed by
// `mnemoscope findings`. The tests themselves are documented in the README ("Checking a run
// against the paper").
import { z } from 'zod';
import { CellSchema } from './model';
import { ItemIdSchema } from './project';

/** The stable ids, in the order they are reported. */
export const FINDING_IDS = [
  'sv-decay-fast',
  'memory-after-20',
  'selectivity-increases',
  'pronoun-largest-at-0',
  'properties-drop-early',
  'sgpl-then-cmpr',
  'decay-not-exponential',
  'nouns-remembered-best',
  'rare-remembered-longer',
] as const;
/** Findings about a sweep together with a context ablation of the same model, corpus and split (issue 13), after FINDING_IDS. */
export const PAIR_FINDING_IDS = ['gradient-matches-behaviour'] as const;
export const FindingIdSchema = z.enum([...FINDING_IDS, ...PAIR_FINDING_IDS]);
export type FindingId = z.infer<typeof FindingIdSchema>;

export const FindingSchema = z.object({
  id: FindingIdSchema,
  /** the finding in one line, as the literature states it */
  title: z.string(),
  /** where it was published */
  source: z.string(),
  /** true: the run agrees; false: it does not; null: cannot tell (see `reason`) */
  holds: z.boolean().nullable(),
  /** why it cannot tell (holds null): what is missing or too uncertain; null otherwise */
  reason: z.string().nullable(),
  /** one sentence on what decided the answer (also when holds is null) */
  detail: z.string(),
  /** the exact test, with this run's delays and K filled in */
  test: z.string(),
  /** the values the answer rests on, keyed `quantity@τ` (e.g. `sigma1@5`, `NOUN.sigma1@0`); null where undefined */
  numbers: z.record(z.string(), z.number().nullable()),
});
export type Finding = z.infer<typeof FindingSchema>;

export const RunFindingsSchema = z.object({
  run: ItemIdSchema,
  /** the run summary's analysis version (1: made before the statistics some tests need) */
  analysisVersion: z.number().int().positive(),
  /** the cell of the analysed layer (the published findings were made on LSTMs) */
  cell: CellSchema.default('lstm'),
  /** for a cell other than the LSTM: that the expected values come from LSTMs; null for an LSTM */
  caveat: z.string().nullable().default(null),
  /** one per id of FINDING_IDS, in that order; then, when checked beside an ablation, one per id of PAIR_FINDING_IDS */
  findings: z.array(FindingSchema),
  /** the ablation run checked beside this sweep (PAIR_FINDING_IDS), when one was */
  ablation: ItemIdSchema.optional(),
});
export type RunFindings = z.infer<typeof RunFindingsSchema>;
