// lstmLayer on the wasm backend, where it runs in the SIMD kernels of wasm/lstm-layer.c:
// outputs, the state after the last step and the four gradients against tfjs autodiff of
// the same cell written with plain ops on the cpu backend (an independent computation), and
// against the op's own JS path there. Sizes are odd on purpose: H not a multiple of 4 or 8
// (the kernels' scalar tails and partial GEMM panels), stream counts that are not a
// multiple of the GEMM's 4-row tiles.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../main/engine/model/backend';
import { heapKernels } from '../../../main/engine/model/heap-gemm';
import { lstmLayer } from '../../../main/engine/model/lstm-layer-op';
import type { RecurrentActivation } from '../../../main/engine/model/rnn-weights';
import { filled, lcg, maxRelativeError } from './helpers';

interface Case {
  /** multiplies every other bias: at 240 many pre-activations are beyond ±87, where exp underflows */
  biasScale?: number;
  T: number;
  B: number;
  E: number;
  H: number;
  act: RecurrentActivation;
  zeroH0: boolean;
}

interface Inputs {
  x: Float32Array;
  W: Float32Array;
  U: Float32Array;
  b: Float32Array;
  h0: Float32Array;
  c0: Float32Array;
  dy: Float32Array;
}

/** out, last h and c, and the gradients of Σ dy⊙out with respect to x, W, U, b. */
interface Result {
  out: Float32Array;
  h: Float32Array;
  c: Float32Array;
  grads: Float32Array[];
}

function inputs(c: Case, seed: number): Inputs {
  const rnd = lcg(seed);
  // Weights large enough that gates saturate (hard_sigmoid clips beyond |z| = 2.5) and
  // that tanh sees both sides of its polynomial/exponential split at |z| = 0.625.
  return {
    x: filled(c.T * c.B * c.E, rnd, 1.5),
    W: filled(c.E * 4 * c.H, rnd, 0.9),
    U: filled(c.H * 4 * c.H, rnd, 0.9),
    b: filled(4 * c.H, rnd, 0.5).map((v, q) => (q % 2 ? v : v * (c.biasScale ?? 1))),
    h0: c.zeroH0 ? new Float32Array(c.B * c.H) : filled(c.B * c.H, rnd, 0.8),
    c0: filled(c.B * c.H, rnd, 1.2),
    dy: filled(c.T * c.B * c.H, rnd, 1),
  };
}

function tensors(c: Case, v: Inputs): tf.Tensor[] {
  return [tf.tensor2d(v.x, [c.T * c.B, c.E]), tf.tensor2d(v.W, [c.E, 4 * c.H]), tf.tensor2d(v.U, [c.H, 4 * c.H]), tf.tensor1d(v.b)];
}

function viaLayer(c: Case, v: Inputs): Result {
  const [x, W, U, b] = tensors(c, v);
  const dy = tf.tensor2d(v.dy, [c.T * c.B, c.H]);
  let h: Float32Array = new Float32Array(0);
  let cc: Float32Array = new Float32Array(0);
  let out: Float32Array = new Float32Array(0);
  const grads = tf.grads((xx: tf.Tensor, ww: tf.Tensor, uu: tf.Tensor, bb: tf.Tensor) => {
    const run = lstmLayer(xx, ww, uu, bb, v.h0, v.c0, c.T, c.B, c.act);
    h = run.h;
    cc = run.c;
    out = run.out.dataSync() as Float32Array;
    return tf.sum(tf.mul(run.out, dy));
  })([x, W, U, b]);
  const res = { out, h, c: cc, grads: grads.map((g) => g.dataSync() as Float32Array) };
  tf.dispose([x, W, U, b, dy, ...grads]);
  return res;
}

/** The cell with plain tfjs ops, differentiated by tfjs. */
function viaAutodiff(c: Case, v: Inputs): Result {
  const [x, W, U, b] = tensors(c, v);
  const dy = tf.tensor2d(v.dy, [c.T * c.B, c.H]);
  const gate = (z: tf.Tensor) => (c.act === 'sigmoid' ? tf.sigmoid(z) : tf.clipByValue(tf.add(tf.mul(z, 0.2), 0.5), 0, 1));
  const last: tf.Tensor[] = [];
  let out: Float32Array = new Float32Array(0);
  const grads = tf.grads((xx: tf.Tensor, ww: tf.Tensor, uu: tf.Tensor, bb: tf.Tensor) => {
    let hp: tf.Tensor2D = tf.tensor2d(v.h0, [c.B, c.H]);
    let cp: tf.Tensor2D = tf.tensor2d(v.c0, [c.B, c.H]);
    const outs: tf.Tensor[] = [];
    for (let t = 0; t < c.T; t++) {
      const xt = tf.slice(xx, [t * c.B, 0], [c.B, c.E]) as tf.Tensor2D;
      const z = tf.add(tf.add(tf.matMul(xt, ww as tf.Tensor2D), tf.matMul(hp, uu as tf.Tensor2D)), bb);
      const [zi, zf, zg, zo] = tf.split(z, 4, 1);
      cp = tf.add(tf.mul(gate(zf), cp), tf.mul(gate(zi), tf.tanh(zg)));
      hp = tf.mul(gate(zo), tf.tanh(cp));
      outs.push(hp);
    }
    last.push(tf.keep(hp), tf.keep(cp));
    const all = tf.concat(outs, 0);
    out = all.dataSync() as Float32Array;
    return tf.sum(tf.mul(all, dy));
  })([x, W, U, b]);
  const [h, cell] = last.map((t) => t.dataSync() as Float32Array);
  const res = { out, h, c: cell, grads: grads.map((g) => g.dataSync() as Float32Array) };
  tf.dispose([x, W, U, b, dy, ...last, ...grads]);
  return res;
}

function expectClose(mine: Result, ref: Result, tol: number, what: string): void {
  expect(mine.out.length).toBe(ref.out.length);
  expect(maxRelativeError(mine.out, ref.out), `${what}: outputs`).toBeLessThanOrEqual(tol);
  expect(maxRelativeError(mine.h, ref.h), `${what}: last h`).toBeLessThanOrEqual(tol);
  expect(maxRelativeError(mine.c, ref.c), `${what}: last c`).toBeLessThanOrEqual(tol);
  ['dx', 'dW', 'dU', 'db'].forEach((name, i) => {
    expect(mine.grads[i].length, `${what}: ${name} size`).toBe(ref.grads[i].length);
    expect(maxRelativeError(mine.grads[i], ref.grads[i]), `${what}: ${name}`).toBeLessThanOrEqual(tol);
  });
}

const CASES: Case[] = [];
for (const act of ['sigmoid', 'hard_sigmoid'] as const) {
  for (const zeroH0 of [false, true]) {
    CASES.push({ T: 5, B: 3, E: 7, H: 5, act, zeroH0 });
    CASES.push({ T: 4, B: 6, E: 9, H: 11, act, zeroH0 });
  }
}
CASES.push({ T: 3, B: 5, E: 8, H: 16, act: 'sigmoid', zeroH0: false });
CASES.push({ T: 1, B: 3, E: 4, H: 3, act: 'hard_sigmoid', zeroH0: false });
CASES.push({ T: 4, B: 3, E: 6, H: 7, act: 'sigmoid', zeroH0: false, biasScale: 240 });

describe('lstmLayer on wasm (SIMD kernels)', () => {
  for (const c of CASES) {
    const name = `${c.act}, T ${c.T} B ${c.B} E ${c.E} H ${c.H}, ${c.zeroH0 ? 'zero h0' : 'carried h0, c0'}${c.biasScale ? `, biases ×${c.biasScale}` : ''}`;
    it(`equals autodiff of the plain-op cell and the JS path on cpu: ${name}`, async () => {
      const v = inputs(c, c.T * 1000 + c.H * 10 + c.B);
      await selectBackend('cpu');
      const reference = viaAutodiff(c, v);
      const js = viaLayer(c, v);
      await selectBackend('wasm');
      expect(heapKernels(), 'the wasm kernels are in use').not.toBeNull();
      const before = tf.memory().numTensors;
      const wasm = viaLayer(c, v);
      expect(tf.memory().numTensors, 'no tensor left behind').toBe(before);
      expectClose(wasm, reference, 1e-5, 'wasm vs autodiff');
      expectClose(wasm, js, 1e-5, 'wasm vs JS path');
      for (const a of [wasm.out, wasm.h, wasm.c, ...wasm.grads]) expect(a.every(Number.isFinite)).toBe(true);
      // Nothing trivially zero, and the inputs really drive the gates into clipping.
      for (const g of wasm.grads) expect(Math.max(...Array.from(g, Math.abs))).toBeGreaterThan(1e-3);
      if (c.act === 'hard_sigmoid') {
        const z = tf.tidy(() => tf.add(tf.matMul(tf.tensor2d(v.x, [c.T * c.B, c.E]), tf.tensor2d(v.W, [c.E, 4 * c.H])), tf.tensor1d(v.b)).dataSync());
        const clipped = Array.from(z).filter((q) => Math.abs(q) > 2.5).length;
        expect(clipped).toBeGreaterThan(0);
        expect(clipped).toBeLessThan(z.length);
      }
      if (c.biasScale) expect(Array.from(v.b).filter((q) => Math.abs(q) > 90).length, 'exp underflows somewhere').toBeGreaterThan(0);
      // A second call gives the same (no state kept between calls).
      const again = viaLayer(c, v);
      expectClose(again, wasm, 0, 'second call');
    });
  }

  it('runs the forward pass alone without keeping tensors, and gives what the gradient pass gave', async () => {
    const c: Case = { T: 6, B: 4, E: 5, H: 9, act: 'sigmoid', zeroH0: false };
    const v = inputs(c, 17);
    await selectBackend('wasm');
    const withGrads = viaLayer(c, v);
    const [x, W, U, b] = tensors(c, v);
    const before = tf.memory().numTensors;
    const run = lstmLayer(x, W, U, b, v.h0, v.c0, c.T, c.B, c.act);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(maxRelativeError(run.out.dataSync() as Float32Array, withGrads.out)).toBe(0);
    expect(maxRelativeError(run.h, withGrads.h)).toBe(0);
    expect(maxRelativeError(run.c, withGrads.c)).toBe(0);
    tf.dispose([x, W, U, b, run.out]);
  });
});
