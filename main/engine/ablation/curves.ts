// Curves from the merged sums: the mean over all pairs per point, and the between-group SE
// as sweeps compute theirs (standard-error.ts: sd of the K group means / √K). For Δ(τ), as
// for a sweep's σ₁(τ), a group without a pair at some delay is left out of every delay's SE
// (groupsDropped); class and truncation points use the groups that have pairs at that point.
import { standardError } from '../analysis/standard-error';
import type { AblationCurve } from '../../../shared/schemas/ablation';
import type { AblationSums } from './accumulate';

/** Per-group means of a [K, D+1] sum (NaN where a group has no pair). */
export function groupMeans(sum: Float64Array, count: Float64Array, groups: number, points: number): Float64Array {
  const out = new Float64Array(groups * points);
  for (let i = 0; i < out.length; i++) out[i] = count[i] > 0 ? sum[i] / count[i] : Number.NaN;
  return out;
}

/** The curve of a [K, D+1] sum; `keep` picks the groups of the SE (default: those with a pair at the point). */
export function curveOf(sum: Float64Array, count: Float64Array, groups: number, points: number, keep?: (g: number) => boolean): AblationCurve {
  const means = groupMeans(sum, count, groups, points);
  const curve: AblationCurve = { mean: [], se: [], pairs: [] };
  for (let p = 0; p < points; p++) {
    let s = 0;
    let n = 0;
    const values: number[] = [];
    for (let g = 0; g < groups; g++) {
      s += sum[g * points + p];
      n += count[g * points + p];
      if (!keep || keep(g)) values.push(means[g * points + p]);
    }
    curve.mean.push(n > 0 ? s / n : null);
    curve.se.push(standardError(values));
    curve.pairs.push(n);
  }
  return curve;
}

export interface AblationCurves {
  delta: AblationCurve;
  classDelta: AblationCurve[];
  truncation: AblationCurve;
  groupsDropped: number[];
  warnings: string[];
}

export function ablationCurves(sums: AblationSums, length: number): AblationCurves {
  const K = sums.groups;
  const nd = sums.maxDelay + 1;
  const groupsDropped: number[] = [];
  for (let g = 0; g < K; g++) {
    for (let p = 0; p < nd; p++) {
      if (sums.deltaCount[g * nd + p] === 0) {
        groupsDropped.push(g);
        break;
      }
    }
  }
  const dropped = new Set(groupsDropped);
  const delta = curveOf(sums.delta, sums.deltaCount, K, nd, (g) => !dropped.has(g));
  const block = K * nd;
  const classDelta = Array.from({ length: sums.classes }, (_, c) =>
    curveOf(sums.classDelta.subarray(c * block, (c + 1) * block), sums.classCount.subarray(c * block, (c + 1) * block), K, nd),
  );
  const truncation = curveOf(sums.truncation, sums.truncationCount, K, nd);
  const warnings: string[] = [];
  if (groupsDropped.length) {
    warnings.push(
      `${groupsDropped.length} of ${K} uncertainty groups had no pair at the largest delays (streams of ${length} steps are ` +
        `short for ${K} groups and delays up to ${sums.maxDelay}); standard errors use the other ${K - groupsDropped.length}`,
    );
  }
  if (K >= 2 && K - groupsDropped.length < 2) warnings.push('fewer than 2 usable groups: no standard errors');
  const empty = delta.pairs.flatMap((n, t) => (n === 0 ? [t] : []));
  if (empty.length) warnings.push(`no (b, t) pair at delay${empty.length > 1 ? 's' : ''} ${empty.join(', ')}: Δ is undefined there`);
  return { delta, classDelta, truncation, groupsDropped, warnings };
}
