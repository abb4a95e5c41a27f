// Independent references for the gradient tests: random small models, a float64 forward
// LSTM written from the equations of DESIGN §3 (no code shared with the engine), and
// central finite differences of its states with respect to the embedding outputs.
import type { RnnLmWeights, RecurrentActivation } from '../../../main/engine/model/rnn-weights';
import { cellStep64 } from './reference-cells';

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export function normal(r: () => number): number {
  const u = Math.max(r(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

function randomArray(r: () => number, n: number, scale: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = normal(r) * scale;
  return a;
}

export function randomModel(
  seed: number,
  V: number,
  E: number,
  units: number[],
  act: RecurrentActivation = 'sigmoid',
  scale = 0.5,
): RnnLmWeights {
  const r = rng(seed);
  let inSize = E;
  const layers = units.map((H) => {
    const l = {
      inputSize: inSize,
      units: H,
      kernel: randomArray(r, inSize * 4 * H, scale),
      recurrentKernel: randomArray(r, H * 4 * H, scale),
      bias: randomArray(r, 4 * H, scale),
      cell: 'lstm' as const, recurrentActivation: act,
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

export function randomTokens(seed: number, n: number, V: number): Int32Array {
  const r = rng(seed);
  const t = new Int32Array(n);
  for (let i = 0; i < n; i++) t[i] = Math.floor(r() * V);
  return t;
}

const sig = (z: number, act: RecurrentActivation) =>
  act === 'sigmoid' ? 1 / (1 + Math.exp(-z)) : Math.min(1, Math.max(0, 0.2 * z + 0.5));

/** States of every layer at every step, float64: states[t][layer] = {h, c}. */
export function forward64(w: RnnLmWeights, xs: Float64Array[]): { h: Float64Array; c: Float64Array }[][] {
  const hs = w.layers.map((l) => new Float64Array(l.units));
  const cs = w.layers.map((l) => new Float64Array(l.units));
  const out: { h: Float64Array; c: Float64Array }[][] = [];
  for (const x of xs) {
    let input: Float64Array = x;
    const row: { h: Float64Array; c: Float64Array }[] = [];
    w.layers.forEach((l, m) => {
      if (l.cell !== 'lstm') {
        // GRU and RNN layers (reference-cells.ts) have no c: an empty one is never asked for
        hs[m] = cellStep64(l, input, hs[m]);
        row.push({ h: hs[m], c: new Float64Array(0) });
        input = hs[m];
        return;
      }
      const H = l.units;
      const z = new Float64Array(4 * H);
      for (let j = 0; j < 4 * H; j++) {
        let v = l.bias[j];
        for (let i = 0; i < l.inputSize; i++) v += input[i] * l.kernel[i * 4 * H + j];
        for (let i = 0; i < H; i++) v += hs[m][i] * l.recurrentKernel[i * 4 * H + j];
        z[j] = v;
      }
      const h = new Float64Array(H);
      const c = new Float64Array(H);
      for (let k = 0; k < H; k++) {
        const ig = sig(z[k], l.recurrentActivation);
        const fg = sig(z[H + k], l.recurrentActivation);
        const gg = Math.tanh(z[2 * H + k]);
        const og = sig(z[3 * H + k], l.recurrentActivation);
        c[k] = fg * cs[m][k] + ig * gg;
        h[k] = og * Math.tanh(c[k]);
      }
      hs[m] = h;
      cs[m] = c;
      row.push({ h, c });
      input = h;
    });
    out.push(row);
  }
  return out;
}

export function embedStream(w: RnnLmWeights, tokens: ArrayLike<number>): Float64Array[] {
  const E = w.embeddingDim;
  return Array.from(tokens, (v) => Float64Array.from(w.embedding.subarray(v * E, v * E + E)));
}

/**
 * Σ over (b, t) of J(b, t, τ) by central differences, [D+1][H][E], with counts. `keep`
 * selects sources (b, s) (e.g. a class or a sample); default all.
 */
export function fdGradientSums(
  w: RnnLmWeights,
  tokens: Int32Array,
  B: number,
  T: number,
  state: 'c' | 'h',
  layer: number,
  D: number,
  keep: (b: number, s: number) => boolean = () => true,
  eps = 1e-5,
): { sum: Float64Array[]; count: number[] } {
  const E = w.embeddingDim;
  const H = w.layers[layer - 1].units;
  const sum = Array.from({ length: D + 1 }, () => new Float64Array(H * E));
  const count = new Array<number>(D + 1).fill(0);
  for (let b = 0; b < B; b++) {
    const xs = embedStream(w, tokens.subarray(b * T, b * T + T));
    for (let s = 0; s < T; s++) {
      if (!keep(b, s)) continue;
      for (let tau = 0; tau <= D && s + tau < T; tau++) count[tau]++;
      for (let e = 0; e < E; e++) {
        const orig = xs[s][e];
        xs[s][e] = orig + eps;
        const up = forward64(w, xs);
        xs[s][e] = orig - eps;
        const dn = forward64(w, xs);
        xs[s][e] = orig;
        for (let tau = 0; tau <= D && s + tau < T; tau++) {
          const a = up[s + tau][layer - 1][state];
          const z = dn[s + tau][layer - 1][state];
          for (let k = 0; k < H; k++) sum[tau][k * E + e] += (a[k] - z[k]) / (2 * eps);
        }
      }
    }
  }
  return { sum, count };
}

/** max |a - b| / max |b| */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return den === 0 ? num : num / den;
}
