// The per-delay table of a run: one row per delay τ, one column per scalar. CSV and JSON
// export share it, so both carry the same numbers under the same documented keys.
// Keys: plain (`sigma1`), or `class:<name>:<stat>`, `word:<word>:<stat>`, `property:<name>:<stat>`.
import type { RunRecord } from '../../../shared/schemas/run';
import type { DelaySummary } from '../../../shared/schemas/run-summary';

export interface ExportColumn {
  key: string;
  description: string;
  value: (d: DelaySummary, tau: number) => number | null;
}

const SPECTRUM_STATS = [
  ['sigma1', 'largest singular value σ₁'],
  ['sum', 'sum of all singular values Σσ'],
  ['ratio1', 'σ₁/Σσ'],
  ['ratio5', 'Σ_{n≤5}σ_n/Σσ (top-5 share)'],
] as const;

export function exportColumns(record: RunRecord): ExportColumn[] {
  const s = record.summary;
  const c = record.counts;
  const cols: ExportColumn[] = [
    { key: 'tau', description: 'delay τ in tokens', value: (_, t) => t },
    { key: 'pairs', description: '(source, step) pairs averaged into Ḡ_τ', value: (_, t) => c.pairs[t] ?? null },
    { key: 'sigma1', description: 'largest singular value σ₁ of Ḡ_τ', value: (d) => d.sigma1 },
    { key: 'sigma1_se', description: 'standard error of σ₁ over the uncertainty groups', value: (d) => d.se?.sigma1?.se ?? null },
    { key: 'sum', description: 'sum of the singular values Σσ of Ḡ_τ', value: (d) => d.sum },
    { key: 'sum_se', description: 'standard error of Σσ over the uncertainty groups', value: (d) => d.se?.sum?.se ?? null },
    { key: 'ratio1', description: 'σ₁/Σσ', value: (d) => d.ratio1 },
    { key: 'ratio5', description: 'Σ_{n≤5}σ_n/Σσ (top-5 share)', value: (d) => d.ratio5 },
    {
      key: 'sigma1_fit_residual',
      description: 'ln σ₁ minus the exponential decay fit (empty where not fitted)',
      value: (_, t) => s.decay.sigma1?.residuals[t] ?? null,
    },
    {
      key: 'sum_fit_residual',
      description: 'ln Σσ minus the exponential decay fit (empty where not fitted)',
      value: (_, t) => s.decay.sum?.residuals[t] ?? null,
    },
  ];
  for (const cls of record.config.classes) {
    const name = cls.name;
    for (const [stat, what] of SPECTRUM_STATS) {
      cols.push({ key: `class:${name}:${stat}`, description: `${what} of Ḡ_τ for source words of class ${name}`, value: (d) => d.classes[name]?.[stat] ?? null });
    }
    cols.push({ key: `class:${name}:pairs`, description: `pairs with a source word of class ${name}`, value: (_, t) => c.classPairs[name]?.[t] ?? null });
  }
  for (const { word } of record.config.words) {
    for (const [stat, what] of SPECTRUM_STATS) {
      cols.push({ key: `word:${word}:${stat}`, description: `${what} of Ḡ_τ for the source word '${word}'`, value: (d) => d.words[word]?.[stat] ?? null });
    }
    cols.push({ key: `word:${word}:pairs`, description: `pairs with the source word '${word}'`, value: (_, t) => c.wordPairs[word]?.[t] ?? null });
  }
  for (const p of s.properties) {
    const name = p.name;
    const pd = (d: DelaySummary) => d.properties[name];
    cols.push(
      { key: `property:${name}:m`, description: `relative memory m = ‖Ḡ_τ d̂‖/σ₁ of ${name} (${p.classA} − ${p.classB})`, value: (d) => pd(d)?.m ?? null },
      { key: `property:${name}:m_se`, description: `standard error of m of ${name}`, value: (d) => pd(d)?.mSe?.se ?? null },
      { key: `property:${name}:r`, description: `r = ‖Ḡ_τ d̂‖ of ${name}`, value: (d) => pd(d)?.r ?? null },
    );
    const n = Math.max(0, ...s.delays.map((d) => pd(d)?.cos.length ?? 0));
    for (let k = 1; k <= n; k++) {
      cols.push({ key: `property:${name}:cos${k}`, description: `cos(d, H_${k}) of ${name}`, value: (d) => pd(d)?.cos[k - 1] ?? null });
    }
  }
  return cols;
}

/** The table's rows: rows[τ][column]. */
export function exportRows(record: RunRecord, columns: ExportColumn[]): (number | null)[][] {
  return record.summary.delays.map((d, t) => columns.map((col) => {
    const v = col.value(d, t);
    return v === null || Number.isFinite(v) ? v : null;
  }));
}
