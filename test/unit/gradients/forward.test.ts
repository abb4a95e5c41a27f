// The sweep's forward state follows the Keras/tfjs LSTM exactly (gate order i, f, g, o,
// sigmoid and hard sigmoid): compared with tf.layers.lstm on the same weights.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { LSTM_COEF } from '../../../main/engine/gradients/tangent-cells';
import { RecurrentForward, hardSigmoid, hardSigmoidDerivative } from '../../../main/engine/gradients/cell-forward';
import type { RnnLmWeights, RecurrentActivation } from '../../../main/engine/model/rnn-weights';
import { forward64, embedStream, randomModel, randomTokens, relError } from './reference-lstm';
import { selectBackend } from '../../../main/engine/model/backend';
import { WasmGemmEngine } from '../../../main/engine/gradients/wasm-gemm-engine';

const V = 13;
const E = 5;
const T = 9;

function kerasHidden(w: RnnLmWeights, tokens: Int32Array): Float32Array[] {
  return tf.tidy(() => {
    const model = tf.sequential();
    w.layers.forEach((l, m) => {
      model.add(
        tf.layers.lstm({
          units: l.units,
          returnSequences: true,
          recurrentActivation: l.recurrentActivation === 'sigmoid' ? 'sigmoid' : 'hardSigmoid',
          ...(m === 0 ? { inputShape: [T, E] } : {}),
        }),
      );
      model.layers[m].setWeights([
        tf.tensor2d(l.kernel, [l.inputSize, 4 * l.units]),
        tf.tensor2d(l.recurrentKernel, [l.units, 4 * l.units]),
        tf.tensor1d(l.bias),
      ]);
    });
    const x = new Float32Array(T * E);
    tokens.forEach((v, t) => x.set(w.embedding.subarray(v * E, v * E + E), t * E));
    const y = model.predict(tf.tensor3d(x, [1, T, E])) as tf.Tensor;
    const H = w.layers[w.layers.length - 1].units;
    const data = y.dataSync() as Float32Array;
    return Array.from({ length: T }, (_, t) => data.slice(t * H, t * H + H));
  });
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('RecurrentForward, LSTM layers', () => {
  for (const act of ['sigmoid', 'hard_sigmoid'] as RecurrentActivation[]) {
    it(`matches tf.layers.lstm (2 layers, ${act})`, () => {
      const w = randomModel(7, V, E, [4, 6], act, 1);
      const tokens = randomTokens(8, T, V);
      const keras = kerasHidden(w, tokens);
      const fwd = new RecurrentForward(w, 2, 1);
      const ref64 = forward64(w, embedStream(w, tokens));
      for (let t = 0; t < T; t++) {
        fwd.step([tokens[t]]);
        expect(relError(fwd.h[1], keras[t])).toBeLessThan(1e-5);
        expect(relError(fwd.h[1], ref64[t][1].h)).toBeLessThan(1e-12);
        expect(relError(fwd.c[0], ref64[t][0].c)).toBeLessThan(1e-12);
      }
    });
  }

  it('exercises both regions of hard sigmoid (some gate derivatives are exactly 0)', () => {
    const w = randomModel(100 + 5, 11, E, [4], 'hard_sigmoid', 1); // the autodiff test's hard-sigmoid model
    const tokens = randomTokens(200 + 5, 3 * 8, 11);
    const fwd = new RecurrentForward(w, 1, 3);
    let zero = 0;
    let nonzero = 0;
    for (let t = 0; t < 8; t++) {
      fwd.step([tokens[t], tokens[8 + t], tokens[16 + t]]);
      for (let b = 0; b < 3; b++) {
        for (let k = 0; k < 4; k++) {
          const v = fwd.coef[0][b * 6 * 4 + LSTM_COEF.ao * 4 + k];
          if (v === 0) zero++;
          else nonzero++;
        }
      }
    }
    expect(zero).toBeGreaterThan(0);
    expect(nonzero).toBeGreaterThan(0);
  });

  it('hard sigmoid and its derivative follow tfjs (clip(0.2z+0.5, 0, 1), slope 0.2 inside)', () => {
    expect(hardSigmoid(0)).toBe(0.5);
    expect(hardSigmoid(3)).toBe(1);
    expect(hardSigmoid(-3)).toBe(0);
    expect(hardSigmoidDerivative(2.4)).toBe(0.2);
    expect(hardSigmoidDerivative(2.6)).toBe(0);
    expect(hardSigmoidDerivative(-2.6)).toBe(0);
    const g = tf.grad((x: tf.Tensor) => tf.clipByValue(tf.add(0.5, tf.mul(0.2, x)), 0, 1).sum());
    const zs = [-3, -2.4, 0, 1.7, 2.4, 3];
    const ad = g(tf.tensor1d(zs)).dataSync();
    zs.forEach((z, i) => expect(hardSigmoidDerivative(z)).toBeCloseTo(ad[i], 6));
  });

  it('with the wasm GEMM for the pre-activations, matches the float64 forward to float32 rounding', async () => {
    await selectBackend('wasm');
    const w = randomModel(9, V, E, [4, 6], 'sigmoid', 1);
    const S = 3;
    const tokens = randomTokens(10, S * T, V);
    const engine = new WasmGemmEngine();
    const fast = new RecurrentForward(w, 2, S, engine);
    const exact = new RecurrentForward(w, 2, S);
    for (let t = 0; t < T; t++) {
      const step = [0, 1, 2].map((b) => tokens[b * T + t]);
      fast.step(step);
      exact.step(step);
      for (let m = 0; m < 2; m++) {
        expect(relError(fast.h[m], exact.h[m])).toBeLessThan(1e-5);
        expect(relError(fast.coef[m], exact.coef[m])).toBeLessThan(1e-5);
      }
    }
    fast.dispose();
    engine.dispose();
    await tf.setBackend('cpu');
  });
});
