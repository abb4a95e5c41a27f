// The training form's time estimate: work per token, the speed it is calibrated with, and
// how tokens, epochs and the validation pass add up.
import { describe, expect, it } from 'vitest';
import {
  REFERENCE_SPEED,
  estimateTrainingSeconds,
  macsPerToken,
  trainFlopsPerToken,
  trainingSpeed,
} from '../../../renderer/src/lib/state/train-estimate';
import type { ModelListing } from '../../../shared/api/models';

const size = { embeddingDim: 64, hiddenSize: 256, layers: 1, vocabSize: 10000 };

function model(id: string, created: string, tokensPerSecond: number | null, hidden = 128): ModelListing {
  return {
    id,
    name: id,
    created,
    problem: null,
    summary: {
      origin: 'trained',
      architecture: { vocabSize: 5000, embeddingDim: 64, layers: [{ units: hidden, cell: 'lstm' as const, recurrentActivation: 'sigmoid' }], outputActivation: 'softmax' },
      corpus: 'brown',
      epochsRun: 3,
      bestEpoch: 3,
      bestValidPerplexity: 120,
      complete: true,
      cancelled: false,
      backend: 'wasm',
      tokensPerSecond,
      weightsBytes: 1,
    },
  };
}

describe('training time estimate', () => {
  it('counts the multiply-adds of the LSTM layers and the softmax', () => {
    // 4H(E+H) + H·V = 4·256·320 + 256·10000
    expect(macsPerToken(size)).toBe(327_680 + 2_560_000);
    expect(macsPerToken({ ...size, layers: 2 })).toBe(327_680 + 4 * 256 * 512 + 2_560_000);
    expect(trainFlopsPerToken(size)).toBe(6 * (327_680 + 2_560_000));
  });

  it('at the reference speed, the reference network trains at the reference tokens/s', () => {
    const speed = trainingSpeed([]);
    expect(speed.basis).toMatch(/reference/);
    const s = estimateTrainingSeconds({ ...size, epochs: 3, maxTokens: null }, { train: 1_100_000, valid: 0 }, speed);
    expect(s).toBeCloseTo((3 * 1_100_000) / REFERENCE_SPEED.tokensPerSecond, 6);
    // Validation costs a third of training per token; maxTokens caps the training tokens.
    const v = estimateTrainingSeconds({ ...size, epochs: 1, maxTokens: 1100 }, { train: 1_100_000, valid: 3300 }, speed);
    expect(v).toBeCloseTo(1 + 1, 6);
  });

  it('calibrates with the newest complete trained model of the project', () => {
    const speed = trainingSpeed([model('old', '2026-01-01T00:00:00Z', 500), model('new', '2026-02-01T00:00:00Z', 2000), model('none', '2026-03-01T00:00:00Z', null)]);
    expect(speed.basis).toMatch(/'new'.*2000 tokens\/s/);
    const small = { embeddingDim: 64, hiddenSize: 128, layers: 1, vocabSize: 5000 };
    // The calibrating model's own size trains at its own speed.
    expect(estimateTrainingSeconds({ ...small, epochs: 1, maxTokens: null }, { train: 4000, valid: 0 }, speed)).toBeCloseTo(2, 6);
  });
});
