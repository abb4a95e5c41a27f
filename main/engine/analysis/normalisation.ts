// Optional equal-variance normalisation (DESIGN.md §3, from the authors' journal follow-up):
// C = covariance of the vocabulary's embedding rows, D = chol(C) lower, Z = D⁻¹.
// The analysis then uses Ḡ_τ·D in place of Ḡ_τ and maps property vectors d ↦ Z·d, so that
// ‖(Ḡ_τ D)(Z d)‖ = ‖Ḡ_τ d‖: directions are measured in units in which the embeddings have
// identity covariance, and a direction that merely has large embedding variance no longer
// dominates.
//
// C is the SAMPLE covariance (divisor V−1, numpy.cov's default), centred on the row mean.
// The choice only rescales D by √(V/(V−1)); m and cos(d, H_n) are unaffected by it, σ values
// are scaled by that factor.
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { type DelayStack, type Mat, checkMat, checkStack } from './matrix';

export interface NormalisationOptions {
  /** Embedding rows to use (default: every vocabulary row). */
  rows?: ArrayLike<number>;
  /**
   * Ridge added to the diagonal, RELATIVE to the mean variance: C + ridge·(tr C / E)·I.
   * Default 0: a singular covariance is an error. A small ridge (e.g. 1e-6) makes it
   * invertible; the absolute amount is reported in `ridgeAbsolute`.
   */
  ridge?: number;
}

export interface EqualVariance {
  kind: 'equal-variance';
  /** Embedding size E. */
  dim: number;
  /** Number of embedding rows the covariance was computed from. */
  rows: number;
  covariance: 'sample';
  ridge: number;
  ridgeAbsolute: number;
  mean: Float64Array;
  /** C, D and Z, each [E, E] row-major; D and Z are lower triangular. */
  C: Float64Array;
  D: Float64Array;
  Z: Float64Array;
  /**
   * min_j D_jj² / C_jj: the fraction of dimension j's variance not explained by dimensions
   * < j. 1 for uncorrelated dimensions, → 0 as C approaches singularity.
   */
  minPivotRatio: number;
}

export class NormalisationError extends Error {
  override name = 'NormalisationError';
}

/** Pivot ratios below this are treated as singular: Z would amplify rounding noise by > 10⁵. */
export const SINGULAR_PIVOT_RATIO = 1e-10;

export function equalVarianceNormalisation(embeddings: Mat, options: NormalisationOptions = {}): EqualVariance {
  checkMat(embeddings, 'embedding matrix');
  const E = embeddings.cols;
  const rows = options.rows ? Array.from(options.rows) : Array.from({ length: embeddings.rows }, (_, i) => i);
  for (const r of rows) {
    if (!Number.isInteger(r) || r < 0 || r >= embeddings.rows) throw new RangeError(`embedding row ${r} does not exist`);
  }
  const ridge = options.ridge ?? 0;
  if (!(ridge >= 0) || !Number.isFinite(ridge)) throw new RangeError(`ridge must be a finite number ≥ 0, got ${ridge}`);
  const n = rows.length;
  if (n < 2) throw new NormalisationError(`equal-variance normalisation needs at least 2 embedding rows, got ${n}`);

  const x = embeddings.data;
  const mean = new Float64Array(E);
  for (const r of rows) for (let j = 0; j < E; j++) mean[j] += x[r * E + j];
  for (let j = 0; j < E; j++) mean[j] /= n;

  // Upper triangle of Σ (x−μ)(x−μ)ᵀ, then mirrored so C is exactly symmetric (ml-matrix's
  // Cholesky insists on exact symmetry).
  const C = new Float64Array(E * E);
  const xc = new Float64Array(E);
  for (const r of rows) {
    for (let j = 0; j < E; j++) xc[j] = x[r * E + j] - mean[j];
    for (let i = 0; i < E; i++) {
      const a = xc[i];
      if (a === 0) continue;
      const o = i * E;
      for (let j = i; j < E; j++) C[o + j] += a * xc[j];
    }
  }
  let trace = 0;
  for (let i = 0; i < E; i++) {
    for (let j = i; j < E; j++) {
      C[i * E + j] /= n - 1;
      C[j * E + i] = C[i * E + j];
    }
    trace += C[i * E + i];
  }
  if (!(trace > 0)) throw new NormalisationError('the embedding rows are all identical: their covariance is zero');
  const ridgeAbsolute = (ridge * trace) / E;
  for (let i = 0; i < E; i++) C[i * E + i] += ridgeAbsolute;

  const cm = new Matrix(E, E);
  for (let i = 0; i < E; i++) for (let j = 0; j < E; j++) cm.set(i, j, C[i * E + j]);
  const chol = new CholeskyDecomposition(cm);
  const D = new Float64Array(E * E);
  let minPivotRatio = Infinity;
  let worst = 0;
  for (let i = 0; i < E; i++) {
    for (let j = 0; j <= i; j++) D[i * E + j] = chol.lowerTriangularMatrix.get(i, j);
    const ratio = C[i * E + i] > 0 ? (D[i * E + i] * D[i * E + i]) / C[i * E + i] : 0;
    if (ratio < minPivotRatio) {
      minPivotRatio = ratio;
      worst = i;
    }
  }
  if (!chol.isPositiveDefinite() || minPivotRatio < SINGULAR_PIVOT_RATIO) {
    const why = n <= E ? ` (only ${n} rows for ${E} dimensions: at most ${n - 1} are independent)` : '';
    throw new NormalisationError(
      `the embedding covariance is singular or nearly so${why}: dimension ${worst} is ` +
        `${minPivotRatio <= 0 ? 'a linear combination' : `almost a linear combination (relative pivot ${minPivotRatio.toExponential(2)})`} ` +
        `of the dimensions before it, so Z = D⁻¹ does not exist. Use normalisation 'none', or a small ridge (e.g. 1e-6).`,
    );
  }
  return {
    kind: 'equal-variance',
    dim: E,
    rows: n,
    covariance: 'sample',
    ridge,
    ridgeAbsolute,
    mean,
    C,
    D,
    Z: invertLower(D, E),
    minPivotRatio,
  };
}

/** Inverse of a lower-triangular [n, n] matrix by forward substitution (exact structure, no pivoting needed). */
export function invertLower(L: Float64Array, n: number): Float64Array {
  const Z = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    Z[j * n + j] = 1 / L[j * n + j];
    for (let i = j + 1; i < n; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s += L[i * n + k] * Z[k * n + j];
      Z[i * n + j] = -s / L[i * n + i];
    }
  }
  return Z;
}

/** Ḡ·D for one Ḡ [H, E]; D is lower triangular, so only k ≥ j contributes. */
export function normaliseGradient(g: Mat, nm: EqualVariance): Mat {
  checkMat(g, 'Ḡ');
  const E = nm.dim;
  if (g.cols !== E) throw new Error(`Ḡ has ${g.cols} columns but the embedding size is ${E}`);
  const out = new Float64Array(g.rows * E);
  for (let i = 0; i < g.rows; i++) {
    const go = i * E;
    for (let k = 0; k < E; k++) {
      const a = g.data[go + k];
      if (a === 0) continue;
      const dk = k * E;
      for (let j = 0; j <= k; j++) out[go + j] += a * nm.D[dk + j];
    }
  }
  return { data: out, rows: g.rows, cols: E };
}

export function normaliseStack(s: DelayStack, nm: EqualVariance): DelayStack {
  checkStack(s);
  const n = s.rows * s.cols;
  const data = new Float64Array(s.delays * n);
  for (let t = 0; t < s.delays; t++) {
    const m = normaliseGradient({ data: s.data.subarray(t * n, (t + 1) * n), rows: s.rows, cols: s.cols }, nm);
    data.set(m.data, t * n);
  }
  return { data, delays: s.delays, rows: s.rows, cols: s.cols };
}

/** d ↦ Z·d (property vectors, and embedding rows when aligning words in normalised space). */
export function normaliseVector(d: ArrayLike<number>, nm: EqualVariance): Float64Array {
  const E = nm.dim;
  if (d.length !== E) throw new Error(`vector of length ${d.length} does not match embedding size ${E}`);
  const out = new Float64Array(E);
  for (let i = 0; i < E; i++) {
    let s = 0;
    for (let k = 0; k <= i; k++) s += nm.Z[i * E + k] * d[k];
    out[i] = s;
  }
  return out;
}
