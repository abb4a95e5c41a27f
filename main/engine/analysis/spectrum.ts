// Singular value spectrum of an averaged state gradient Ḡ_τ [H, E] (DESIGN.md §3):
// Ḡ_τ = U Σ Vᵀ with σ₁ ≥ σ₂ ≥ … ≥ 0; σ₁, Σσ, σ₁/Σσ, Σ_{n≤5}σ_n/Σσ, the full spectrum and
// the top-k singular vectors (right ones are directions in embedding space).
import { SingularValueDecomposition } from 'ml-matrix';
import { type DelayStack, type Mat, checkMat, delayMatrix, matVec, toMlMatrix } from './matrix';
import { singularValues } from './singular-values';

export interface SpectrumOptions {
  /**
   * How many leading singular vector pairs to return (default 10). 0 = values only, which
   * uses the faster values-only routine of singular-values.ts instead of ml-matrix.
   */
  vectors?: number;
  /** Also return the left singular vectors u_1..u_k (default true). */
  left?: boolean;
}

export interface Spectrum {
  /** All min(H, E) singular values, descending, non-negative. */
  sigma: Float64Array;
  sigma1: number;
  sum: number;
  /** σ₁/Σσ; NaN when Σσ = 0 (an all-zero Ḡ, e.g. a class never seen at this delay). */
  ratio1: number;
  /** Σ_{n≤5}σ_n/Σσ (all of them when fewer than 5); NaN when Σσ = 0. */
  ratio5: number;
  /** v_1..v_k, each of length E (unit norm). */
  right: Float64Array[];
  /** u_1..u_k, each of length H (unit norm); empty when not requested. */
  left: Float64Array[];
}

export const DEFAULT_VECTORS = 10;

/**
 * SVD of one matrix. Sign convention (singular vectors are only defined up to a joint sign
 * flip of u_k and v_k): each v_k is flipped so its largest-magnitude component is positive,
 * which makes runs and delays comparable. Left vectors are recovered as u_k = Ḡ v_k / σ_k
 * (so U need not be computed, about 40% of the SVD's time), falling back to a full SVD when
 * some requested σ_k is numerically zero and u_k is not determined by v_k.
 */
export function spectrumOf(g: Mat, options: SpectrumOptions = {}): Spectrum {
  checkMat(g, 'Ḡ');
  for (let i = 0; i < g.data.length; i++) {
    if (!Number.isFinite(g.data[i])) throw new Error(`Ḡ contains a non-finite value at index ${i}`);
  }
  const n = Math.min(g.rows, g.cols);
  const k = Math.min(options.vectors ?? DEFAULT_VECTORS, n);
  if (k === 0) return fromValues(singularValues(g), [], []);
  const wantLeft = options.left ?? true;
  const a = toMlMatrix(g);
  const svd = new SingularValueDecomposition(a, {
    computeLeftSingularVectors: false,
    computeRightSingularVectors: true,
    autoTranspose: true,
  });
  const raw = svd.diagonal.slice(0, n);
  // ml-matrix (a JAMA port) returns σ sorted descending and ≥ 0; enforce it anyway so a
  // library change cannot silently reorder the spectrum.
  const order = raw.map((_, i) => i).sort((i, j) => raw[j] - raw[i] || i - j);
  const sigma = Float64Array.from(order, (i) => Math.abs(raw[i]));

  const right: Float64Array[] = [];
  for (let c = 0; c < k; c++) right.push(Float64Array.from(svd.rightSingularVectors.getColumn(order[c])));
  let left: Float64Array[] = [];
  if (wantLeft) {
    const tiny = Math.max(g.rows, g.cols) * Number.EPSILON * sigma[0];
    if (sigma[0] > 0 && sigma[k - 1] > tiny * 1e3) {
      left = right.map((v, c) => scale(matVec(g, v), 1 / sigma[c]));
    } else {
      const full = new SingularValueDecomposition(a, { autoTranspose: true });
      const s = full.diagonal.slice(0, n);
      const ord = s.map((_, i) => i).sort((i, j) => s[j] - s[i] || i - j);
      right.length = 0;
      for (let c = 0; c < k; c++) {
        right.push(Float64Array.from(full.rightSingularVectors.getColumn(ord[c])));
        left.push(Float64Array.from(full.leftSingularVectors.getColumn(ord[c])));
      }
    }
  }
  for (let c = 0; c < right.length; c++) {
    if (signOfLargest(right[c]) < 0) {
      negate(right[c]);
      if (left[c]) negate(left[c]);
    }
  }

  return fromValues(sigma, right, left);
}

function fromValues(sigma: Float64Array, right: Float64Array[], left: Float64Array[]): Spectrum {
  let sum = 0;
  for (const s of sigma) sum += s;
  let top5 = 0;
  for (let i = 0; i < Math.min(5, sigma.length); i++) top5 += sigma[i];
  return {
    sigma,
    sigma1: sigma[0],
    sum,
    ratio1: sum > 0 ? sigma[0] / sum : NaN,
    ratio5: sum > 0 ? top5 / sum : NaN,
    right,
    left,
  };
}

/** Spectra of every delay of a stack, τ = 0..delays−1. `onDelay` reports progress (SVDs are slow for large H). */
export function spectraOf(
  stack: DelayStack,
  options: SpectrumOptions = {},
  onDelay?: (tau: number) => void,
): Spectrum[] {
  const out: Spectrum[] = [];
  for (let t = 0; t < stack.delays; t++) {
    out.push(spectrumOf(delayMatrix(stack, t), options));
    onDelay?.(t);
  }
  return out;
}

function scale(v: Float64Array, f: number): Float64Array {
  for (let i = 0; i < v.length; i++) v[i] *= f;
  return v;
}

function negate(v: Float64Array): void {
  for (let i = 0; i < v.length; i++) v[i] = -v[i];
}

function signOfLargest(v: Float64Array): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (Math.abs(v[i]) > Math.abs(v[best])) best = i;
  return v[best] < 0 ? -1 : 1;
}
