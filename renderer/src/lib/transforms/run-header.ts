// The facts above a run's plots: what was analysed, how, on what, how long it took.
import { CELL_LABELS } from '../../../../shared/schemas/model';
import { analysedCell, runCells, type RunRecord } from '../../../../shared/schemas/run';
import { formatDuration, formatFlops, formatValue } from '../../../../shared/format';
import { chosenDecayModel, decayModelText, memoryLengthText } from './run-series';

export interface Fact {
  label: string;
  value: string;
}

export interface FactGroup {
  heading: string;
  facts: Fact[];
}

const STATE_NAME = { c: 'cell state c', h: 'output h' } as const;
/** Compute times are measured, often well under a second: keep their digits. */
const PRECISE = { precise: true } as const;

/** 'LSTM'; for a model whose layers differ, every layer's cell and the analysed one: 'LSTM → GRU (layer 2: GRU)'. */
export function runCellText(record: Pick<RunRecord, 'modelShape' | 'config'>): string {
  const cells = runCells(record.modelShape);
  if (new Set(cells).size <= 1) return CELL_LABELS[analysedCell(record)];
  return `${cells.map((c) => CELL_LABELS[c]).join(' → ')} (layer ${record.config.layer}: ${CELL_LABELS[analysedCell(record)]})`;
}

export function runHeader(record: RunRecord): FactGroup[] {
  const c = record.config;
  const s = record.summary;
  const t = record.timings;
  const decay = (m: NonNullable<typeof s.decayModels>['sigma1'] | undefined) => {
    const fit = chosenDecayModel(m);
    return fit ? `${decayModelText(fit)}; R² ${formatValue(fit.r2, 4)}` : 'no fit';
  };
  const tokens = record.counts.positions;
  return [
    {
      heading: 'Analysis',
      facts: [
        { label: 'Target', value: `${STATE_NAME[c.state]}, layer ${c.layer} of ${c.layers}` },
        { label: 'Delays', value: `0–${c.maxDelay}` },
        { label: 'Normalisation', value: c.normalize === 'none' ? 'none' : 'equal-variance (Ḡ·D)' },
        { label: 'Tokens', value: `${tokens.toLocaleString('en')} in ${c.streams} streams of ${record.counts.length}` },
        {
          label: 'Sources',
          value: c.sample === null ? 'all positions' : `${record.counts.sources.toLocaleString('en')} sampled (seed ${c.seed ?? '—'})`,
        },
        { label: 'Standard errors', value: s.groups === null ? 'none' : `${s.groups} groups` },
      ],
    },
    {
      heading: 'Model and corpus',
      facts: [
        { label: 'Model', value: record.model },
        { label: 'Cell', value: runCellText(record) },
        {
          label: 'Shape',
          value: `vocabulary ${record.modelShape.vocabSize.toLocaleString('en')}, E ${record.modelShape.embeddingDim}, H ${record.modelShape.units.join('/')}`,
        },
        { label: 'Corpus', value: `${record.corpus} (${record.split} split)` },
        { label: 'Classes', value: c.classSets.length ? `${c.classes.length} in ${c.classSets.join(', ')}` : 'none' },
        { label: 'Properties', value: c.properties.length ? c.properties.map((p) => `${p.name} (${p.classA} − ${p.classB})`).join(', ') : 'none' },
      ],
    },
    {
      heading: 'Memory',
      facts: [
        { label: 'σ₁ at delay 0', value: formatValue(s.delays[0]?.sigma1 ?? null) },
        { label: 'σ₁ decay', value: decay(s.decayModels?.sigma1) },
        { label: 'σ₁ memory length', value: memoryLengthText(s.decayModels?.sigma1?.memoryLength) },
        { label: 'Σσ decay', value: decay(s.decayModels?.sum) },
      ],
    },
    {
      heading: 'Compute',
      facts: [
        { label: 'Total time', value: formatDuration(t.totalSeconds, PRECISE) },
        { label: 'Accumulation', value: `${formatDuration(t.accumulateSeconds, PRECISE)} (${record.software.workers} workers)` },
        { label: 'SVDs and summary', value: `${formatDuration(t.svdSeconds, PRECISE)} of ${formatDuration(t.summariseSeconds, PRECISE)}` },
        { label: 'Work', value: `${formatFlops(record.flops.nominal)} at ${formatValue(record.flops.gflopsPerSecond, 3)} GFLOP/s` },
        { label: 'Backend', value: record.software.backend },
        ...(record.software.path ? [{ label: 'Sweep path', value: sweepPathText(record.software) }] : []),
        { label: 'Created', value: record.created.replace('T', ' ').replace(/\.\d+Z$/, ' UTC') },
      ],
    },
  ];
}

/** "tensor (engine auto: …; 4096 MiB device memory from nvidia-smi, 12 streams at once)": which sweep ran and why. */
export function sweepPathText(sw: RunRecord['software']): string {
  const device = sw.chunkStreams !== undefined ? `; ${sw.deviceMemoryMB} MiB device memory (${sw.deviceMemorySource}), ${sw.chunkStreams} streams at once` : '';
  return `${sw.path}${sw.pathReason ? ` (${sw.pathReason}${device})` : ''}`;
}
