// Plots (a), (b), (d) and (e) of a run: memory against delay with its chosen decay model,
// selectivity, properties as in the paper's Figure 1, and the spectrum at one delay; and the
// decay models' table and memory length beside plot (a).
import type { DecayModelFit, DecayModelName, DecayModels, DelaySummary, MemoryLength } from '../../../../shared/schemas/run-summary';
import { decayModelValue } from '../../../../shared/schemas/run-summary';
import type { RunRecord } from '../../../../shared/schemas/run';
import { formatValue } from '../../../../shared/format';
import { GREY, seriesColour } from './palette';
import type { PlotSeries } from './series';

const seOf = (e: { se: number } | null | undefined): number | null => (e ? e.se : null);

export const DECAY_MODEL_LABEL: Record<DecayModelName, string> = {
  exponential: 'exponential',
  'two-exponentials': 'two exponentials',
  'power-law': 'power law',
};

export { decayModelValue };

/** The fitted curve at the delays the fit spans. */
export function decayModelCurve(fit: Pick<DecayModelFit, 'model' | 'params'>, from: number, to: number): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  for (let t = from; t <= to; t++) out.push({ x: t, y: decayModelValue(fit, t) });
  return out;
}

/** The fit the summary chose (lowest AIC), or null. */
export function chosenDecayModel(models: DecayModels | null | undefined): DecayModelFit | null {
  return models?.fits.find((f) => f.model === models.chosen) ?? null;
}

const halfLife = (k: number) => (k > 0 ? formatValue(Math.LN2 / k, 3) : '∞');

/** 'power law, p = 1.3'; 'exponential, half-life 33.1 tokens'; 'two exponentials, half-lives 0.0693 and 33.9 tokens'. */
export function decayModelText(fit: Pick<DecayModelFit, 'model' | 'params'>): string {
  const p = fit.params;
  switch (fit.model) {
    case 'exponential':
      return p.k > 0 ? `exponential, half-life ${halfLife(p.k)} tokens` : `exponential, k = ${formatValue(p.k, 3)} (no decay)`;
    case 'two-exponentials':
      return `two exponentials, half-lives ${halfLife(p.k1)} and ${halfLife(p.k2)} tokens`;
    case 'power-law':
      return `power law, p = ${formatValue(p.p, 3)}`;
  }
}

const SUBSCRIPTS: Record<string, string> = { a1: 'a₁', k1: 'k₁', a2: 'a₂', k2: 'k₂' };

/** 'a = 7.2, k = 0.021' (4 significant digits). */
export function decayParamsText(fit: Pick<DecayModelFit, 'params'>): string {
  return Object.entries(fit.params)
    .map(([k, v]) => `${SUBSCRIPTS[k] ?? k} = ${formatValue(v, 4)}`)
    .join(', ');
}

/**
 * '12 tokens (± 1 SE: 11–13)'; '> 30 tokens' when y never falls below the threshold within
 * 0..D, with the range when its low end does ('> 30 tokens (± 1 SE: 25 to > 30)').
 */
export function memoryLengthText(ml: MemoryLength | null | undefined): string {
  if (!ml) return '—';
  const value = ml.tau === null ? `> ${ml.maxDelay} tokens` : `${ml.tau} tokens`;
  if (!ml.withSe || ml.low === null) return value;
  if (ml.high === null) return `${value} (± 1 SE: ${ml.low} to > ${ml.maxDelay})`;
  return `${value} (± 1 SE: ${ml.low === ml.high ? ml.low : `${ml.low}–${ml.high}`})`;
}

export interface DecayModelRow {
  quantity: 'sigma1' | 'sum';
  quantityLabel: string;
  model: DecayModelName;
  label: string;
  params: string;
  r2: number | null;
  aic: number | null;
  /** AIC minus the lowest AIC of the quantity's fits */
  deltaAic: number | null;
  chosen: boolean;
}

/** The table beside plot (a): every fitted model of σ₁ and of Σσ. */
export function decayModelRows(record: RunRecord): DecayModelRow[] {
  const dm = record.summary.decayModels;
  const rows: DecayModelRow[] = [];
  for (const [quantity, quantityLabel] of [
    ['sigma1', 'σ₁'],
    ['sum', 'Σσ'],
  ] as const) {
    const m = dm?.[quantity];
    if (!m) continue;
    // ΔAIC is counted from the best fit that can be chosen (not one with a rate at the cap).
    const aics = m.fits.filter((f) => !f.atRateCap).map((f) => f.aic).filter((a): a is number => a !== null);
    const best = aics.length ? Math.min(...aics) : null;
    for (const f of m.fits) {
      rows.push({
        quantity,
        quantityLabel,
        model: f.model,
        label: f.atRateCap ? `${DECAY_MODEL_LABEL[f.model]} (a rate at the cap of 10/token: fits one delay, not chosen)` : DECAY_MODEL_LABEL[f.model],
        params: decayParamsText(f),
        r2: f.r2,
        aic: f.aic,
        deltaAic: f.aic === null || best === null ? null : f.aic - best,
        chosen: f.model === m.chosen,
      });
    }
  }
  return rows;
}

/** (a) σ₁ and Σσ against delay with their standard-error bands, and the chosen decay model of each, dashed. */
export function memorySeries(record: RunRecord): PlotSeries[] {
  const delays = record.summary.delays;
  const models = record.summary.decayModels;
  const curve = (key: 'sigma1' | 'sum', label: string, colour: string): PlotSeries => {
    const points = delays.map((d) => ({ x: d.tau, y: d[key], se: seOf(d.se?.[key]) }));
    return { key, label, colour, dash: 'solid', points, band: points.some((p) => p.se !== null), interactive: true };
  };
  const fitted = (key: 'sigma1' | 'sum', label: string, colour: string): PlotSeries[] => {
    const m = models?.[key];
    const fit = chosenDecayModel(m);
    if (!m || !fit) return [];
    return [
      {
        key: `${key}-fit`,
        label: `${label} fit: ${decayModelText(fit)}`,
        colour,
        dash: 'dashed',
        points: decayModelCurve(fit, m.from, m.to),
        band: false,
        interactive: false,
        width: 1.5,
      },
    ];
  };
  return [
    curve('sigma1', 'σ₁', seriesColour(0)),
    curve('sum', 'Σσ', seriesColour(2)),
    ...fitted('sigma1', 'σ₁', seriesColour(0)),
    ...fitted('sum', 'Σσ', seriesColour(2)),
  ];
}

function ratioSeries(delays: DelaySummary[], colours: [string, string]): PlotSeries[] {
  return [
    {
      key: 'ratio1',
      label: 'σ₁/Σσ',
      colour: colours[0],
      dash: 'solid',
      points: delays.map((d) => ({ x: d.tau, y: d.ratio1 })),
      band: false,
      interactive: true,
    },
    {
      key: 'ratio5',
      label: 'top-5/Σσ',
      colour: colours[1],
      dash: colours[0] === colours[1] ? 'dotted' : 'solid',
      points: delays.map((d) => ({ x: d.tau, y: d.ratio5 })),
      band: false,
      interactive: true,
    },
  ];
}

/** (b) selectivity: σ₁/Σσ and Σ_{n≤5}σ_n/Σσ against delay. */
export function selectivitySeries(record: RunRecord): PlotSeries[] {
  return ratioSeries(record.summary.delays, [seriesColour(0), seriesColour(1)]);
}

/** cos(d, H_n) for the largest n ≤ `n` the run has (min(H, E) may be below 5). */
export function subspaceSize(record: RunRecord, n: number): number {
  const lengths = record.summary.delays.flatMap((d) => Object.values(d.properties).map((p) => p.cos.length));
  return Math.max(1, Math.min(n, ...(lengths.length ? lengths : [n])));
}

const SUBSCRIPT = '₀₁₂₃₄₅₆₇₈₉';
const subscript = (n: number) => [...String(n)].map((c) => SUBSCRIPT[Number(c)]).join('');

/**
 * (d) as the paper's Figure 1: per property m (solid, with its standard-error band) and
 * cos(d, H₅) (dotted) in one colour per property; σ₁/Σσ (solid) and top-5/Σσ (dotted) in grey.
 */
export function propertySeries(record: RunRecord, n = 5): PlotSeries[] {
  const delays = record.summary.delays;
  const h = subspaceSize(record, n);
  const out: PlotSeries[] = [];
  record.summary.properties.forEach((prop, i) => {
    const colour = seriesColour(i);
    const at = (d: DelaySummary) => d.properties[prop.name];
    const mPoints = delays.map((d) => ({ x: d.tau, y: at(d)?.m ?? null, se: seOf(at(d)?.mSe) }));
    out.push({
      key: `m:${prop.name}`,
      label: `m ${prop.name}`,
      colour,
      dash: 'solid',
      points: mPoints,
      band: mPoints.some((p) => p.se !== null),
      interactive: true,
    });
    out.push({
      key: `cos:${prop.name}`,
      label: `cos(d, H${subscript(h)}) ${prop.name}`,
      colour,
      dash: 'dotted',
      points: delays.map((d) => ({ x: d.tau, y: at(d)?.cos[h - 1] ?? null })),
      band: false,
      interactive: true,
    });
  });
  return [...out, ...ratioSeries(delays, [GREY, GREY])];
}

/** (e) the singular values σ_1 ≥ σ_2 ≥ … of Ḡ_τ at one delay, against their index n (1-based); optionally τ = 0 for reference. */
export function spectrumSeries(spectrum: readonly (readonly number[])[], tau: number, reference = false): PlotSeries[] {
  const row = spectrum[tau] ?? [];
  const series: PlotSeries[] = [
    {
      key: `tau${tau}`,
      label: `σₙ at delay ${tau}`,
      colour: seriesColour(0),
      dash: 'solid',
      points: row.map((y, i) => ({ x: i + 1, y })),
      band: false,
      interactive: true,
    },
  ];
  if (reference && tau !== 0 && spectrum.length) {
    series.push({
      key: 'tau0',
      label: 'σₙ at delay 0',
      colour: GREY,
      dash: 'dotted',
      points: spectrum[0].map((y, i) => ({ x: i + 1, y })),
      band: false,
      interactive: true,
    });
  }
  return series;
}
