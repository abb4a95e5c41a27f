// The plots of a context-ablation run (issue 13): Δ(τ) with its standard-error band, Δ(τ) per
// class of the replaced word and per frequency band, and the truncation curve T(k), all from
// run.json (AblationRecord). Compare's normalised overlay of σ₁(τ) and Δ(τ) is in
// ablation-compare.ts.
import type { AblationCurve, AblationRecord } from '../../../../shared/schemas/ablation';
import { cycleDash, GREY, seriesColour } from './palette';
import { allWordsSeries, classGroups, firstClasses, type ClassGroup } from './class-series';
import type { PlotPoint, PlotSeries } from './series';

/** The class set whose classes are the frequency bands (main/engine/corpus/frequency-class-set.ts). */
export const FREQUENCY_SET = 'frequency';

/** Points of a curve at x = first, first + 1, …: its mean and SE, null where it has none. */
export function curvePoints(curve: AblationCurve, first: number): PlotPoint[] {
  return curve.mean.map((y, i) => ({ x: first + i, y, se: curve.se[i]?.se ?? null }));
}

const hasSe = (points: readonly PlotPoint[]) => points.some((p) => p.se !== null && p.se !== undefined);

/** Δ(τ), τ = 0..D, with ± 1 SE as a band. */
export function deltaSeries(record: AblationRecord): PlotSeries[] {
  const points = curvePoints(record.delta, 0);
  return [{ key: 'delta', label: 'Δ(τ), all words', colour: seriesColour(0), dash: 'solid', points, band: hasSe(points), interactive: true }];
}

/**
 * T(k), k = 1..D+1, with ± 1 SE as a band, and the baseline loss (the state carried from the
 * stream's start) as a grey dashed line over the same k: T(k) falls towards it as k grows.
 */
export function truncationSeries(record: AblationRecord): PlotSeries[] {
  const points = curvePoints(record.truncation, 1);
  const out: PlotSeries[] = [
    { key: 'truncation', label: 'T(k): loss seeing k tokens', colour: seriesColour(2), dash: 'solid', points, band: hasSe(points), interactive: true },
  ];
  if (points.length > 0) {
    out.push({
      key: 'baseline',
      label: 'full context (baseline loss)',
      colour: GREY,
      dash: 'dashed',
      points: points.map((p) => ({ x: p.x, y: record.baseline.meanLoss })),
      band: false,
      interactive: false,
      width: 1.5,
    });
  }
  return out;
}

/** The run's classes grouped by class set (run order), the frequency bands left out: they have their own plot. */
export function ablationClassGroups(record: AblationRecord, withFrequency = false): ClassGroup[] {
  return classGroups(record).filter((g) => withFrequency || g.set !== FREQUENCY_SET);
}

/** What the class plot shows first: the paper's classes when the run has them, else the first set (at most 8). */
export function defaultAblationClasses(record: AblationRecord): string[] {
  return firstClasses(ablationClassGroups(record));
}

/** Δ(τ) of each named class (colour by its place in `names`), bands ± 1 SE, and all words in grey dashed. */
export function classDeltaSeries(record: AblationRecord, names: readonly string[], withAll = true): PlotSeries[] {
  const series: PlotSeries[] = [];
  names.forEach((name, i) => {
    const c = record.classDelta.find((x) => x.name === name);
    if (!c) return;
    const points = curvePoints(c.delta, 0);
    series.push({ key: `class:${name}`, label: name, colour: seriesColour(i), dash: cycleDash(i), points, band: hasSe(points), interactive: true });
  });
  if (withAll) series.push(allWordsSeries(curvePoints(record.delta, 0)));
  return series;
}

/** The names of the frequency bands in the run's order (empty when it was not broken down by them). */
export function frequencyBands(record: AblationRecord): string[] {
  return record.config.classes.filter((c) => c.set === FREQUENCY_SET).map((c) => c.name);
}

/** Δ(τ) per frequency band, as classDeltaSeries draws the classes. */
export function bandDeltaSeries(record: AblationRecord): PlotSeries[] {
  return classDeltaSeries(record, frequencyBands(record));
}
