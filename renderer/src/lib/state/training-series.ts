// The training chart's lines, from a finished model's per-epoch history or from the live
// progress of a training job. x is in epochs (fractional while an epoch runs); y is the
// loss (nats per token) or the perplexity, exp(loss).
import type { EpochRecord, TrainProgress } from '../../../../shared/schemas/model';

export type TrainingMeasure = 'perplexity' | 'loss';

export interface Point {
  x: number;
  y: number;
}

export interface Series {
  id: 'train' | 'valid';
  label: string;
  points: Point[];
}

const finite = (p: Point) => Number.isFinite(p.x) && Number.isFinite(p.y);

function measureOf(loss: number, measure: TrainingMeasure): number {
  return measure === 'loss' ? loss : Math.exp(loss);
}

/** Train and valid lines of a finished (or cancelled) training, one point per epoch. */
export function historySeries(history: readonly EpochRecord[], measure: TrainingMeasure): Series[] {
  return [
    { id: 'train', label: 'train (dropout on)', points: history.map((e) => ({ x: e.epoch, y: measureOf(e.trainLoss, measure) })).filter(finite) },
    { id: 'valid', label: 'valid', points: history.map((e) => ({ x: e.epoch, y: measureOf(e.validLoss, measure) })).filter(finite) },
  ];
}

function isTrainProgress(v: unknown): v is TrainProgress {
  const p = v as Partial<TrainProgress> | null;
  return !!p && typeof p.epoch === 'number' && typeof p.batch === 'number' && typeof p.batchesPerEpoch === 'number';
}

/**
 * Live lines from a training job's progress details: the running mean train loss at each
 * report (x = epoch − 1 + batch / batches), and the valid perplexity at each epoch's end.
 * The running mean starts afresh each epoch, so the train line has a gap (a point with
 * y = NaN) between epochs; charts draw it with line().defined().
 */
export function liveSeries(samples: readonly unknown[], measure: TrainingMeasure): Series[] {
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
    { id: 'train', label: 'train, running mean of the epoch', points: train },
    { id: 'valid', label: 'valid', points: [...valid].map(([x, y]) => ({ x, y })).sort((a, b) => a.x - b.x) },
  ];
}

/** The latest training progress of a job, for the numbers beside the chart. */
export function latestTrainProgress(samples: readonly unknown[]): TrainProgress | null {
  for (let i = samples.length - 1; i >= 0; i--) if (isTrainProgress(samples[i])) return samples[i] as TrainProgress;
  return null;
}
