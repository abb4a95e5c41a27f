// What the recurrent layer ops (lstm-layer-op.ts, gru-layer-op.ts, rnn-layer-op.ts) share:
// gate activations in plain JS, and GEMMs through tfjs that return plain arrays.
import * as tf from '@tensorflow/tfjs';
import type { RecurrentActivation } from './rnn-weights';

export interface LayerRun {
  /** Outputs h_t of all steps, [T·B, H], differentiable w.r.t. x, W, U, b (the op's inputs). */
  out: tf.Tensor2D;
  /** State after the last step (plain arrays, [B·H]): carried to the next window, never differentiated. */
  h: Float32Array;
  /** The memory cell after the last step ([B·H]; empty for cells without one). */
  c: Float32Array;
}

export type Act = (z: number) => number;
export const sigmoid: Act = (z) => 1 / (1 + Math.exp(-z));
// hard_sigmoid as tfjs (and Keras 2) define it: clip(0.2·z + 0.5, 0, 1).
export const hardSigmoid: Act = (z) => Math.min(1, Math.max(0, 0.2 * z + 0.5));

export const gateActivation = (a: RecurrentActivation): Act => (a === 'sigmoid' ? sigmoid : hardSigmoid);

/** σ' from σ's value y; hard sigmoid: 0.2 inside its linear part, 0 where clipped. */
export function gateDerivative(a: RecurrentActivation): Act {
  return a === 'sigmoid' ? (y) => y * (1 - y) : (y) => (y > 0 && y < 1 ? 0.2 : 0);
}

export function isZero(a: Float32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== 0) return false;
  return true;
}

/** The values of a tensor computed by `f`, which is disposed with its intermediates. */
// (tf.tidy must not return the typed array itself: tidy walks its result key by key.)
export function values(f: () => tf.Tensor): Float32Array {
  const t = tf.tidy(f);
  const v = t.dataSync() as Float32Array;
  t.dispose();
  return v;
}

/** rows·M for a [rows, k] array, through tfjs; returns the product as a plain array. */
export function gemm(rows: Float32Array, r: number, k: number, m: tf.Tensor): Float32Array {
  return values(() => tf.matMul(tf.tensor2d(rows, [r, k]), m as tf.Tensor2D));
}

/** Column sums of a [rows, n] array. */
export function columnSums(a: Float32Array, rows: number, n: number): Float32Array {
  const s = new Float32Array(n);
  for (let r = 0; r < rows; r++) for (let q = 0; q < n; q++) s[q] += a[r * n + q];
  return s;
}

/** h_{t−1} for every step of a window: h0, then the outputs of steps 0..T−2 ([T·B·H]). */
export function previousStates(h0: Float32Array, hs: Float32Array, steps: number, bh: number): Float32Array {
  const prev = new Float32Array(steps * bh);
  prev.set(h0, 0);
  prev.set(hs.subarray(0, (steps - 1) * bh), bh);
  return prev;
}
