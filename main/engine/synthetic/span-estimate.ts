// The blind span estimate (issue 8 §6): where does the analysis alone say the marker's memory
// ends? It reads only the memory profile r(τ) = ‖Ḡ^marker_τ d̂‖ of the marker sources, never
// the generator's K, so comparing it with K is a test the analysis could fail.
//
// The estimate is the knee of r: the first delay after r's peak at which r has fallen below a
// quarter of that peak, k = min{τ > argmax r : r(τ) < ¼ · max r}. Why that is K (verdict.ts):
// the marker is needed up to delay K−1 (the state at marker + K−1 predicts the target), so a
// model that learnt the task holds r there; at τ = K it has read the target, the marker is
// worth nothing any more, and a model that counts to K drops it at once. Measured on the
// benchmark's models (README, "The synthetic memory benchmark"): r(K−1) is 0.36–1 of the peak
// (the peak is at K−2 or K−1) and r(K) 0.05–0.21 of it, so the ¼ line falls between them.
//
// A knee is more than a crossing: any decay crosses ¼ somewhere. Two conditions, the
// reasoning of the verdict's `held` and `dropped` checks, make a steady decay fail:
//   held     (r(k−1)/r(0))^(1/(k−1)) ≥ 0.8: the memory was kept until the knee;
//   collapse min(r(k)/r(k−1), (r(k+1)/r(k−1))^(1/2)) ≤ 0.5: it then falls at least twofold
//            per step, in the step to k or over the two steps to k+1.
// An exponential f^τ has held = collapse = f, so it fails one of them for every f. Without a
// knee the estimate is null, with the reason.

export interface SpanEstimateThresholds {
  /** the knee is the first delay after the peak below this share of it */
  fall: number;
  /** minimum per-step retention of r from τ = 0 to the delay before the knee */
  held: number;
  /** maximum per-step retention of r across the knee (k−1 to k, or k−1 to k+1 per step) */
  collapse: number;
}

export const SPAN_ESTIMATE_THRESHOLDS: SpanEstimateThresholds = { fall: 0.25, held: 0.8, collapse: 0.5 };

export interface SpanEstimate {
  /** the estimated K: the delay of the knee; null when r has no knee */
  span: number | null;
  /** how the knee was found, or why there is none */
  reason: string;
  /** the first delay after the peak below `fall` × the peak (null: none within the profile) */
  crossing: number | null;
  /** delay and value of r's largest value (the first, if several) */
  peak: { tau: number; r: number } | null;
  /** r(k−1)/peak and r(k)/peak at the crossing k */
  before: number | null;
  after: number | null;
  /** per-step retention from τ = 0 to k−1, and across the knee (the smaller of k−1→k and k−1→k+1) */
  held: number | null;
  collapse: number | null;
  thresholds: SpanEstimateThresholds;
}

const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : String(x));

/** The knee of r(τ), from the profile alone (rows in any order, τ = 0..D without holes). */
export function estimateSpan(profile: readonly { tau: number; r: number }[], thresholds: Partial<SpanEstimateThresholds> = {}): SpanEstimate {
  const t = { ...SPAN_ESTIMATE_THRESHOLDS, ...thresholds };
  const r: number[] = [];
  for (const row of profile) r[row.tau] = row.r;
  const empty = { crossing: null, peak: null, before: null, after: null, held: null, collapse: null, thresholds: t };
  const D = r.length - 1;
  for (let tau = 0; tau <= D; tau++) {
    if (r[tau] === undefined) return { span: null, reason: `the profile has no delay ${tau}`, ...empty };
    if (!Number.isFinite(r[tau]) || r[tau] < 0) return { span: null, reason: `r(${tau}) = ${r[tau]} is not a finite norm`, ...empty };
  }
  if (D < 1) return { span: null, reason: 'the profile needs at least delays 0 and 1', ...empty };

  let peakTau = 0;
  for (let tau = 1; tau <= D; tau++) if (r[tau] > r[peakTau]) peakTau = tau;
  const peak = { tau: peakTau, r: r[peakTau] };
  let crossing: number | null = null;
  for (let tau = peakTau + 1; tau <= D && crossing === null; tau++) if (r[tau] < t.fall * peak.r) crossing = tau;
  if (!(peak.r > 0)) return { span: null, reason: 'r is 0 at every delay: nothing of the marker is in the state', ...empty };
  if (crossing === null) {
    return {
      span: null,
      reason: `after its peak r(${peak.tau}) = ${fmt(peak.r)}, r never falls below ${t.fall} of it up to τ = ${D}: no knee within the analysed delays`,
      ...empty,
      peak,
    };
  }
  const k = crossing;
  const before = r[k - 1] / peak.r;
  const after = r[k] / peak.r;
  const collapse = Math.min(r[k] / r[k - 1], k < D ? Math.sqrt(r[k + 1] / r[k - 1]) : Infinity);
  const held = k >= 2 ? (r[0] > 0 ? (r[k - 1] / r[0]) ** (1 / (k - 1)) : Infinity) : null;
  const found = { crossing: k, peak, before, after, held, collapse, thresholds: t };
  if (held === null) {
    return { span: null, reason: `r falls below ${t.fall} of r(0) at τ = 1: nothing is held beyond the marker itself`, ...found };
  }
  if (held < t.held) {
    return {
      span: null,
      reason: `r decays before it falls below ${t.fall} of its peak at τ = ${k}: per-step retention over τ = 0..${k - 1} is ${fmt(held)} < ${t.held}, a decay rather than a knee`,
      ...found,
    };
  }
  if (collapse > t.collapse) {
    return {
      span: null,
      reason: `r falls below ${t.fall} of its peak at τ = ${k} only gradually: per-step retention across the crossing is ${fmt(collapse)} > ${t.collapse}, no knee`,
      ...found,
    };
  }
  return {
    span: k,
    reason:
      `r is held up to τ = ${k - 1} (${fmt(held)} per step from τ = 0, ${fmt(before)} of its peak at τ = ${peak.tau}) ` +
      `and collapses at τ = ${k} (${fmt(after)} of the peak, ${fmt(collapse)} per step across the knee)`,
    ...found,
  };
}
