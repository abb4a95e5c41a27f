// `mnemoscope export`: a run as CSV (one row per delay, every scalar column) or as flat JSON
// (the same rows under the same keys, plus the run's context and a description of every
// column). Numbers are written in full (shortest round-trip form); undefined values are
// empty CSV cells and JSON nulls.
import type { RunRecord } from '../../../shared/schemas/run';
import { exportColumns, exportRows } from './export-columns';

export const EXPORT_FORMATS = ['csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** RFC 4180: quote fields that hold a comma, quote or line break. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function runToCsv(record: RunRecord): string {
  const cols = exportColumns(record);
  const lines = [cols.map((c) => csvField(c.key)).join(',')];
  for (const row of exportRows(record, cols)) lines.push(row.map((v) => (v === null ? '' : String(v))).join(','));
  return lines.join('\n') + '\n';
}

export interface RunExport {
  format: 'mnemoscope-run-export';
  version: 1;
  run: Pick<RunRecord, 'id' | 'model' | 'corpus' | 'split' | 'created'>;
  config: RunRecord['config'];
  modelShape: RunRecord['modelShape'];
  software: RunRecord['software'];
  timings: RunRecord['timings'];
  flops: RunRecord['flops'];
  counts: Pick<RunRecord['counts'], 'splitTokens' | 'streams' | 'length' | 'positions' | 'sources'>;
  flushedValues: number;
  /** one entry per property: its classes, sizes and the linear probe's held-out accuracy */
  properties: Record<string, string | number | boolean | null>[];
  /** exponential decay fits of σ₁ and Σσ (residuals per delay are columns of `delays`) */
  decay: Record<'sigma1' | 'sum', Record<string, number | null> | null>;
  /** exponential, two-exponential and power-law fits of σ₁ and Σσ with the chosen one, and the memory length (as in run.json) */
  decayModels: RunRecord['summary']['decayModels'];
  /** what every key of a `delays` row means */
  columns: { key: string; description: string }[];
  /** one flat object per delay τ */
  delays: Record<string, number | null>[];
  warnings: string[];
}

export function runToExport(record: RunRecord): RunExport {
  const s = record.summary;
  const cols = exportColumns(record);
  const rows = exportRows(record, cols);
  const fit = (f: (typeof s.decay)['sigma1']) =>
    f && { from: f.from, to: f.to, slope: f.slope, intercept: f.intercept, decayLength: f.decayLength, halfLife: f.halfLife, r2: f.r2 };
  return {
    format: 'mnemoscope-run-export',
    version: 1,
    run: { id: record.id, model: record.model, corpus: record.corpus, split: record.split, created: record.created },
    config: record.config,
    modelShape: record.modelShape,
    software: record.software,
    timings: record.timings,
    flops: record.flops,
    counts: {
      splitTokens: record.counts.splitTokens,
      streams: record.counts.streams,
      length: record.counts.length,
      positions: record.counts.positions,
      sources: record.counts.sources,
    },
    flushedValues: record.flushedValues,
    properties: s.properties.map((p) => ({
      name: p.name,
      classA: p.classA,
      classB: p.classB,
      wordsA: p.foundA,
      wordsB: p.foundB,
      overlap: p.overlap,
      norm: p.norm,
      probeTestAccuracy: p.probe?.testAccuracy ?? null,
      probeTrainAccuracy: p.probe?.trainAccuracy ?? null,
      probeBaseline: p.probe?.baseline ?? null,
      probeTestSize: p.probe?.testSize ?? null,
      probeError: p.probeError,
    })),
    decay: { sigma1: fit(s.decay.sigma1), sum: fit(s.decay.sum) },
    decayModels: s.decayModels,
    columns: cols.map((c) => ({ key: c.key, description: c.description })),
    delays: rows.map((row) => Object.fromEntries(cols.map((c, i) => [c.key, row[i]]))),
    warnings: [...record.warnings, ...s.warnings],
  };
}

export function exportRun(record: RunRecord, format: ExportFormat): string {
  return format === 'csv' ? runToCsv(record) : JSON.stringify(runToExport(record), null, 2) + '\n';
}
