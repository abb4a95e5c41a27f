// Independent references for the GRU and RNN cells, written from the equations of
// main/engine/model/rnn-weights.ts (no code shared with the engine): random models, one
// float64 step per cell (used by forward64 of reference-lstm.ts, hence by the finite
// differences) and one tf-op step per cell (used by tfStates of autodiff-reference.ts,
// hence by tf.grad).
import * as tf from '@tensorflow/tfjs';
import type { Cell, RecurrentActivation, RecurrentLayerWeights, RnnLmWeights } from '../../../main/engine/model/rnn-weights';
import { normal, rng } from './reference-lstm';

const GATES: Record<Cell, number> = { lstm: 4, gru: 3, 'gru-classic': 3, 'rnn-tanh': 1, 'rnn-relu': 1 };

function randomArray(r: () => number, n: number, scale: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = normal(r) * scale;
  return a;
}

/** A random model whose layer m has cell cells[m] and units[m] units. */
export function randomCellModel(
  seed: number,
  V: number,
  E: number,
  units: number[],
  cells: Cell[],
  act: RecurrentActivation = 'sigmoid',
  scale = 0.5,
): RnnLmWeights {
  const r = rng(seed);
  let inSize = E;
  const layers = units.map((H, m): RecurrentLayerWeights => {
    const cell = cells[m];
    const GH = GATES[cell] * H;
    const l: RecurrentLayerWeights = {
      cell,
      inputSize: inSize,
      units: H,
      kernel: randomArray(r, inSize * GH, scale),
      recurrentKernel: randomArray(r, H * GH, scale),
      bias: randomArray(r, GH, scale),
      recurrentActivation: act,
      ...(cell === 'gru' ? { recurrentBias: randomArray(r, GH, scale) } : {}),
    };
    inSize = H;
    return l;
  });
  return {
    vocabSize: V,
    embeddingDim: E,
    embedding: randomArray(r, V * E, 1),
    layers,
    outputKernel: randomArray(r, inSize * V, scale),
    outputBias: randomArray(r, V, scale),
  };
}

const sig = (z: number, act: RecurrentActivation) => (act === 'sigmoid' ? 1 / (1 + Math.exp(-z)) : Math.min(1, Math.max(0, 0.2 * z + 0.5)));

/** v·M + b for M [n, cols] (row-major), float64 */
function affine(v: ArrayLike<number>, M: Float32Array, cols: number, b: ArrayLike<number> | null): Float64Array {
  const out = new Float64Array(cols);
  for (let j = 0; j < cols; j++) {
    let s = b ? b[j] : 0;
    for (let i = 0; i < v.length; i++) s += v[i] * M[i * cols + j];
    out[j] = s;
  }
  return out;
}

/** New h of a GRU or RNN layer, float64. */
export function cellStep64(l: RecurrentLayerWeights, x: ArrayLike<number>, hPrev: Float64Array): Float64Array<ArrayBuffer> {
  const H = l.units;
  const GH = GATES[l.cell] * H;
  const xw = affine(x, l.kernel, GH, l.bias);
  const h = new Float64Array(H);
  if (l.cell === 'rnn-tanh' || l.cell === 'rnn-relu') {
    const hu = affine(hPrev, l.recurrentKernel, H, null);
    for (let k = 0; k < H; k++) h[k] = l.cell === 'rnn-tanh' ? Math.tanh(xw[k] + hu[k]) : Math.max(0, xw[k] + hu[k]);
    return h;
  }
  if (l.cell === 'gru') {
    const hu = affine(hPrev, l.recurrentKernel, GH, l.recurrentBias ?? null);
    for (let k = 0; k < H; k++) {
      const z = sig(xw[k] + hu[k], l.recurrentActivation);
      const r = sig(xw[H + k] + hu[H + k], l.recurrentActivation);
      const cand = Math.tanh(xw[2 * H + k] + r * hu[2 * H + k]);
      h[k] = z * hPrev[k] + (1 - z) * cand;
    }
    return h;
  }
  if (l.cell !== 'gru-classic') throw new Error(`cellStep64 does not do ${l.cell}`);
  const hu = affine(hPrev, l.recurrentKernel, GH, null);
  const z = new Float64Array(H);
  const rh = new Float64Array(H);
  for (let k = 0; k < H; k++) {
    z[k] = sig(xw[k] + hu[k], l.recurrentActivation);
    rh[k] = sig(xw[H + k] + hu[H + k], l.recurrentActivation) * hPrev[k];
  }
  for (let k = 0; k < H; k++) {
    let a = xw[2 * H + k];
    for (let i = 0; i < H; i++) a += rh[i] * l.recurrentKernel[i * GH + 2 * H + k];
    h[k] = z[k] * hPrev[k] + (1 - z[k]) * Math.tanh(a);
  }
  return h;
}

function tfGate(v: tf.Tensor, act: RecurrentActivation): tf.Tensor {
  return act === 'sigmoid' ? tf.sigmoid(v) : tf.clipByValue(tf.add(0.5, tf.mul(0.2, v)), 0, 1);
}

/** New h [1, H] of a GRU or RNN layer from tf ops (differentiable by tf.grad). */
export function tfCellStep(l: RecurrentLayerWeights, input: tf.Tensor2D, h: tf.Tensor2D): tf.Tensor2D {
  const H = l.units;
  const GH = GATES[l.cell] * H;
  const W = tf.tensor2d(l.kernel, [l.inputSize, GH]);
  const U = tf.tensor2d(l.recurrentKernel, [H, GH]);
  const xw = tf.add(tf.matMul(input, W), tf.tensor1d(l.bias));
  if (l.cell === 'rnn-tanh' || l.cell === 'rnn-relu') {
    const pre = tf.add(xw, tf.matMul(h, U));
    return (l.cell === 'rnn-tanh' ? tf.tanh(pre) : tf.relu(pre)) as tf.Tensor2D;
  }
  const [xz, xr, xh] = tf.split(xw, 3, 1);
  let cand: tf.Tensor;
  let z: tf.Tensor;
  if (l.cell === 'gru') {
    const hu = tf.add(tf.matMul(h, U), tf.tensor1d(l.recurrentBias ?? new Float32Array(GH)));
    const [hz, hr, hh] = tf.split(hu, 3, 1);
    z = tfGate(tf.add(xz, hz), l.recurrentActivation);
    const r = tfGate(tf.add(xr, hr), l.recurrentActivation);
    cand = tf.tanh(tf.add(xh, tf.mul(r, hh)));
  } else {
    const Uzr = tf.slice(U, [0, 0], [H, 2 * H]);
    const Uh = tf.slice(U, [0, 2 * H], [H, H]);
    const [hz, hr] = tf.split(tf.matMul(h, Uzr), 2, 1);
    z = tfGate(tf.add(xz, hz), l.recurrentActivation);
    const r = tfGate(tf.add(xr, hr), l.recurrentActivation);
    cand = tf.tanh(tf.add(xh, tf.matMul(tf.mul(r, h) as tf.Tensor2D, Uh)));
  }
  return tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), cand)) as tf.Tensor2D;
}
