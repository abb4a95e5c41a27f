// Sizes have upper bounds derived from memory: the wasm backend's 4 GiB heap per worker and
// the machine's RAM. The recipes fit; absurd sizes are a user error saying what they need.
import { describe, expect, it } from 'vitest';
import type { Architecture } from '../../../shared/schemas/model';
import { TrainConfigSchema } from '../../../shared/schemas/model';
import { architectureFor } from '../../../main/engine/model/train-loop';
import {
  WASM_HEAP_BYTES,
  checkEvaluationFits,
  checkTrainingFits,
  checkWeightsFit,
  memoryLimit,
  parameterCount,
  trainingBytes,
} from '../../../main/engine/model/memory-budget';

const GiB = 1024 ** 3;
const arch = (E: number, H: number, V: number, layers = 1): Architecture => ({
  vocabSize: V,
  embeddingDim: E,
  layers: Array.from({ length: layers }, () => ({ units: H, cell: 'lstm' as const, recurrentActivation: 'sigmoid' as const })),
  outputActivation: 'softmax',
});
const shape = { batchSize: 20, bptt: 50, optimizer: 'sgd' as const };

describe('memory bounds on model sizes', () => {
  it('counts the weights of Embedding, LSTM and Dense', () => {
    // 10·4 + 4·6·(4+6) + 4·6 + 6·10 + 10
    expect(parameterCount(arch(4, 6, 10))).toBe(40 + 240 + 24 + 60 + 10);
  });

  it('lets the default configuration train on wasm with room to spare', () => {
    const config = TrainConfigSchema.parse({});
    const need = trainingBytes(architectureFor(config, config.vocabSize), config);
    expect(need).toBeLessThan(1 * GiB);
    expect(() => checkTrainingFits(architectureFor(config, config.vocabSize), config, 'wasm', 8 * GiB)).not.toThrow();
  });

  it('refuses --hidden 999999999 and --emb 999999999 with what they would need and the limits', () => {
    expect(() => checkTrainingFits(arch(64, 999_999_999, 10_000), shape, 'wasm', 16 * GiB)).toThrow(
      /^a model of embedding 64, hidden 1 × 999999999, vocabulary 10000 \(batch 20, BPTT 50\) needs about [\d.e+]+ EiB to train; the wasm backend has 4 GiB per worker and this machine 16 GiB: choose smaller sizes$/,
    );
    expect(() => checkTrainingFits(arch(999_999_999, 256, 10_000), shape, 'wasm', 16 * GiB)).toThrow(/needs about \d+ TiB to train/);
    expect(() => checkTrainingFits(arch(999_999_999, 256, 10_000), shape, 'wasm', 16 * GiB)).toThrow(expect.objectContaining({ name: 'UserError' }));
  });

  it('counts the wasm heap on wasm only, and the machine everywhere', () => {
    const big = arch(512, 2048, 50_000, 2);
    const need = trainingBytes(big, shape);
    expect(need).toBeGreaterThan(WASM_HEAP_BYTES);
    expect(need).toBeLessThan(64 * GiB);
    expect(() => checkTrainingFits(big, shape, 'wasm', 64 * GiB)).toThrow(/the wasm backend has 4 GiB per worker and this machine 64 GiB/);
    expect(() => checkTrainingFits(big, shape, 'tensorflow', 64 * GiB)).not.toThrow();
    expect(() => checkTrainingFits(big, shape, 'tensorflow', 2 * GiB)).toThrow(/the tensorflow backend is limited by memory: this machine 2 GiB/);
    expect(memoryLimit(null, 2 * GiB).bytes).toBe(2 * GiB);
    expect(memoryLimit('wasm', 64 * GiB).bytes).toBe(WASM_HEAP_BYTES);
  });

  it('refuses evaluation windows that could not be held, and lets ordinary ones through', () => {
    const lm = arch(64, 256, 10_000);
    expect(() => checkEvaluationFits(lm, 20, 50, 'wasm', 16 * GiB)).not.toThrow();
    // One stream of a million tokens evaluated as a single window (--bptt 999999999).
    expect(() => checkEvaluationFits(lm, 1, 1_000_000, 'wasm', 16 * GiB)).toThrow(
      /^evaluating a model of embedding 64, hidden 1 × 256, vocabulary 10000 in windows of 1 × 1000000 tokens needs about \d+ GiB; the wasm backend has 4 GiB per worker and this machine 16 GiB: use a smaller batch or BPTT$/,
    );
  });

  it('refuses reading weights that could not be held', () => {
    expect(() => checkWeightsFit('/m/model.json', 2 * GiB, 'wasm', 16 * GiB)).toThrow(
      "/m/model.json: the model's weights take 2 GiB, and loading them needs about 8 GiB; the wasm backend has 4 GiB per worker and this machine 16 GiB",
    );
    expect(() => checkWeightsFit('/m/model.json', 100 * 1024 ** 2, 'wasm', 16 * GiB)).not.toThrow();
  });
});
