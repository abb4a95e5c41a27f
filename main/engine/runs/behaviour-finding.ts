// The findings row `gradient-matches-behaviour` (issue 13): for a sweep and a context ablation
// of the same model, corpus and split, do σ₁(τ) (what the state remembers) and Δ(τ) (what
// the predictions use) fade at the same delay?
//
// The test, over the delays both runs have (τ = 0..D, D the smaller max delay):
// - each curve c(τ) has its negative values counted as 0 and M = max_τ c(τ);
// - its crossing is the first τ with c(τ) < 0.1·M (none: it does not fall that far by D);
// - its uncertainty: the same crossing of the curve c − SE and of c + SE against the same
//   threshold 0.1·M; the crossing is uncertain when they lie more than 2 delays apart (a
//   curve that never falls by D counts as crossing at D + 1), or when an SE it needs is missing;
// - holds = true when both crossings exist and differ by at most 2 delays; false when they
//   differ by more (or one crosses at c and the other not by D ≥ c + 3); null ("cannot tell")
//   when either crossing is uncertain, or neither curve falls below 10 % by D.
import { UserError } from '../errors';
import type { AblationRecord } from '../../../shared/schemas/ablation';
import type { Finding } from '../../../shared/schemas/findings';
import type { RunRecord } from '../../../shared/schemas/run';

export const BEHAVIOUR_FRACTION = 0.1;
export const BEHAVIOUR_TOLERANCE = 2;

export interface CurveCrossing {
  /** first τ with c(τ) < 0.1·max, or null when it does not fall that far by the last delay */
  crossing: number | null;
  /** the crossings of c − SE and c + SE (null: not by the last delay); null both when an SE is missing */
  low: number | null;
  high: number | null;
  max: number;
  /** whether low and high lie more than 2 delays apart (or an SE is missing) */
  uncertain: boolean;
}

const firstBelow = (values: readonly number[], threshold: number): number | null => {
  const i = values.findIndex((v) => v < threshold);
  return i < 0 ? null : i;
};

/** The crossing of a curve (mean per delay, SE per delay or null) at 10 % of its maximum, with its uncertainty. */
export function crossingOf(mean: readonly number[], se: readonly (number | null)[]): CurveCrossing {
  const c = mean.map((v) => Math.max(0, v));
  const max = Math.max(0, ...c);
  const threshold = BEHAVIOUR_FRACTION * max;
  const crossing = max > 0 ? firstBelow(c, threshold) : null;
  const end = mean.length; // "not by the last delay" counts as D + 1
  if (max === 0) return { crossing: null, low: null, high: null, max, uncertain: true };
  // an SE is needed at every delay up to where c + SE crosses
  const highValues = c.map((v, i) => (se[i] === null ? Number.NaN : v + (se[i] as number)));
  const highCross = firstBelow(highValues.map((v) => (Number.isNaN(v) ? Infinity : v)), threshold);
  const needed = highCross === null ? end : highCross + 1;
  if (se.slice(0, needed).some((s) => s === null)) return { crossing, low: null, high: null, max, uncertain: true };
  const low = firstBelow(c.map((v, i) => v - (se[i] as number)), threshold);
  const high = highCross;
  const uncertain = (high ?? end) - (low ?? end) > BEHAVIOUR_TOLERANCE;
  return { crossing, low, high, max, uncertain };
}

/** Refuses a pair that does not measure the same model on the same text. */
export function checkSamePair(sweep: RunRecord, ablation: AblationRecord): void {
  const diffs: string[] = [];
  if (sweep.model !== ablation.model) diffs.push(`model '${sweep.model}' vs '${ablation.model}'`);
  if (sweep.corpus !== ablation.corpus) diffs.push(`corpus '${sweep.corpus}' vs '${ablation.corpus}'`);
  if (sweep.split !== ablation.split) diffs.push(`split '${sweep.split}' vs '${ablation.split}'`);
  if (diffs.length) {
    throw new UserError(
      `sweep '${sweep.id}' and ablation '${ablation.id}' are not of the same model, corpus and split (${diffs.join('; ')}): ` +
        'gradient-matches-behaviour compares the two curves of one model on one text',
    );
  }
}

type Outcome = Omit<Finding, 'id' | 'title' | 'source'>;

export function gradientMatchesBehaviour(sweep: RunRecord, ablation: AblationRecord): Outcome {
  checkSamePair(sweep, ablation);
  const D = Math.min(sweep.config.maxDelay, ablation.config.maxDelay, sweep.summary.delays.length - 1, ablation.delta.mean.length - 1);
  const delays = Array.from({ length: D + 1 }, (_, t) => t);
  const sigma1 = delays.map((t) => sweep.summary.delays[t].sigma1);
  const sigmaSe = delays.map((t) => sweep.summary.delays[t].se?.sigma1?.se ?? null);
  const delta = delays.map((t) => ablation.delta.mean[t] ?? 0);
  const deltaSe = delays.map((t) => ablation.delta.se[t]?.se ?? null);
  const s = crossingOf(sigma1, sigmaSe);
  const d = crossingOf(delta, deltaSe);
  const numbers: Record<string, number | null> = {
    'sigma1.max': s.max,
    'delta.max': d.max,
    'sigma1.cross': s.crossing,
    'delta.cross': d.crossing,
    'sigma1.crossLow': s.low,
    'sigma1.crossHigh': s.high,
    'delta.crossLow': d.low,
    'delta.crossHigh': d.high,
    D,
  };
  const test =
    `over τ = 0..${D}: the first τ where σ₁(τ) and where Δ(τ) (negative values as 0) fall below 10 % of their maxima lie within ±2 delays; ` +
    'cannot tell when the same crossing of mean − SE and mean + SE lie more than 2 delays apart for either curve';
  const at = (x: number | null) => (x === null ? `not by τ = ${D}` : `at τ = ${x}`);
  const said = `σ₁ falls below 10 % of its maximum ${at(s.crossing)}, Δ ${at(d.crossing)}`;
  const uncertain = [s.uncertain && 'σ₁', d.uncertain && 'Δ'].filter(Boolean);
  if (uncertain.length) {
    const why = `the standard errors make the crossing of ${uncertain.join(' and ')} uncertain by more than ${BEHAVIOUR_TOLERANCE} delays (or are missing)`;
    return { holds: null, reason: why, detail: `${said}; ${why}`, test, numbers };
  }
  if (s.crossing === null && d.crossing === null) {
    const why = `neither curve falls below 10 % of its maximum by τ = ${D}: use a larger max delay`;
    return { holds: null, reason: why, detail: why, test, numbers };
  }
  if (s.crossing === null || d.crossing === null) {
    const crossed = (s.crossing ?? d.crossing) as number;
    if (D - crossed < BEHAVIOUR_TOLERANCE + 1) {
      const why = `one curve crosses at τ = ${crossed} and the other not by τ = ${D}, which is within ${BEHAVIOUR_TOLERANCE} delays: use a larger max delay`;
      return { holds: null, reason: why, detail: `${said}; ${why}`, test, numbers };
    }
    return { holds: false, reason: null, detail: `${said}: more than ${BEHAVIOUR_TOLERANCE} delays apart`, test, numbers };
  }
  const gap = Math.abs(s.crossing - d.crossing);
  numbers.gap = gap;
  const holds = gap <= BEHAVIOUR_TOLERANCE;
  return { holds, reason: null, detail: `${said}: ${gap} delay${gap === 1 ? '' : 's'} apart${holds ? '' : `, more than ${BEHAVIOUR_TOLERANCE}`}`, test, numbers };
}
