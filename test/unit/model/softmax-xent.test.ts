// The fused output layer (softmax-xent.ts) on the backends training runs on: on wasm its
// gradient p − onehot is formed in p's own heap storage; on cpu on a copy. Both must equal
// autodiff of the plain-op loss, and repeated calls must leave their inputs untouched.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../main/engine/model/backend';
import { softmaxCrossEntropy } from '../../../main/engine/model/softmax-xent';
import { mulberry32 } from '../../../main/engine/seeded-random';
import { maxRelativeError } from './helpers';

describe.each(['wasm', 'cpu'] as const)('softmax cross-entropy on %s', (backend) => {
  it('equals autodiff of the plain-op loss, call after call', async () => {
    await selectBackend(backend);
    await check(1);
  });

  it('keeps the loss exact where p_y underflows in float32 (logit gaps of hundreds)', async () => {
    await selectBackend(backend);
    await check(300);
  });

  it('equals it where G is large enough to be packed the other way (N·V above 6 M)', async () => {
    await selectBackend(backend);
    if (backend === 'wasm') await check(1, 601, 10_000, 3);
  });

  async function check(logitScale: number, N = 6, V = 11, H = 5): Promise<void> {
    const rng = mulberry32(3);
    const h = tf.tensor2d(Float32Array.from({ length: N * H }, () => rng() * 4 - 2), [N, H]);
    const W = tf.tensor2d(Float32Array.from({ length: H * V }, () => (rng() * 2 - 1) * logitScale), [H, V]);
    const b = tf.tensor1d(Float32Array.from({ length: V }, () => rng() - 0.5));
    const targets = Int32Array.from({ length: N }, () => Math.floor(rng() * V));
    const plain = (hh: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
      tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(targets, 'int32'), V), tf.add(tf.matMul(hh as tf.Tensor2D, ww as tf.Tensor2D), bb)) as tf.Scalar;
    const expected = tf.grads(plain)([h, W, b]);
    const expectedLoss = plain(h, W, b).dataSync()[0];
    for (let call = 0; call < 2; call++) {
      const { value, grads } = tf.valueAndGrads((hh: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => softmaxCrossEntropy(hh, ww, bb, targets))([h, W, b]);
      expect(Math.abs(value.dataSync()[0] - expectedLoss)).toBeLessThan(1e-6 * expectedLoss);
      grads.forEach((g, i) => expect(maxRelativeError(g.dataSync() as Float32Array, expected[i].dataSync() as Float32Array)).toBeLessThan(1e-5));
      // The gradient is 1/N·(p − onehot) summed against h: the rows of dlogits sum to 0, so db sums to 0.
      expect(Math.abs(tf.sum(grads[2]).dataSync()[0])).toBeLessThan(1e-6 * logitScale);
    }
    expect(Number.isFinite(expectedLoss)).toBe(true);
    if (logitScale > 1) expect(expectedLoss).toBeGreaterThan(100); // some p_y are below float32's range
  }
});
