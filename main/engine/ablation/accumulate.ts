// The sums behind Δ(τ) and T(k): each ablated loss minus the baseline loss at the same (b, t),
// added by uncertainty group (the source's time window, groupOf, exactly as a sweep groups its
// sources) and by each class of the replaced word w_s; each truncated loss by the group of its
// start. Sums and counts are float64 and add exactly across shares (merge in share order).
import { groupOf } from '../gradients/stream-layout';
import type { TokenIndex } from '../gradients/class-index';
import type { LossSink } from './share-passes';

export interface AblationSums {
  maxDelay: number;
  groups: number;
  classes: number;
  /** [K, D+1]: Σ ℓ_τ(t) − ℓ(t) and the pairs, by the group of s = t − τ */
  delta: Float64Array;
  deltaCount: Float64Array;
  /** [C, K, D+1]: the same by each class of w_s */
  classDelta: Float64Array;
  classCount: Float64Array;
  /** [K, D+1]: Σ loss at t seen from u = t − k + 1 (index k − 1), by the group of u */
  truncation: Float64Array;
  truncationCount: Float64Array;
  /** Σ ℓ(t) over t = 0..L−2 of every stream (the pairs of τ = 0) and their number */
  baselineSum: number;
  baselineCount: number;
}

export function emptySums(maxDelay: number, groups: number, classes: number): AblationSums {
  const n = groups * (maxDelay + 1);
  return {
    maxDelay,
    groups,
    classes,
    delta: new Float64Array(n),
    deltaCount: new Float64Array(n),
    classDelta: new Float64Array(classes * n),
    classCount: new Float64Array(classes * n),
    truncation: new Float64Array(n),
    truncationCount: new Float64Array(n),
    baselineSum: 0,
    baselineCount: 0,
  };
}

/** Adds b into a (same shape). */
export function mergeAblationSums(a: AblationSums, b: AblationSums): void {
  if (a.maxDelay !== b.maxDelay || a.groups !== b.groups || a.classes !== b.classes) throw new Error('ablation sums of different shapes');
  for (const key of ['delta', 'deltaCount', 'classDelta', 'classCount', 'truncation', 'truncationCount'] as const) {
    const x = a[key];
    const y = b[key];
    for (let i = 0; i < x.length; i++) x[i] += y[i];
  }
  a.baselineSum += b.baselineSum;
  a.baselineCount += b.baselineCount;
}

/** A LossSink that adds a share's losses into `sums`; `tokens` [S, L] are the share's. */
export function summingSink(sums: AblationSums, tokens: Int32Array, streams: number, length: number, index: TokenIndex): LossSink {
  const L = length;
  const K = sums.groups;
  const nd = sums.maxDelay + 1;
  const base = new Float64Array(streams * L);
  return {
    baseline(b, t, loss) {
      base[b * L + t] = loss;
      sums.baselineSum += loss;
      sums.baselineCount += 1;
    },
    ablated(b, s, tau, loss) {
      const diff = loss - base[b * L + s + tau];
      const g = groupOf(s, L, K);
      const i = g * nd + tau;
      sums.delta[i] += diff;
      sums.deltaCount[i] += 1;
      const v = tokens[b * L + s];
      for (let m = index.offsets[v]; m < index.offsets[v + 1]; m++) {
        const ci = (index.members[m] * K + g) * nd + tau;
        sums.classDelta[ci] += diff;
        sums.classCount[ci] += 1;
      }
    },
    truncated(b, u, j, loss) {
      const i = groupOf(u, L, K) * nd + j;
      sums.truncation[i] += loss;
      sums.truncationCount[i] += 1;
    },
  };
}
