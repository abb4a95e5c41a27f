// The analysis part of run.json (its `summary`): a per-delay summary of a state-gradient
// run, written by main/engine/analysis/summarise-run.ts. Quantities that can be undefined (a ratio over
// an all-zero spectrum, m when σ₁ = 0, a standard error with < 2 groups) are null, never NaN.
import { z } from 'zod';

const num = z.number();
const maybe = z.number().nullable();
const count = z.number().int().nonnegative();

export const SpectrumStatsSchema = z.object({
  sigma1: num,
  sum: num,
  /** σ₁/Σσ */
  ratio1: maybe,
  /** Σ_{n≤5}σ_n/Σσ */
  ratio5: maybe,
});

/** Between-group standard error: sd of the K group values (divisor K−1) over √K. */
export const StandardErrorSchema = z.object({
  mean: num,
  sd: num,
  se: num,
  groups: count,
});

export const PropertyDelaySchema = z.object({
  /** r = ‖Ḡ_τ d̂‖ */
  r: num,
  /** m = r/σ₁ */
  m: maybe,
  mSe: StandardErrorSchema.nullable(),
  /** cos(d, H_n) for n = 1..10 (index 0 is n = 1) */
  cos: z.array(num),
});

export const AlignedWordSchema = z.object({ word: z.string(), id: count, cos: num });

export const AlignedDirectionSchema = z.object({
  /** 1-based index of the right singular vector v_k */
  k: z.number().int().positive(),
  positive: z.array(AlignedWordSchema),
  negative: z.array(AlignedWordSchema),
});

export const DelaySummarySchema = SpectrumStatsSchema.extend({
  tau: count,
  /** The leading singular values (up to `vectors` of them); the full spectrum goes to an array file. */
  topSigma: z.array(num),
  se: z
    .object({ sigma1: StandardErrorSchema.nullable(), sum: StandardErrorSchema.nullable() })
    .nullable(),
  classes: z.record(z.string(), SpectrumStatsSchema),
  words: z.record(z.string(), SpectrumStatsSchema),
  properties: z.record(z.string(), PropertyDelaySchema),
  aligned: z.array(AlignedDirectionSchema),
});

export const ProbeSchema = z.object({
  countA: count,
  countB: count,
  trainSize: count,
  testSize: count,
  trainAccuracy: num,
  testAccuracy: num,
  baseline: num,
  lambda: num,
  testFraction: num,
  seed: num,
  iterations: count,
  converged: z.boolean(),
});

export const PropertyInfoSchema = z.object({
  name: z.string(),
  classA: z.string(),
  classB: z.string(),
  /** distinct word types listed for each class, and how many are in the vocabulary */
  listedA: count,
  foundA: count,
  listedB: count,
  foundB: count,
  /** a sample of listed words not in the vocabulary */
  missingA: z.array(z.string()),
  missingB: z.array(z.string()),
  /** word types in both classes */
  overlap: count,
  /** ‖ē_a − ē_b‖ in raw embedding coordinates */
  norm: num,
  probe: ProbeSchema.nullable(),
  probeError: z.string().nullable(),
});

export const DecayFitSchema = z.object({
  from: count,
  to: count,
  used: z.array(count),
  slope: num,
  intercept: num,
  decayLength: maybe,
  halfLife: maybe,
  r2: maybe,
  /** per delay τ: ln y(τ) − fit, null where τ was not used */
  residuals: z.array(maybe),
});

export const NormalisationSummarySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({
    kind: z.literal('equal-variance'),
    covariance: z.literal('sample'),
    rows: count,
    ridge: num,
    ridgeAbsolute: num,
    minPivotRatio: num,
  }),
]);

export const RunSummarySchema = z.object({
  analysisVersion: z.literal(1),
  shape: z.object({ hidden: count, embedding: count, delays: count, vocabulary: count }),
  normalisation: NormalisationSummarySchema,
  /** how many singular vectors were kept per delay */
  vectors: count,
  /** K, the number of groups behind the standard errors; null without groups */
  groups: count.nullable(),
  properties: z.array(PropertyInfoSchema),
  decay: z.object({ sigma1: DecayFitSchema.nullable(), sum: DecayFitSchema.nullable() }),
  delays: z.array(DelaySummarySchema),
  warnings: z.array(z.string()),
  timings: z.object({ svdSeconds: num, totalSeconds: num, svdCount: count }),
});

export type SpectrumStats = z.infer<typeof SpectrumStatsSchema>;
export type StandardErrorSummary = z.infer<typeof StandardErrorSchema>;
export type PropertyDelay = z.infer<typeof PropertyDelaySchema>;
export type DelaySummary = z.infer<typeof DelaySummarySchema>;
export type PropertyInfo = z.infer<typeof PropertyInfoSchema>;
export type DecayFitSummary = z.infer<typeof DecayFitSchema>;
export type NormalisationSummary = z.infer<typeof NormalisationSummarySchema>;
export type RunSummary = z.infer<typeof RunSummarySchema>;
