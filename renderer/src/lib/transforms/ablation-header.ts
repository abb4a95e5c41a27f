// The facts above an ablation run's plots: what was ablated and how, on what, the baseline,
// the work done and how long it took (as run-header.ts does for a sweep).
import type { AblationMode, AblationRecord } from '../../../../shared/schemas/ablation';
import { CELL_LABELS } from '../../../../shared/schemas/model';
import { formatDuration, formatFlops, formatValue } from '../../../../shared/format';
import type { FactGroup } from './run-header';

export const ABLATION_MODE_TEXT: Record<AblationMode, string> = {
  unk: 'replaced by <unk>',
  random: 'replaced by a word drawn from the training unigrams',
  shuffle: 'replaced by the token at another position of the stream',
};

const PRECISE = { precise: true } as const;
const count = (n: number) => n.toLocaleString('en');

/** 'LSTM'; 'LSTM → GRU' for a model whose layers differ. */
export function ablationCellText(record: Pick<AblationRecord, 'modelShape'>): string {
  const cells = record.modelShape.cells;
  if (cells.length === 0) return CELL_LABELS.lstm;
  return new Set(cells).size === 1 ? CELL_LABELS[cells[0]] : cells.map((c) => CELL_LABELS[c]).join(' → ');
}

export function ablationHeader(record: AblationRecord): FactGroup[] {
  const c = record.config;
  const t = record.timings;
  const w = record.work;
  const dropped = record.counts.groupsDropped.reduce((a, b) => a + b, 0);
  return [
    {
      heading: 'Ablation',
      facts: [
        { label: 'Replaced token', value: ABLATION_MODE_TEXT[c.mode] + (c.mode === 'unk' ? '' : ` (seed ${c.seed})`) },
        { label: 'Delays', value: `0–${c.maxDelay}; truncation k = 1–${c.maxDelay + 1}` },
        { label: 'Tokens', value: `${count(record.counts.positions)} in ${c.streams} streams of ${count(record.counts.length)}` },
        { label: 'Split tokens', value: c.maxTokens === null ? `${count(record.counts.splitTokens)} (all)` : `${count(c.maxTokens)} of ${count(record.counts.splitTokens)}` },
        { label: 'Standard errors', value: `${c.groups} groups${dropped > 0 ? ` (${dropped} left out where a group had no pair)` : ''}` },
      ],
    },
    {
      heading: 'Model and corpus',
      facts: [
        { label: 'Model', value: record.model },
        { label: 'Cell', value: ablationCellText(record) },
        {
          label: 'Shape',
          value: `vocabulary ${count(record.modelShape.vocabSize)}, E ${record.modelShape.embeddingDim}, H ${record.modelShape.units.join('/')}`,
        },
        { label: 'Corpus', value: `${record.corpus} (${record.split} split)` },
        { label: 'Classes', value: c.classSets.length ? `${c.classes.length} in ${c.classSets.join(', ')}` : 'none' },
      ],
    },
    {
      heading: 'Baseline',
      facts: [
        { label: 'Mean loss', value: `${formatValue(record.baseline.meanLoss, 4)} nats` },
        { label: 'Perplexity', value: formatValue(record.baseline.perplexity, 4) },
        { label: 'Δ at delay 0', value: formatValue(record.delta.mean[0] ?? null, 4) },
      ],
    },
    {
      heading: 'Compute',
      facts: [
        { label: 'Total time', value: formatDuration(t.totalSeconds, PRECISE) },
        { label: 'Preparation', value: formatDuration(t.prepareSeconds, PRECISE) },
        { label: 'Computation', value: `${formatDuration(t.computeSeconds, PRECISE)} (${c.workers} workers)` },
        { label: 'Writing', value: formatDuration(t.writeSeconds, PRECISE) },
        { label: 'Work', value: `${count(w.cellSteps)} cell steps, ${count(w.outputRows)} output rows; ${formatFlops(w.flops)} at ${formatValue(w.gflopsPerSecond, 3)} GFLOP/s` },
        { label: 'Backend', value: record.software.backend },
        { label: 'Created', value: record.created.replace('T', ' ').replace(/\.\d+Z$/, ' UTC') },
      ],
    },
  ];
}
