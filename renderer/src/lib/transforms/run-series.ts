// Plots (a), (b), (d) and (e) of a run: memory against delay with its decay fits,
// selectivity, properties as in the paper's Figure 1, and the spectrum at one delay.
import type { DecayFitSummary, DelaySummary } from '../../../../shared/schemas/run-summary';
import type { RunRecord } from '../../../../shared/schemas/run';
import { formatValue } from './format';
import { GREY, seriesColour } from './palette';
import type { PlotSeries } from './series';

const seOf = (e: { se: number } | null | undefined): number | null => (e ? e.se : null);

/** The fitted exponential exp(intercept + slope·τ) over the delays the fit spans. */
export function decayFitCurve(fit: DecayFitSummary): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  for (let t = fit.from; t <= fit.to; t++) out.push({ x: t, y: Math.exp(fit.intercept + fit.slope * t) });
  return out;
}

export function halfLifeText(fit: DecayFitSummary | null): string {
  if (!fit) return 'no fit';
  if (fit.halfLife === null) return 'no decay';
  return `half-life ${formatValue(fit.halfLife, 3)} tokens`;
}

/** (a) σ₁ and Σσ against delay with their standard-error bands, and the exponential decay fits. */
export function memorySeries(record: RunRecord): PlotSeries[] {
  const delays = record.summary.delays;
  const { sigma1: fit1, sum: fitSum } = record.summary.decay;
  const curve = (key: 'sigma1' | 'sum', label: string, colour: string): PlotSeries => {
    const points = delays.map((d) => ({ x: d.tau, y: d[key], se: seOf(d.se?.[key]) }));
    return { key, label, colour, dash: 'solid', points, band: points.some((p) => p.se !== null), interactive: true };
  };
  const fitted = (key: string, label: string, colour: string, fit: DecayFitSummary | null): PlotSeries[] =>
    fit
      ? [
          {
            key,
            label: `${label} fit, ${halfLifeText(fit)}`,
            colour,
            dash: 'dashed',
            points: decayFitCurve(fit),
            band: false,
            interactive: false,
            width: 1.5,
          },
        ]
      : [];
  return [
    curve('sigma1', 'σ₁', seriesColour(0)),
    curve('sum', 'Σσ', seriesColour(2)),
    ...fitted('sigma1-fit', 'σ₁', seriesColour(0), fit1),
    ...fitted('sum-fit', 'Σσ', seriesColour(2), fitSum),
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
