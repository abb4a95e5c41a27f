// Parameter counts of Embedding → LSTM × L → Dense models, checked against sizes of
// real weight files (weights.bin is float32, 4 bytes per parameter).
import { describe, expect, it } from 'vitest';
import { countParameters, describeArchitecture } from '../../../renderer/src/lib/state/model-size';
import type { Architecture } from '../../../shared/schemas/model';

const arch = (vocabSize: number, embeddingDim: number, units: number[]): Architecture => ({
  vocabSize,
  embeddingDim,
  layers: units.map((u) => ({ units: u, cell: 'lstm' as const, recurrentActivation: 'sigmoid' })),
  outputActivation: 'softmax',
});

describe('countParameters', () => {
  it('matches the weights.bin of a model trained with the CLI (V 500, E 16, H 32: 123 088 bytes)', () => {
    expect(countParameters(arch(500, 16, [32])) * 4).toBe(123088);
  });
  it('counts the paper configuration (V 10k, E 64, H 256)', () => {
    // 640 000 embedding + 4·256·(64+256) + 1024 LSTM + 256·10 000 + 10 000 output
    expect(countParameters(arch(10000, 64, [256]))).toBe(640000 + 328704 + 2570000);
  });
  it('feeds each layer the layer below', () => {
    const one = countParameters(arch(10, 4, [8]));
    const two = countParameters(arch(10, 4, [8, 6]));
    // the second layer (input 8, 6 units) adds 4·6·(8+6)+24, the output shrinks from 8·10 to 6·10
    expect(two - one).toBe(4 * 6 * 14 + 24 - 20);
    expect(describeArchitecture(arch(10, 4, [8, 6]))).toBe('V 10 · E 4 · LSTM 8 → 6');
  });
});
