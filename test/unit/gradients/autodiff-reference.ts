// Reference state gradients by reverse-mode autodiff (tf.grad), one backward pass per
// (stream, step, unit) — the slow method the engine avoids — on an LSTM written with tf
// ops directly from DESIGN §3 (no engine code), GRU and RNN layers from reference-cells.ts.
// Run on the cpu backend.
import * as tf from '@tensorflow/tfjs';
import type { RnnLmWeights } from '../../../main/engine/model/rnn-weights';
import { tfCellStep } from './reference-cells';

function recurrent(z: tf.Tensor, act: string): tf.Tensor {
  return act === 'sigmoid' ? tf.sigmoid(z) : tf.clipByValue(tf.add(0.5, tf.mul(0.2, z)), 0, 1);
}

/** States [h, c] of every layer at every step of one stream given its embedding outputs xs [T, E]. */
export function tfStates(w: RnnLmWeights, xs: tf.Tensor2D, upTo: number): { h: tf.Tensor2D; c: tf.Tensor2D }[][] {
  const layers = w.layers.map((l) => ({
    H: l.units,
    // G·H columns (only the LSTM layers use these)
    W: tf.tensor2d(l.kernel, [l.inputSize, l.kernel.length / l.inputSize]),
    U: tf.tensor2d(l.recurrentKernel, [l.units, l.recurrentKernel.length / l.units]),
    b: tf.tensor1d(l.bias),
    act: l.recurrentActivation,
  }));
  let h = layers.map((l) => tf.zeros([1, l.H]) as tf.Tensor2D);
  let c = layers.map((l) => tf.zeros([1, l.H]) as tf.Tensor2D);
  const out: { h: tf.Tensor2D; c: tf.Tensor2D }[][] = [];
  for (let t = 0; t <= upTo; t++) {
    let input = tf.slice(xs, [t, 0], [1, xs.shape[1]]) as tf.Tensor2D;
    const row: { h: tf.Tensor2D; c: tf.Tensor2D }[] = [];
    const nh: tf.Tensor2D[] = [];
    const nc: tf.Tensor2D[] = [];
    layers.forEach((l, m) => {
      const lw = w.layers[m];
      if (lw.cell !== 'lstm') {
        // GRU and RNN layers (reference-cells.ts): their c is never asked for (the sweep refuses it)
        const ht = tfCellStep(lw, input, h[m]);
        nh.push(ht);
        nc.push(ht);
        row.push({ h: ht, c: ht });
        input = ht;
        return;
      }
      const z = tf.add(tf.add(tf.matMul(input, l.W), tf.matMul(h[m], l.U)), l.b);
      const [zi, zf, zg, zo] = tf.split(z, 4, 1);
      const ct = tf.add(tf.mul(recurrent(zf, l.act), c[m]), tf.mul(recurrent(zi, l.act), tf.tanh(zg))) as tf.Tensor2D;
      const ht = tf.mul(recurrent(zo, l.act), tf.tanh(ct)) as tf.Tensor2D;
      nh.push(ht);
      nc.push(ct);
      row.push({ h: ht, c: ct });
      input = ht;
    });
    h = nh;
    c = nc;
    out.push(row);
  }
  return out;
}

/**
 * Σ over (b, t) of J(b, t, τ) = ∂s_{b,t}/∂x_{b,t-τ} by tf.grad per unit, [D+1][H·E]
 * (row-major H × E), with counts; `keep(b, s)` restricts to sources (classes, samples).
 */
export function autodiffGradientSums(
  w: RnnLmWeights,
  tokens: Int32Array,
  B: number,
  T: number,
  state: 'c' | 'h',
  layer: number,
  D: number,
  keep: (b: number, s: number) => boolean = () => true,
): { sum: Float64Array[]; count: number[] } {
  return autodiffGradientSumsMany(w, tokens, B, T, state, layer, D, [keep])[0];
}

/** The same for several source filters at once (one set of backward passes). */
export function autodiffGradientSumsMany(
  w: RnnLmWeights,
  tokens: Int32Array,
  B: number,
  T: number,
  state: 'c' | 'h',
  layer: number,
  D: number,
  keeps: ((b: number, s: number) => boolean)[],
): { sum: Float64Array[]; count: number[] }[] {
  const E = w.embeddingDim;
  const H = w.layers[layer - 1].units;
  const out = keeps.map(() => ({
    sum: Array.from({ length: D + 1 }, () => new Float64Array(H * E)),
    count: new Array<number>(D + 1).fill(0),
  }));
  for (let b = 0; b < B; b++) {
    const rows = new Float32Array(T * E);
    for (let s = 0; s < T; s++) rows.set(w.embedding.subarray(tokens[b * T + s] * E, tokens[b * T + s] * E + E), s * E);
    const xs = tf.tensor2d(rows, [T, E]);
    for (let t = 0; t < T; t++) {
      keeps.forEach((keep, i) => {
        for (let tau = 0; tau <= D && tau <= t; tau++) if (keep(b, t - tau)) out[i].count[tau]++;
      });
      for (let k = 0; k < H; k++) {
        const grad = tf.tidy(() => {
          const f = (x: tf.Tensor) => tf.slice(tfStates(w, x as tf.Tensor2D, t)[t][layer - 1][state], [0, k], [1, 1]).sum();
          return tf.grad(f)(xs).dataSync();
        });
        keeps.forEach((keep, i) => {
          for (let tau = 0; tau <= D && tau <= t; tau++) {
            const s = t - tau;
            if (!keep(b, s)) continue;
            for (let e = 0; e < E; e++) out[i].sum[tau][k * E + e] += grad[s * E + e];
          }
        });
      }
    }
    xs.dispose();
  }
  return out;
}
