// Does the analysis see the memory where the generator put it? The marker is needed up to
// delay K−1 (the state at t = marker + K−1 predicts the target) and is overwritten by the
// next marker, which comes at most K+1+G tokens after it. On Ḡ^marker (marker sources):
//   held    (r(K−1)/r(0))^(1/(K−1)): per-step retention of the marker's memory while needed;
//   dropped (r(K+1+G)/r(K−1))^(1/(G+2)): per-step retention across the next marker;
//   kept    mean m over τ ∈ [1, K−1]: the A/B difference is (close to) what a marker leaves.
// held ≥ 0.8 and dropped ≤ 0.75 together demand a knee at K: no exponential decay passes both.
// And the model must have learnt the task: its validation perplexity must recover at least
// half of the gap between the floor without memory and the true floor (entropy-floor.ts).
// Measured on 20 seeds (K = 4, 5, 6 × seeds 1–5, and K = 5 × seeds 6–10; 6000 episodes,
// 6 epochs, E 16, H 32): learned 0.74–0.86, held ≥ 0.98, dropped ≤ 0.66, kept 0.60–0.97: all
// pass. What the three gradient checks do NOT show by themselves is that the *class* is
// remembered rather than *that a marker came* (which the model needs anyway, to count to K):
// on the control corpus (targets independent of the marker) held and dropped pass in 14 of
// 20 seeds and all three in 8, because d̂ is far from orthogonal to ē_marker − ē_filler
// (|cos| up to 0.98; reported as presenceCosine) and so picks up the marker-presence memory,
// which has the same timing. The control is told apart by `learned`, and on the same seed
// by a lower `held` in 19 of 20 pairs. m is not asked to fall after K: it is relative to σ₁,
// and the little a marker leaves after it is overwritten still lies mostly along d (m ≈ 0.9).
// (Those 20 seeds were measured with a forget-gate bias of 1; the benchmark now pins it to 0.)
// The blind check (issue 8 §6): `span` asks the knee of r, found from the profile alone
// without K (span-estimate.ts), to be at K: |estimated span − K| ≤ 0 by default; no knee fails.
// With the defaults of options.ts, K ∈ {2, 5, 8, 12} × seeds 1–3 all pass, with the estimate
// at K; the control (K = 5, seed 1) fails `learned` and has no knee (README).
import type { ProfileRow } from './memory-profile';
import { type SpanEstimate, estimateSpan } from './span-estimate';

export interface VerdictCheck {
  name: 'learned' | 'held' | 'dropped' | 'kept' | 'span';
  description: string;
  value: number;
  threshold: number;
  /** 'min': value must be ≥ threshold; 'max': value must be ≤ threshold */
  kind: 'min' | 'max';
  passed: boolean;
}

export interface VerdictThresholds {
  learned: number;
  held: number;
  dropped: number;
  kept: number;
  /** largest |estimated span − K| that passes */
  span: number;
}

export const DEFAULT_THRESHOLDS: VerdictThresholds = { learned: 0.5, held: 0.8, dropped: 0.75, kept: 0.5, span: 0 };

export interface VerdictInput {
  span: number;
  maxGap: number;
  /** memory profile of Ḡ^marker (marker sources), τ = 0..D with D ≥ K+1+G */
  marker: readonly ProfileRow[];
  perplexity: { model: number; floor: number; withoutMemory: number };
  thresholds?: Partial<VerdictThresholds>;
}

export interface SyntheticVerdict {
  passed: boolean;
  checks: VerdictCheck[];
  /** share of the no-memory → floor gap (in nats) the model recovers: 1 = at the floor, ≤ 0 = no memory */
  memoryGain: number;
  /** delay at which every marker has been replaced by the next one */
  overwrittenBy: number;
  /** mean r and m of Ḡ^marker over τ ∈ [0, K−1] (needed) and [K+1+G, K+7+G] (overwritten) */
  within: { r: number; m: number | null };
  beyond: { r: number; m: number | null };
  /** where the profile alone puts the end of the marker's memory (never told K) */
  spanEstimate: SpanEstimate;
}

/** The smallest max delay the verdict needs. */
export function verdictMaxDelay(span: number, maxGap: number): number {
  return span + maxGap + 7;
}

function mean(xs: readonly number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
}

function windowMeans(rows: readonly ProfileRow[], from: number, to: number): { r: number; m: number | null } {
  const w = rows.filter((x) => x.tau >= from && x.tau <= to);
  const ms = w.map((x) => x.m).filter((m): m is number => m !== null);
  return { r: mean(w.map((x) => x.r)), m: ms.length ? mean(ms) : null };
}

export function syntheticVerdict(input: VerdictInput): SyntheticVerdict {
  const K = input.span;
  const G = input.maxGap;
  const t = { ...DEFAULT_THRESHOLDS, ...input.thresholds };
  const after = K + 1 + G;
  const row = (tau: number): ProfileRow => {
    const x = input.marker.find((p) => p.tau === tau);
    if (!x) throw new Error(`the verdict needs delay ${tau}; the profile has 0..${input.marker.length - 1}`);
    return x;
  };
  // Per-step retention over `steps` delays; NaN (a failed check) when there is no span.
  const rate = (a: number, b: number, steps: number) => (steps <= 0 ? NaN : b > 0 ? (a / b) ** (1 / steps) : a > 0 ? Infinity : NaN);
  const { model, floor, withoutMemory } = input.perplexity;
  // NaN for the control corpus, where memory is worth nothing (floor = withoutMemory).
  const memoryGain = withoutMemory > floor ? Math.log(withoutMemory / model) / Math.log(withoutMemory / floor) : NaN;
  const spanEstimate = estimateSpan(input.marker);
  const keptRows = input.marker.filter((x) => x.tau >= 1 && x.tau <= K - 1);
  // K = 1: the marker is needed at τ = 0 only; judge m there.
  const keptValue = mean((keptRows.length ? keptRows : [row(0)]).map((x) => x.m ?? 0));
  const check = (name: VerdictCheck['name'], description: string, value: number, kind: 'min' | 'max'): VerdictCheck => ({
    name,
    description,
    value,
    threshold: t[name],
    kind,
    passed: kind === 'min' ? value >= t[name] : value <= t[name],
  });
  const checks = [
    check('learned', 'share of the memory gap in perplexity (no-memory floor → floor) the model recovers', memoryGain, 'min'),
    check('held', `(r(${K - 1})/r(0))^(1/${K - 1}) of Ḡ^marker: per-step retention while the marker is needed`, rate(row(K - 1).r, row(0).r, K - 1), 'min'),
    check('dropped', `(r(${after})/r(${K - 1}))^(1/${G + 2}) of Ḡ^marker: per-step retention across the next marker`, rate(row(after).r, row(K - 1).r, G + 2), 'max'),
    check('kept', `mean m of Ḡ^marker over τ = ${K > 1 ? `1..${K - 1}` : '0'}: the A/B difference is what is kept of a marker`, keptValue, 'min'),
    // NaN (a failed check) when the profile has no knee.
    check('span', `|estimated span − K|: the knee of r found without being told K is at K`, spanEstimate.span === null ? NaN : Math.abs(spanEstimate.span - K), 'max'),
  ];
  return {
    passed: checks.every((c) => c.passed),
    checks,
    memoryGain,
    overwrittenBy: after,
    within: windowMeans(input.marker, 0, K - 1),
    beyond: windowMeans(input.marker, after, after + 6),
    spanEstimate,
  };
}
