// Compare with context ablations (issue 13): sweeps' σ₁(τ) and ablations' Δ(τ) on one plot,
// each divided by its own value at τ = 0 (the two are in different units: a singular value
// of the mean state gradient, and nats of loss), and the delay at which each first falls below
// 10 % of its τ = 0 value. Which sweep and ablation the findings check pairs is here too.
import type { AblationRecord } from '../../../../shared/schemas/ablation';
import type { RunRecord } from '../../../../shared/schemas/run';
import type { MemoryLength } from '../../../../shared/schemas/run-summary';
import type { FindingId, RunFindings } from '../../../../shared/schemas/findings';
import { findingRows, type FindingRow } from './findings-view';
import { curvePoints } from './ablation-series';
import { toCsv } from './csv';
import { GREY, seriesColour } from './palette';
import type { PlotPoint, PlotSeries } from './series';

/** The fraction of the τ = 0 value a curve must fall below. */
export const CROSSING_FRACTION = 0.1;

/** Points with y and SE divided by the value at τ = 0 (its own SE left out); all null when that value is missing or not positive. */
export function normalisedPoints(points: readonly PlotPoint[]): PlotPoint[] {
  const y0 = points.find((p) => p.x === 0)?.y ?? null;
  const ok = y0 !== null && Number.isFinite(y0) && y0 > 0;
  return points.map((p) => ({
    x: p.x,
    y: ok && p.y !== null ? p.y / y0 : null,
    se: ok && p.se !== null && p.se !== undefined ? p.se / y0 : null,
  }));
}

/** σ₁(τ) of a sweep with its SE, τ = 0..D. */
export function sigma1Points(record: RunRecord): PlotPoint[] {
  return record.summary.delays.map((d) => ({ x: d.tau, y: d.sigma1, se: d.se?.sigma1?.se ?? null }));
}

export interface CompareRun {
  kind: 'sweep' | 'ablation';
  id: string;
  /** the curve before normalisation: σ₁(τ) or Δ(τ) */
  points: PlotPoint[];
}

export const sweepRun = (r: RunRecord): CompareRun => ({ kind: 'sweep', id: r.id, points: sigma1Points(r) });
export const ablationRun = (r: AblationRecord): CompareRun => ({ kind: 'ablation', id: r.id, points: curvePoints(r.delta, 0) });

const QUANTITY = { sweep: 'σ₁(τ)/σ₁(0)', ablation: 'Δ(τ)/Δ(0)' } as const;

/**
 * One curve per run, colour by its place in the list; sweeps solid, ablations dashed; bands
 * ± 1 SE (scaled); and the threshold `fraction` as a grey dotted line across the delays.
 */
export function normalisedSeries(runs: readonly CompareRun[], fraction = CROSSING_FRACTION): PlotSeries[] {
  const xs = [...new Set(runs.flatMap((r) => r.points.map((p) => p.x)))].sort((a, b) => a - b);
  const threshold: PlotSeries[] = xs.length
    ? [
        {
          key: 'threshold',
          label: `${Math.round(fraction * 100)} % of the value at τ = 0`,
          colour: GREY,
          dash: 'dotted',
          points: [xs[0], xs[xs.length - 1]].map((x) => ({ x, y: fraction })),
          band: false,
          interactive: false,
          width: 1.5,
        },
      ]
    : [];
  return [...curves(runs), ...threshold];
}

function curves(runs: readonly CompareRun[]): PlotSeries[] {
  return runs.map((r, i) => {
    const points = normalisedPoints(r.points);
    return {
      key: `${r.kind}:${r.id}`,
      label: `${r.id} · ${QUANTITY[r.kind]}`,
      colour: seriesColour(i),
      dash: r.kind === 'sweep' ? 'solid' : 'dashed',
      points,
      band: points.some((p) => p.se !== null),
      interactive: true,
    };
  });
}

/**
 * The first delay at which y < fraction·y(0), negative values counting as below; null: never
 * within 0..D. Its range from ± 1 SE as the sweep's memory length gives it: `low` is the first
 * delay with y − SE < fraction·(y0 + SE0), `high` the first with y + SE < fraction·(y0 − SE0).
 * Null throughout when y(0) is missing or not positive.
 */
export function crossingBelow(points: readonly PlotPoint[], fraction = CROSSING_FRACTION): MemoryLength | null {
  const s = points.filter((p) => p.y !== null && Number.isFinite(p.y)).sort((a, b) => a.x - b.x);
  const maxDelay = points.reduce((m, p) => Math.max(m, p.x), 0);
  const first = s[0];
  if (!first || first.x !== 0 || (first.y as number) <= 0) return null;
  const y0 = first.y as number;
  const se0 = first.se ?? 0;
  const withSe = s.every((p) => p.se !== null && p.se !== undefined && Number.isFinite(p.se) && p.se >= 0);
  const at = (below: (y: number, se: number) => boolean): number | null => s.find((p) => below(p.y as number, p.se ?? 0))?.x ?? null;
  return {
    threshold: fraction,
    tau: at((y) => y < fraction * y0),
    low: withSe ? at((y, se) => y - se < fraction * (y0 + se0)) : null,
    high: withSe ? at((y, se) => y + se < fraction * (y0 - se0)) : null,
    maxDelay,
    withSe,
  };
}

export interface CrossingRow {
  key: string;
  run: string;
  kind: 'sweep' | 'ablation';
  quantity: string;
  colour: string;
  /** the value at τ = 0 everything is divided by (null: none) */
  atZero: number | null;
  crossing: MemoryLength | null;
}

/** The table under the normalised plot: one row per run, coloured as normalisedSeries. */
export function crossingRows(runs: readonly CompareRun[], fraction = CROSSING_FRACTION): CrossingRow[] {
  return runs.map((r, i) => ({
    key: `${r.kind}:${r.id}`,
    run: r.id,
    kind: r.kind,
    quantity: r.kind === 'sweep' ? 'σ₁' : 'Δ',
    colour: seriesColour(i),
    atZero: r.points.find((p) => p.x === 0)?.y ?? null,
    crossing: crossingBelow(r.points, fraction),
  }));
}

/** The crossing table as CSV: blank where a run never falls below the threshold within 0..D. */
export function crossingRowsToCsv(rows: readonly CrossingRow[]): string {
  return toCsv(
    ['run', 'kind', 'quantity', 'value_at_0', 'first_below', 'first_below_low', 'first_below_high', 'max_delay', 'fraction'],
    rows.map((r) => [r.run, r.kind, r.quantity, r.atZero, r.crossing?.tau ?? null, r.crossing?.low ?? null, r.crossing?.high ?? null, r.crossing?.maxDelay ?? null, r.crossing?.threshold ?? null]),
  );
}

type Ids = Pick<RunRecord, 'id' | 'model' | 'corpus' | 'split'>;

/** Every sweep and ablation of the same model, corpus and split: the pairs the gradient-matches-behaviour check is made for. */
export function ablationPairs(sweeps: readonly Ids[], ablations: readonly Ids[]): { sweep: string; ablation: string }[] {
  return sweeps.flatMap((s) =>
    ablations.filter((a) => a.model === s.model && a.corpus === s.corpus && a.split === s.split).map((a) => ({ sweep: s.id, ablation: a.id })),
  );
}

/** The findings row that sets a sweep against an ablation of the same model, corpus and split. */
export const BEHAVIOUR_FINDING: FindingId = 'gradient-matches-behaviour';

/** The findings check of one sweep–ablation pair, as asked of the engine: its answer, or why there is none. */
export interface PairCheck {
  sweep: string;
  ablation: string;
  findings: RunFindings | null;
  error: string | null;
}

export interface BehaviourRow {
  key: string;
  sweep: string;
  ablation: string;
  /** the gradient-matches-behaviour row (null: none, see `problem`) */
  row: FindingRow | null;
  problem: string | null;
}

/** One row per pair: its gradient-matches-behaviour answer, or what went wrong asking for it. */
export function behaviourRows(checks: readonly PairCheck[]): BehaviourRow[] {
  return checks.map((c) => {
    const row = c.findings ? (findingRows(c.findings).find((r) => r.id === BEHAVIOUR_FINDING) ?? null) : null;
    const problem = c.error ?? (row ? null : c.findings ? `the findings check of '${c.sweep}' has no ${BEHAVIOUR_FINDING} row` : 'still checking…');
    return { key: `${c.sweep}|${c.ablation}`, sweep: c.sweep, ablation: c.ablation, row, problem };
  });
}
