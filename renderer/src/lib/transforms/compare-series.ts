// The Compare view: the same quantity of several runs overlaid (one colour per run), the
// same quantity per run for small multiples, the table of key numbers and that of the decay models.
import type { ComparabilityWarning } from '../../../../shared/api/runs';
import { CELL_LABELS } from '../../../../shared/schemas/model';
import { analysedCell, type RunRecord } from '../../../../shared/schemas/run';
import type { DecayModelName, DelaySummary, MemoryLength } from '../../../../shared/schemas/run-summary';
import { toCsv } from './csv';
import { cycleDash, seriesColour } from './palette';
import { chosenDecayModel, decayModelText, decayParamsText, memoryLengthText } from './run-series';
import type { Dash, PlotSeries } from './series';

export interface CompareMetric {
  key: string;
  label: string;
  /** y and its standard error (null when none) at one delay */
  value: (d: DelaySummary) => { y: number | null; se: number | null };
  /** a ratio in [0, 1] (plotted on a fixed axis) */
  unit: boolean;
}

/** 'r1 · lm, H 32' — the run, its model and the width of the analysed layer; its cell when not an LSTM ('r2 · g, GRU, H 32'). */
export function runLabel(r: RunRecord): string {
  const cell = analysedCell(r);
  return `${r.id} · ${r.model}, ${cell === 'lstm' ? '' : `${CELL_LABELS[cell]}, `}H ${r.modelShape.units[r.config.layer - 1] ?? r.modelShape.units.join('/')}`;
}

/** The lead of Compare's list of what differs: a different cell alone is a difference of the models, not of the measurement. */
export function comparabilityLead(warnings: readonly Pick<ComparabilityWarning, 'setting'>[]): { title: string; text: string } {
  if (warnings.every((w) => w.setting === 'cell')) {
    return { title: 'These runs analyse different recurrent cells:', text: 'their curves compare architectures as well as trained weights.' };
  }
  return { title: 'These runs are not directly comparable:', text: 'their curves differ for reasons other than the models.' };
}

/** Property names in the order the runs first list them. */
export function propertyNames(records: readonly RunRecord[]): string[] {
  const names: string[] = [];
  for (const r of records) for (const p of r.summary.properties) if (!names.includes(p.name)) names.push(p.name);
  return names;
}

export function compareMetrics(records: readonly RunRecord[]): CompareMetric[] {
  return [
    { key: 'sigma1', label: 'σ₁', value: (d) => ({ y: d.sigma1, se: d.se?.sigma1?.se ?? null }), unit: false },
    { key: 'sum', label: 'Σσ', value: (d) => ({ y: d.sum, se: d.se?.sum?.se ?? null }), unit: false },
    { key: 'ratio1', label: 'σ₁/Σσ', value: (d) => ({ y: d.ratio1, se: null }), unit: true },
    { key: 'ratio5', label: 'top-5/Σσ', value: (d) => ({ y: d.ratio5, se: null }), unit: true },
    ...propertyNames(records).map(
      (name): CompareMetric => ({
        key: `m:${name}`,
        label: `m ${name}`,
        value: (d) => ({ y: d.properties[name]?.m ?? null, se: d.properties[name]?.mSe?.se ?? null }),
        unit: true,
      }),
    ),
  ];
}

function runSeries(r: RunRecord, i: number, metric: CompareMetric, label: string, dash: Dash = cycleDash(i)): PlotSeries {
  const points = r.summary.delays.map((d) => ({ x: d.tau, ...metric.value(d) }));
  return {
    key: `${r.id}:${metric.key}`,
    label,
    colour: seriesColour(i),
    dash,
    points,
    band: points.some((p) => p.se !== null),
    interactive: true,
  };
}

/** One curve per run, colour by the run's place in the list. */
export function overlaySeries(records: readonly RunRecord[], metric: CompareMetric): PlotSeries[] {
  return records.map((r, i) => runSeries(r, i, metric, runLabel(r)));
}

/** m of every property of every run: colour per run, dash per property (solid, dashed, dotted, …). */
export function overlayPropertySeries(records: readonly RunRecord[]): PlotSeries[] {
  const names = propertyNames(records);
  const metrics = compareMetrics(records).filter((m) => m.key.startsWith('m:'));
  const dashes: Dash[] = ['solid', 'dashed', 'dotted'];
  const out: PlotSeries[] = [];
  records.forEach((r, i) => {
    metrics.forEach((m, j) => {
      if (!r.summary.properties.some((p) => p.name === names[j])) return;
      out.push(runSeries(r, i, m, `${r.id} · m ${names[j]}`, dashes[j % dashes.length]));
    });
  });
  return out;
}

/** Selectivity of every run: σ₁/Σσ solid and top-5/Σσ dotted, colour per run. */
export function overlaySelectivitySeries(records: readonly RunRecord[]): PlotSeries[] {
  const [, , r1, r5] = compareMetrics(records);
  return records.flatMap((r, i) => [runSeries(r, i, r1, `${r.id} · σ₁/Σσ`, 'solid'), runSeries(r, i, r5, `${r.id} · top-5/Σσ`, 'dotted')]);
}

/** Small multiples: one panel per run, all in the colour of that run. */
export function smallMultiples(records: readonly RunRecord[], metric: CompareMetric): { run: RunRecord; title: string; series: PlotSeries[] }[] {
  return records.map((r, i) => ({ run: r, title: runLabel(r), series: [runSeries(r, i, metric, metric.label, 'solid')] }));
}

export interface KeyNumberColumn {
  key: string;
  label: string;
}

export interface KeyNumberTable {
  columns: KeyNumberColumn[];
  rows: { run: string; label: string; colour: string; values: (number | null)[] }[];
}

/** The delay at which selectivity is reported in the table. */
export const SELECTIVITY_DELAY = 10;

/** σ₁ at delay 0, σ₁/Σσ at delay 10, m at delay 0 per property (how σ₁ decays is in decayComparison). */
export function keyNumbers(records: readonly RunRecord[]): KeyNumberTable {
  const props = propertyNames(records);
  const columns: KeyNumberColumn[] = [
    { key: 'sigma1_0', label: 'σ₁ at delay 0' },
    { key: 'ratio1_10', label: `σ₁/Σσ at delay ${SELECTIVITY_DELAY}` },
    ...props.map((p) => ({ key: `m0:${p}`, label: `m ${p} at delay 0` })),
  ];
  const rows = records.map((r, i) => {
    const at = (t: number) => r.summary.delays.find((d) => d.tau === t);
    return {
      run: r.id,
      label: runLabel(r),
      colour: seriesColour(i),
      values: [
        at(0)?.sigma1 ?? null,
        at(SELECTIVITY_DELAY)?.ratio1 ?? null,
        ...props.map((p) => at(0)?.properties[p]?.m ?? null),
      ],
    };
  });
  return { columns, rows };
}

export function keyNumbersToCsv(table: KeyNumberTable): string {
  return toCsv(
    ['run', ...table.columns.map((c) => c.key)],
    table.rows.map((r) => [r.run, ...r.values]),
  );
}

export interface DecayComparisonRow {
  run: string;
  label: string;
  colour: string;
  /** σ₁'s chosen decay model (lowest AIC), null when none */
  model: DecayModelName | null;
  /** 'power law, p = 1.3' or 'no fit' */
  text: string;
  params: Record<string, number>;
  paramsText: string;
  r2: number | null;
  /** how much lower its AIC is than the next-best model's (null with a single fit) */
  aicMargin: number | null;
  memoryLength: MemoryLength | null;
  memoryText: string;
}

/** Per run: the decay model chosen for σ₁, its parameters and R², and σ₁'s memory length. */
export function decayComparison(records: readonly RunRecord[]): DecayComparisonRow[] {
  return records.map((r, i) => {
    const m = r.summary.decayModels?.sigma1 ?? null;
    const fit = chosenDecayModel(m);
    // Fits with a rate at the cap are never chosen, so the margin is over the fits that could have been.
    const others = (m?.fits ?? []).filter((f) => f !== fit && f.aic !== null && !f.atRateCap).map((f) => f.aic as number);
    return {
      run: r.id,
      label: runLabel(r),
      colour: seriesColour(i),
      model: fit?.model ?? null,
      text: fit ? decayModelText(fit) : 'no fit',
      params: fit?.params ?? {},
      paramsText: fit ? decayParamsText(fit) : '—',
      r2: fit?.r2 ?? null,
      aicMargin: fit?.aic != null && others.length ? Math.min(...others) - fit.aic : null,
      memoryLength: m?.memoryLength ?? null,
      memoryText: memoryLengthText(m?.memoryLength),
    };
  });
}

const DECAY_PARAMS = ['a', 'k', 'a1', 'k1', 'a2', 'k2', 'p'];

/** One row per run: the chosen model, each parameter in its own column, R², the AIC margin and the memory length (empty when σ₁ never falls below 10 % within 0..max_delay). */
export function decayComparisonToCsv(rows: readonly DecayComparisonRow[]): string {
  return toCsv(
    ['run', 'model', ...DECAY_PARAMS, 'r2', 'aic_margin', 'memory_length', 'memory_length_low', 'memory_length_high', 'max_delay'],
    rows.map((r) => [
      r.run,
      r.model,
      ...DECAY_PARAMS.map((k) => r.params[k] ?? null),
      r.r2,
      r.aicMargin,
      r.memoryLength?.tau ?? null,
      r.memoryLength?.low ?? null,
      r.memoryLength?.high ?? null,
      r.memoryLength?.maxDelay ?? null,
    ]),
  );
}
