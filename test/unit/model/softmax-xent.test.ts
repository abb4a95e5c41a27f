// The fused output layer (softmax-xent.ts) on the backends training runs on: on wasm its own
// kernels (output-layer-wasm.ts: dropped units skipped, G formed in place, blocked products);
// on cpu tfjs ops. Both must equal autodiff of the plain-op loss, with the dropout mask applied
// as a plain multiply, and repeated calls must leave their inputs untouched.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../main/engine/model/backend';
import { softmaxCrossEntropy } from '../../../main/engine/model/softmax-xent';
import { heapKernels } from '../../../main/engine/model/heap-gemm';
import { outputLayerPass } from '../../../main/engine/model/output-layer-wasm';
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

  it('equals it at a training size: [601, 3]·[3, 10 000] (row chunks, column panels and a tail of each)', async () => {
    await selectBackend(backend);
    if (backend === 'wasm') await check(1, 601, 10_000, 3);
  });

  it('equals it with the dropout mask applied inside (dropped units skipped): a row and a column all dropped, kept units that are zero', async () => {
    await selectBackend(backend);
    await check(1, 203, 1_037, 37, 0.5);
  });

  it('equals it with a mask at a training size and an odd number of rows and units', async () => {
    await selectBackend(backend);
    if (backend === 'wasm') await check(1, 501, 10_000, 255, 0.5);
  });

  async function check(logitScale: number, N = 6, V = 11, H = 5, dropped = 0): Promise<void> {
    const rng = mulberry32(3);
    const h = tf.tensor2d(Float32Array.from({ length: N * H }, (_, i) => (dropped > 0 && i % 11 === 0 ? 0 : rng() * 4 - 2)), [N, H]);
    let mask: Float32Array | null = null;
    if (dropped > 0) {
      mask = Float32Array.from({ length: N * H }, () => (rng() < dropped ? 0 : 1 / (1 - dropped)));
      mask.fill(0, 5 * H, 6 * H); // row 5
      for (let n = 0; n < N; n++) mask[n * H + 7] = 0; // unit 7
    }
    const W = tf.tensor2d(Float32Array.from({ length: H * V }, () => (rng() * 2 - 1) * logitScale), [H, V]);
    const b = tf.tensor1d(Float32Array.from({ length: V }, () => rng() - 0.5));
    const targets = Int32Array.from({ length: N }, () => Math.floor(rng() * V));
    const masked = (hh: tf.Tensor) => (mask ? tf.mul(hh, tf.tensor2d(mask, [N, H])) : hh);
    const plain = (hh: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
      tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(targets, 'int32'), V), tf.add(tf.matMul(masked(hh) as tf.Tensor2D, ww as tf.Tensor2D), bb)) as tf.Scalar;
    const expected = tf.grads(plain)([h, W, b]);
    const expectedLoss = plain(h, W, b).dataSync()[0];
    for (let call = 0; call < 2; call++) {
      const { value, grads } = tf.valueAndGrads((hh: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => softmaxCrossEntropy(hh, ww, bb, targets, { mask }))([h, W, b]);
      expect(Math.abs(value.dataSync()[0] - expectedLoss)).toBeLessThan(1e-6 * expectedLoss);
      grads.forEach((g, i) => expect(maxRelativeError(g.dataSync() as Float32Array, expected[i].dataSync() as Float32Array)).toBeLessThan(1e-5));
      // The gradient is 1/N·(p − onehot) summed against h: the rows of dlogits sum to 0, so db sums to 0.
      expect(Math.abs(tf.sum(grads[2]).dataSync()[0])).toBeLessThan(1e-6 * logitScale);
      if (mask) {
        // Dropped units have no gradient; kept units whose value is 0 do.
        const dh = grads[0].dataSync();
        expect(dh.every((v, i) => (mask[i] === 0 ? v === 0 : true))).toBe(true);
        const keptZero = Array.from(h.dataSync()).findIndex((v, i) => v === 0 && mask[i] !== 0);
        expect(keptZero).toBeGreaterThanOrEqual(0);
        expect(dh[keptZero]).not.toBe(0);
      }
    }
    expect(Number.isFinite(expectedLoss)).toBe(true);
    if (logitScale > 1) expect(expectedLoss).toBeGreaterThan(100); // some p_y are below float32's range
  }
});

describe('the wasm output layer pass', () => {
  it('refuses a target outside the vocabulary, and gradients of a pass released by the next one', async () => {
    await selectBackend('wasm');
    const k = heapKernels();
    if (!k) throw new Error('no wasm heap kernels');
    const h = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const W = tf.tensor2d([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [2, 3]);
    const b = tf.tensor1d([0, 0, 0]);
    expect(() => outputLayerPass(k, h, W, b, Int32Array.from([0, 3]), null, true)).toThrow(/target 3 at row 1 is not a word of the 3-word vocabulary/);
    const first = outputLayerPass(k, h, W, b, Int32Array.from([0, 2]), null, true);
    const second = outputLayerPass(k, h, W, b, Int32Array.from([1, 2]), null, true);
    expect(() => first.gradients(1)).toThrow(/released before its gradients were taken/);
    const [dh, dW, db] = second.gradients(1);
    // db = Σ_rows (p − onehot): its entries sum to 0.
    expect(Math.abs(Array.from(db.dataSync()).reduce((x, y) => x + y, 0))).toBeLessThan(1e-6);
    expect(dh.shape).toEqual([2, 2]);
    expect(dW.shape).toEqual([2, 3]);
    expect(() => second.gradients(1)).toThrow(/released/);
    const noGrad = outputLayerPass(k, h, W, b, Int32Array.from([1, 2]), null, false);
    // Logits [0.9, 1.2, 1.5] and [1.9, 2.6, 3.3]; targets 1 and 2.
    const lse = (z: number[]) => Math.log(z.reduce((s, v) => s + Math.exp(v), 0));
    const expected = (lse([0.9, 1.2, 1.5]) - 1.2 + lse([1.9, 2.6, 3.3]) - 3.3) / 2;
    expect(Math.abs(noGrad.loss - expected)).toBeLessThan(1e-6);
    expect(noGrad.loss).toBe(second.loss);
    expect(() => noGrad.gradients(1)).toThrow(/without gradients/);
  });
});
