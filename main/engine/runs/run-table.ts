// A run as a compact plain-text report for the terminal: one line of context, the per-delay
// table (τ, σ₁ ± SE, Σσ, σ₁/Σσ, top5/Σσ, m per property), the decay half-lives, the decay
// models with the chosen one and the memory length, the probes.
import { CELL_LABELS } from '../../../shared/schemas/model';
import { runCells, type RunRecord } from '../../../shared/schemas/run';

/** 4 significant digits; exponent form for very small or large magnitudes. */
export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a < 1e-3 || a >= 1e5 ? x.toExponential(2) : x.toPrecision(4);
}

const MODEL_NAME = { exponential: 'exponential', 'two-exponentials': 'two exponentials', 'power-law': 'power law' } as const;

const withSe = (v: number | null, se: number | null | undefined) => (se === null || se === undefined ? fmt(v) : `${fmt(v)} ± ${fmt(se)}`);

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => c.padStart(widths[i])).join('  ');
  return [line(header), ...rows.map(line)];
}

export function formatRunTable(r: RunRecord): string {
  const c = r.config;
  const s = r.summary;
  const props = s.properties.map((p) => p.name);
  const lines = [
    `run '${r.id}': model '${r.model}' (E=${r.modelShape.embeddingDim}, ${runCells(r.modelShape).map((cell, i) => `${CELL_LABELS[cell]} ${r.modelShape.units[i]}`).join(' → ')}), ` +
      `corpus '${r.corpus}' ${r.split}, state ${c.state} of layer ${c.layer}${c.normalize === 'none' ? '' : `, ${c.normalize}`}`,
    `  ${r.counts.streams} streams × ${r.counts.length} steps = ${r.counts.positions} positions` +
      `${c.sample === null ? '' : ` (${r.counts.sources} sampled sources)`}, D = ${c.maxDelay}; ` +
      `${fmt(r.flops.nominal)} flops in ${r.timings.computeSeconds.toFixed(1)} s = ${r.flops.gflopsPerSecond.toFixed(1)} GFLOP/s ` +
      `(${r.software.workers} worker${r.software.workers === 1 ? '' : 's'}, ${r.software.backend}); total ${r.timings.totalSeconds.toFixed(1)} s`,
  ];
  const header = ['τ', 'σ₁ ± SE', 'Σσ', 'σ₁/Σσ', 'top5/Σσ', ...props.map((p) => `m(${p})`)];
  const rows = s.delays.map((d) => [
    String(d.tau),
    withSe(d.sigma1, d.se?.sigma1?.se),
    fmt(d.sum),
    fmt(d.ratio1),
    fmt(d.ratio5),
    ...props.map((p) => withSe(d.properties[p]?.m ?? null, d.properties[p]?.mSe?.se)),
  ]);
  lines.push(...table(header, rows));
  const decay = (what: string, f: (typeof s.decay)['sigma1']) =>
    f === null
      ? `${what}: no fit`
      : `${what} half-life ${f.halfLife === null ? '– (not decaying)' : `${fmt(f.halfLife)} tokens`} (decay length ${fmt(f.decayLength)}, R² ${fmt(f.r2)}, τ ${f.from}..${f.to})`;
  lines.push(`decay: ${decay('σ₁', s.decay.sigma1)}; ${decay('Σσ', s.decay.sum)}`);
  for (const [what, m] of [
    ['σ₁', s.decayModels?.sigma1],
    ['Σσ', s.decayModels?.sum],
  ] as const) {
    if (!m) continue;
    const fits = m.fits.map(
      (f) =>
        `${MODEL_NAME[f.model]}${f.model === m.chosen ? ' (chosen)' : ''} ` +
        `${Object.entries(f.params).map(([k, v]) => `${k}=${fmt(v)}`).join(' ')}, R² ${fmt(f.r2)}, AIC ${fmt(f.aic)}`,
    );
    const ml = m.memoryLength;
    const range = ml.withSe && ml.low !== null ? ` (±1 SE: ${ml.low}..${ml.high ?? `>${ml.maxDelay}`})` : '';
    lines.push(
      `decay models of ${what} (τ ${m.from}..${m.to}, ${m.weighted ? 'weighted by 1/SE²' : 'unweighted'}): ${fits.length ? fits.join('; ') : 'too few delays'}`,
      `  memory length of ${what} (first τ below ${+(100 * ml.threshold).toPrecision(6)} % of its maximum): ${ml.tau === null ? `> ${ml.maxDelay}` : ml.tau}${range}`,
    );
  }
  for (const p of s.properties) {
    const probe = p.probe
      ? `linear probe ${fmt(p.probe.testAccuracy)} held-out accuracy vs majority ${fmt(p.probe.baseline)}`
      : `no probe (${p.probeError ?? 'n/a'})`;
    lines.push(`property ${p.name} = ${p.classA} (${p.foundA} words) − ${p.classB} (${p.foundB} words): ${probe}`);
  }
  if (r.flushedValues > 0) lines.push(`note: ${r.flushedValues} tangent values below 1e-30 were flushed to zero`);
  for (const w of [...r.warnings, ...s.warnings]) lines.push(`warning: ${w}`);
  return lines.join('\n');
}
