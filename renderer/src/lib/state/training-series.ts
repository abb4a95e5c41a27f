// The training chart's lines (drawn by plots/LinePlot), from a finished model's per-epoch
// history or from the live progress of a training job. x is in epochs (fractional while an
// epoch runs); y is the loss (nats per token) or the perplexity, exp(loss).
import type { EpochRecord, TrainProgress } from '../../../../shared/schemas/model';
import { seriesColour } from '../transforms/palette';
import type { PlotSeries } from '../transforms/series';

export type TrainingMeasure = 'perplexity' | 'loss';

interface Point {
  x: number;
  y: number;
}

/** Past this many points a line is drawn without hover and focus stops (a long live run). */
const MAX_INTERACTIVE_POINTS = 400;

const finite = (p: Point) => Number.isFinite(p.x) && Number.isFinite(p.y);

function trainingLine(key: 'train' | 'valid', label: string, points: Point[]): PlotSeries {
  return {
    key,
    label,
    colour: seriesColour(key === 'train' ? 0 : 1),
    dash: 'solid',
    points,
    band: false,
    interactive: points.length <= MAX_INTERACTIVE_POINTS,
  };
}

function measureOf(loss: number, measure: TrainingMeasure): number {
  return measure === 'loss' ? loss : Math.exp(loss);
}

/** Train and valid lines of a finished (or cancelled) training, one point per epoch. */
export function historySeries(history: readonly EpochRecord[], measure: TrainingMeasure): PlotSeries[] {
  return [
    trainingLine('train', 'train (dropout on)', history.map((e) => ({ x: e.epoch, y: measureOf(e.trainLoss, measure) })).filter(finite)),
    trainingLine('valid', 'valid', history.map((e) => ({ x: e.epoch, y: measureOf(e.validLoss, measure) })).filter(finite)),
  ];
}

/** A train job's progress detail (the engine passes details through unchecked; other kinds' are skipped). */
function isTrainProgress(v: unknown): v is TrainProgress {
  return (
    typeof v === 'object' &&
    v !== null &&
    'epoch' in v &&
    typeof v.epoch === 'number' &&
    'batch' in v &&
    typeof v.batch === 'number' &&
    'batchesPerEpoch' in v &&
    typeof v.batchesPerEpoch === 'number'
  );
}

/**
 * Live lines from a training job's progress details: the running mean train loss at each
 * report (x = epoch − 1 + batch / batches), and the valid perplexity at each epoch's end.
 * The running mean starts afresh each epoch, so the train line has a gap (a point with
 * y = NaN) between epochs; charts draw it with line().defined().
 */
export function liveSeries(samples: readonly unknown[], measure: TrainingMeasure): PlotSeries[] {
  const byEpoch = new Map<number, Point[]>();
  const valid = new Map<number, number>();
  for (const s of samples) {
    if (!isTrainProgress(s)) continue;
    if (s.phase === 'train' && s.batch > 0 && Number.isFinite(s.trainLoss)) {
      const p = { x: s.epoch - 1 + s.batch / Math.max(1, s.batchesPerEpoch), y: measureOf(s.trainLoss, measure) };
      if (finite(p)) byEpoch.set(s.epoch, [...(byEpoch.get(s.epoch) ?? []), p]);
    }
    if (s.validPerplexity !== undefined && Number.isFinite(s.validPerplexity)) {
      valid.set(s.epoch, measure === 'loss' ? Math.log(s.validPerplexity) : s.validPerplexity);
    }
  }
  const train = [...byEpoch]
    .sort((a, b) => a[0] - b[0])
    .flatMap(([epoch, points], i) => [...(i > 0 ? [{ x: epoch - 1, y: Number.NaN }] : []), ...points.sort((a, b) => a.x - b.x)]);
  return [
    trainingLine('train', 'train, running mean of the epoch', train),
    trainingLine('valid', 'valid', [...valid].map(([x, y]) => ({ x, y })).sort((a, b) => a.x - b.x)),
  ];
}

/** The latest training progress of a job, for the numbers beside the chart. */
export function latestTrainProgress(samples: readonly unknown[]): TrainProgress | null {
  for (let i = samples.length - 1; i >= 0; i--) {
    const sample = samples[i];
    if (isTrainProgress(sample)) return sample;
  }
  return null;
}

/** The x axis of a training chart: from 0 to at least `epochs`, so a live chart does not rescale at every point. */
export function epochDomain(series: readonly PlotSeries[], epochs: number): [number, number] {
  return [0, Math.max(epochs, 1, ...series.flatMap((s) => s.points.map((p) => p.x)))];
}
