// Between-group standard errors. The sources (positions t−τ) are split into K disjoint groups
// and the accumulator keeps one Ḡ_τ mean per group. Each statistic (σ₁, Σσ, m) is computed
// from each group's own Ḡ_τ, and SE = sd(group values)/√K with the sample sd (divisor K−1):
// the standard error of the mean of K independent, similar-sized estimates. It approximates
// the uncertainty of the full-data statistic (the full Ḡ_τ is the mean of the group means
// when groups are equal in size). σ₁ and Σσ of a smaller sample are biased upwards by noise,
// so the group values' mean can exceed the full-data value; the SE is the spread, not a
// bias correction.
import type { Mat } from './matrix';
import { propertyMemory } from './properties';
import { type Spectrum, spectrumOf } from './spectrum';

export interface StandardError {
  /** Mean of the group values. */
  mean: number;
  /** Sample standard deviation of the group values (divisor K−1). */
  sd: number;
  /** sd/√K. */
  se: number;
  /** K: the number of groups with a defined value. */
  groups: number;
}

/** SE of the mean of `values`; non-finite values (undefined in a group) are skipped. Null with fewer than 2. */
export function standardError(values: readonly number[]): StandardError | null {
  const v = values.filter((x) => Number.isFinite(x));
  const k = v.length;
  if (k < 2) return null;
  const mean = v.reduce((s, x) => s + x, 0) / k;
  const sd = Math.sqrt(v.reduce((s, x) => s + (x - mean) * (x - mean), 0) / (k - 1));
  return { mean, sd, se: sd / Math.sqrt(k), groups: k };
}

export interface GroupValues {
  sigma1: number[];
  sum: number[];
  /** σ₁/Σσ and top-5/Σσ per group (NaN where the group's Σσ is 0). */
  ratio1: number[];
  ratio5: number[];
  /** property name → m per group (NaN where the group's σ₁ is 0). */
  m: Record<string, number[]>;
}

/**
 * σ₁, Σσ and m of each group's Ḡ_τ at one delay. `groups` must be what the analysis uses
 * (Ḡ_τ, or Ḡ_τ·D when normalised) and `units` the matching unit property vectors d̂.
 */
export function groupValues(
  groups: readonly Mat[],
  units: Readonly<Record<string, ArrayLike<number>>> = {},
  // Only values are needed: m uses σ₁ and ‖Ḡ d̂‖, not the singular vectors.
  spectrum: (g: Mat) => Spectrum = (g) => spectrumOf(g, { vectors: 0 }),
): GroupValues {
  const out: GroupValues = { sigma1: [], sum: [], ratio1: [], ratio5: [], m: {} };
  for (const name of Object.keys(units)) out.m[name] = [];
  for (const g of groups) {
    const s = spectrum(g);
    out.sigma1.push(s.sigma1);
    out.sum.push(s.sum);
    out.ratio1.push(s.ratio1);
    out.ratio5.push(s.ratio5);
    for (const [name, unit] of Object.entries(units)) out.m[name].push(propertyMemory(g, s, unit, 0).m);
  }
  return out;
}

export interface GroupStandardErrors {
  sigma1: StandardError | null;
  sum: StandardError | null;
  m: Record<string, StandardError | null>;
}

export function groupStandardErrors(
  groups: readonly Mat[],
  units: Readonly<Record<string, ArrayLike<number>>> = {},
): GroupStandardErrors {
  const v = groupValues(groups, units);
  const m: Record<string, StandardError | null> = {};
  for (const [name, values] of Object.entries(v.m)) m[name] = standardError(values);
  return { sigma1: standardError(v.sigma1), sum: standardError(v.sum), m };
}

/**
 * s̄, the noise floor of a mean over K groups: the RMS over the matrix entries of each entry's
 * standard error, SE_ij = sd(the K groups' entries ij)/√K with the sample sd (divisor K−1).
 * (√rows + √cols)·s̄ is about σ₁ of a matrix of independent noise of that size and spread.
 * Null with fewer than 2 groups.
 */
export function noiseFloor(groups: readonly Mat[]): number | null {
  const k = groups.length;
  if (k < 2) return null;
  const n = groups[0].rows * groups[0].cols;
  for (const g of groups) {
    if (g.rows * g.cols !== n || g.data.length !== n) throw new Error('noise floor: the group matrices differ in shape');
  }
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    let mean = 0;
    for (const g of groups) mean += g.data[i];
    mean /= k;
    let ss = 0;
    for (const g of groups) {
      const d = g.data[i] - mean;
      ss += d * d;
    }
    // SE² of this entry: sample variance / K
    sumSq += ss / (k - 1) / k;
  }
  return Math.sqrt(sumSq / n);
}
