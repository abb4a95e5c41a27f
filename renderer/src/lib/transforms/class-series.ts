// Plot (c): memory per class of the source word, as curves against delay and as bars at one delay.
import type { RunClass, RunRecord } from '../../../../shared/schemas/run';
import type { SpectrumStats } from '../../../../shared/schemas/run-summary';
import { cycleDash, GREY, seriesColour } from './palette';
import type { BarDatum, PlotPoint, PlotSeries } from './series';

export type ClassMetric = keyof SpectrumStats;

export const CLASS_METRICS: { key: ClassMetric; label: string }[] = [
  { key: 'sigma1', label: 'σ₁' },
  { key: 'sum', label: 'Σσ' },
  { key: 'ratio1', label: 'σ₁/Σσ' },
  { key: 'ratio5', label: 'top-5/Σσ' },
];

export const classMetricLabel = (m: ClassMetric): string => CLASS_METRICS.find((c) => c.key === m)?.label ?? m;

export interface ClassGroup {
  set: string;
  classes: { name: string; label: string; types: number }[];
}

/** The run's classes grouped by class set, in the run's order (a sweep's, or an ablation's). */
export function classGroups(record: { config: { classes: readonly RunClass[] } }): ClassGroup[] {
  const groups: ClassGroup[] = [];
  for (const c of record.config.classes) {
    let g = groups.find((x) => x.set === c.set);
    if (!g) groups.push((g = { set: c.set, classes: [] }));
    g.classes.push({ name: c.name, label: c.class, types: c.types });
  }
  return groups;
}

/** What to show first: the paper's classes when the run has them, else the first set (at most 8 classes). */
export function defaultClasses(record: RunRecord): string[] {
  return firstClasses(classGroups(record));
}

/** The classes a class plot shows first: the paper's set when among the groups, else the first set (at most 8 classes). */
export function firstClasses(groups: readonly ClassGroup[]): string[] {
  const g = groups.find((x) => x.set === 'paper') ?? groups[0];
  return g ? g.classes.slice(0, 8).map((c) => c.name) : [];
}

/** The reference curve of all words, grey and dashed, drawn with the classes' curves. */
export function allWordsSeries(points: PlotPoint[]): PlotSeries {
  return { key: 'all', label: 'all words', colour: GREY, dash: 'dashed', points, band: false, interactive: true, width: 1.5 };
}

/** One curve per chosen class (colour by its place in the choice), and all source words in grey for reference. */
export function classCurves(record: RunRecord, names: readonly string[], metric: ClassMetric, withAll = true): PlotSeries[] {
  const delays = record.summary.delays;
  const series: PlotSeries[] = names.map((name, i) => ({
    key: `class:${name}`,
    label: name,
    colour: seriesColour(i),
    dash: cycleDash(i),
    points: delays.map((d) => ({ x: d.tau, y: d.classes[name]?.[metric] ?? null })),
    band: false,
    interactive: true,
  }));
  if (withAll) series.push(allWordsSeries(delays.map((d) => ({ x: d.tau, y: d[metric] }))));
  return series;
}

/** The chosen classes' values at one delay, coloured as in classCurves. */
export function classBars(record: RunRecord, tau: number, names: readonly string[], metric: ClassMetric): BarDatum[] {
  const d = record.summary.delays.find((x) => x.tau === tau);
  return names.map((name, i) => ({ key: name, label: name, value: d?.classes[name]?.[metric] ?? null, colour: seriesColour(i) }));
}
