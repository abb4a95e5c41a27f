// The training chart's lines from a finished history and from live progress.
import { describe, expect, it } from 'vitest';
import { historySeries, latestTrainProgress, liveSeries } from '../../../renderer/src/lib/state/training-series';
import type { EpochRecord, TrainProgress } from '../../../shared/schemas/model';

const epoch = (n: number, trainLoss: number, validLoss: number): EpochRecord => ({
  epoch: n,
  learningRate: 1,
  trainLoss,
  trainPerplexity: Math.exp(trainLoss),
  validLoss,
  validPerplexity: Math.exp(validLoss),
  seconds: 1,
  tokensPerSecond: 100,
});

const p = (over: Partial<TrainProgress>): TrainProgress => ({
  phase: 'train',
  epoch: 1,
  epochs: 2,
  batch: 1,
  batchesPerEpoch: 4,
  tokensPerSecond: 1,
  trainLoss: 2,
  learningRate: 1,
  secondsLeft: 1,
  bestEpoch: null,
  ...over,
});

describe('training series', () => {
  it('a history gives one point per epoch, as loss or as perplexity', () => {
    const h = [epoch(1, 5, 4.5), epoch(2, 4, 4.2)];
    const [train, valid] = historySeries(h, 'perplexity');
    expect(train.points.map((q) => q.x)).toEqual([1, 2]);
    expect(train.points[1].y).toBeCloseTo(Math.exp(4));
    expect(valid.points[0].y).toBeCloseTo(Math.exp(4.5));
    expect(historySeries(h, 'loss')[1].points.map((q) => q.y)).toEqual([4.5, 4.2]);
  });

  it('live progress: fractional epochs for train, a gap where the running mean restarts, valid at epoch ends', () => {
    const samples = [
      p({ batch: 2, trainLoss: Math.log(300) }),
      p({ batch: 4, trainLoss: Math.log(200) }),
      p({ phase: 'valid', batch: 4, validPerplexity: 150, bestEpoch: 1 }),
      p({ epoch: 2, batch: 1, trainLoss: Math.log(120) }),
      { unrelated: true },
    ];
    const [train, valid] = liveSeries(samples, 'perplexity');
    expect(train.points.map((q) => q.x)).toEqual([0.5, 1, 1, 1.25]);
    expect(train.points[0].y).toBeCloseTo(300);
    expect(Number.isNaN(train.points[2].y)).toBe(true);
    expect(valid.points).toEqual([{ x: 1, y: 150 }]);
    expect(liveSeries(samples, 'loss')[1].points[0].y).toBeCloseTo(Math.log(150));
    expect(latestTrainProgress(samples)?.epoch).toBe(2);
  });
});
