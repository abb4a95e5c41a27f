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
    .object({
      sigma1: StandardErrorSchema.nullable(),
      sum: StandardErrorSchema.nullable(),
      /** SEs of σ₁/Σσ and top-5/Σσ over the K groups (analysis version 2 on; null before). */
      ratio1: StandardErrorSchema.nullable().default(null),
      ratio5: StandardErrorSchema.nullable().default(null),
    })
    .nullable(),
  /**
   * s̄: the RMS over the H×E entries of the per-entry standard errors of Ḡ_τ (over the K
   * groups, in the analysed coordinates). (√H + √E)·s̄ is σ₁ of a matrix of pure noise of
   * that size. Null without groups or in runs made before analysis version 2.
   */
  noiseFloor: maybe.default(null),
  classes: z.record(z.string(), SpectrumStatsSchema),
  /** Per class: SEs of its σ₁ and Σσ over the K groups; empty when not accumulated per group. */
  classSe: z
    .record(z.string(), z.object({ sigma1: StandardErrorSchema.nullable(), sum: StandardErrorSchema.nullable() }))
    .default({}),
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

export const DecayModelNameSchema = z.enum(['exponential', 'two-exponentials', 'power-law']);

/** One decay model fitted to y(τ) for τ ≥ 1 (weighted by the group SEs when there are groups). */
export const DecayModelFitSchema = z.object({
  model: DecayModelNameSchema,
  /**
   * exponential: a, k (y = a·e^(−kτ), a ≥ 0, −1 ≤ k ≤ 10); two-exponentials: a1, k1, a2, k2
   * (y = a1·e^(−k1·τ) + a2·e^(−k2·τ), a1, a2 ≥ 0, 10 ≥ k1 ≥ k2 ≥ 0); power-law: a, p (y = a·τ^(−p), a ≥ 0)
   */
  params: z.record(z.string(), num),
  /** number of fitted parameters, as counted by the AIC */
  parameterCount: count,
  /** weighted residual sum of squares Σ w·(y − fit)², w = 1/SE² (1 when unweighted) */
  sse: num,
  /** 1 − SSE/SST, SST = Σ w·(y − ȳ_w)² about the weighted mean; null when y is constant */
  r2: maybe,
  /** n·ln(SSE/n) + 2·parameterCount (see main/engine/analysis/decay-models.ts) */
  aic: maybe,
  /**
   * A decay rate of the fit sits at its cap (10 per token): that component only fits the first
   * fitted delay, so the fit is a boundary solution that AIC cannot rank. Reported, never chosen.
   */
  atRateCap: z.boolean().default(false),
});

/** Model-free memory length: smallest τ with y(τ) < threshold·max y; null = never within 0..D. */
export const MemoryLengthSchema = z.object({
  threshold: num,
  tau: count.nullable(),
  /**
   * Its range from y ± 1 SE: low = first τ with y − SE < threshold·(max + its SE), high = first τ
   * with y + SE < threshold·(max − its SE), so low ≤ tau ≤ high (null: never within 0..D, or no SEs).
   */
  low: count.nullable(),
  high: count.nullable(),
  maxDelay: count,
  /** whether every delay had a standard error (otherwise low and high are null) */
  withSe: z.boolean(),
});

/** y of a fitted decay model at delay τ: the definition of each model's parameters, for the engine and the plots. */
export function decayModelValue(fit: { model: z.infer<typeof DecayModelNameSchema>; params: Record<string, number> }, tau: number): number {
  const p = fit.params;
  switch (fit.model) {
    case 'exponential':
      return p.a * Math.exp(-p.k * tau);
    case 'two-exponentials':
      return p.a1 * Math.exp(-p.k1 * tau) + p.a2 * Math.exp(-p.k2 * tau);
    case 'power-law':
      return p.a * Math.pow(tau, -p.p);
  }
}

export const DecayModelsSchema = z.object({
  /** the delays fitted (τ ≥ 1) */
  from: count,
  to: count,
  /** weights 1/SE² (every fitted delay had a positive SE) or none */
  weighted: z.boolean(),
  fits: z.array(DecayModelFitSchema),
  /** the fit with the lowest AIC; null when none could be fitted */
  chosen: DecayModelNameSchema.nullable(),
  memoryLength: MemoryLengthSchema,
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
  /** 1: written before decay models, ratio SEs, noise floors and class SEs; 2: with them. */
  analysisVersion: z.union([z.literal(1), z.literal(2)]),
  shape: z.object({ hidden: count, embedding: count, delays: count, vocabulary: count }),
  normalisation: NormalisationSummarySchema,
  /** how many singular vectors were kept per delay */
  vectors: count,
  /** K, the number of groups behind the standard errors; null without groups */
  groups: count.nullable(),
  properties: z.array(PropertyInfoSchema),
  decay: z.object({ sigma1: DecayFitSchema.nullable(), sum: DecayFitSchema.nullable() }),
  /** Exponential, two-exponential and power-law fits with the chosen one; null in version-1 runs until read (read-run fills them in). */
  decayModels: z.object({ sigma1: DecayModelsSchema.nullable(), sum: DecayModelsSchema.nullable() }).nullable().default(null),
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
export type DecayModelName = z.infer<typeof DecayModelNameSchema>;
export type DecayModelFit = z.infer<typeof DecayModelFitSchema>;
export type DecayModels = z.infer<typeof DecayModelsSchema>;
export type MemoryLength = z.infer<typeof MemoryLengthSchema>;
export type NormalisationSummary = z.infer<typeof NormalisationSummarySchema>;
export type RunSummary = z.infer<typeof RunSummarySchema>;
