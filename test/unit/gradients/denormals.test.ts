// A strongly contracting LSTM (tiny recurrent weights, closed forget gates): tangents fall
// below 1e-30 within a few steps. They are flushed to zero and counted instead of turning
// into denormals, and the averages still match finite differences.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../main/engine/model/backend';
import { JsGemmEngine } from '../../../main/engine/gradients/gemm-engine';
import { jsKernels } from '../../../main/engine/gradients/tangent-step';
import { WasmGemmEngine } from '../../../main/engine/gradients/wasm-gemm-engine';
import { createWasmKernels } from '../../../main/engine/gradients/wasm-kernels';
import { fdGradientSums, randomModel, randomTokens } from './reference-lstm';
import { sweepSums } from './sweep-helpers';

const V = 7;
const E = 4;
const H = 4;
const T = 10;
const B = 2;
const D = 8;

function contractingModel() {
  const w = randomModel(71, V, E, [H], 'sigmoid', 0.5);
  const l = w.layers[0];
  for (let i = 0; i < l.recurrentKernel.length; i++) l.recurrentKernel[i] *= 1e-9;
  for (let k = 0; k < H; k++) l.bias[H + k] = -30; // forget gate ≈ 1e-13
  return w;
}

describe('denormal guard', () => {
  it('flushes and counts vanishing tangents; results still match finite differences', async () => {
    const w = contractingModel();
    const tokens = randomTokens(72, B * T, V);
    const ref = fdGradientSums(w, tokens, B, T, 'c', 1, D);
    await selectBackend('wasm');
    const engine = new WasmGemmEngine();
    const before = tf.memory().numTensors;
    try {
      for (const [eng, k] of [[new JsGemmEngine(), jsKernels], [engine, createWasmKernels(engine.memory, engine.space)]] as const) {
        const got = sweepSums(w, tokens, B, T, { state: 'c', layer: 1, D }, eng, k);
        expect(got.stats.flushed).toBeGreaterThan(0);
        const scale = Math.max(...ref.sum[0].map(Math.abs)) / ref.count[0];
        for (let d = 0; d <= D; d++) {
          for (let i = 0; i < H * E; i++) {
            expect(Math.abs(got.sum[d][i] / got.count[d] - ref.sum[d][i] / ref.count[d])).toBeLessThan(1e-5 * scale);
          }
        }
        // from delay 4 on the true values are < 1e-30: exactly zero after flushing
        expect(got.sum[6].every((v) => v === 0)).toBe(true);
      }
    } finally {
      engine.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
