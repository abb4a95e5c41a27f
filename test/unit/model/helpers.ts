// Shared fixtures for the model tests: deterministic tiny weights and token streams.
import type { Cell, RnnLmWeights, RecurrentActivation, RecurrentLayerWeights } from '../../../main/engine/model/rnn-weights';
import { gateCount } from '../../../main/engine/model/rnn-weights';

/** Deterministic values in [−scale, scale] (a small LCG; independent of tfjs). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export function filled(n: number, rnd: () => number, scale: number): Float32Array {
  return Float32Array.from({ length: n }, () => (2 * rnd() - 1) * scale);
}

/** A tiny model with fixed weights: V words, E-dim embedding, one LSTM layer per entry of `hidden`. */
export function tinyWeights(
  V: number,
  E: number,
  hidden: number[],
  seed = 7,
  acts: RecurrentActivation[] = hidden.map(() => 'sigmoid'),
): RnnLmWeights {
  const rnd = lcg(seed);
  let inputSize = E;
  const layers = hidden.map((H, i) => {
    const l = {
      inputSize,
      units: H,
      kernel: filled(inputSize * 4 * H, rnd, 0.8),
      recurrentKernel: filled(H * 4 * H, rnd, 0.8),
      bias: filled(4 * H, rnd, 0.5),
      cell: 'lstm' as const, recurrentActivation: acts[i],
    };
    inputSize = H;
    return l;
  });
  return {
    vocabSize: V,
    embeddingDim: E,
    embedding: filled(V * E, rnd, 1),
    layers,
    outputKernel: filled(inputSize * V, rnd, 1),
    outputBias: filled(V, rnd, 0.3),
  };
}

/** A tiny model with fixed weights and any cells: one recurrent layer per entry of `layers`. */
export function tinyCellWeights(
  V: number,
  E: number,
  layers: { cell: Cell; units: number; act?: RecurrentActivation }[],
  seed = 7,
  scale = 0.8,
): RnnLmWeights {
  const rnd = lcg(seed);
  let inputSize = E;
  const out = layers.map(({ cell, units: H, act }): RecurrentLayerWeights => {
    const GH = gateCount(cell) * H;
    const l: RecurrentLayerWeights = {
      cell,
      inputSize,
      units: H,
      kernel: filled(inputSize * GH, rnd, scale),
      recurrentKernel: filled(H * GH, rnd, scale),
      bias: filled(GH, rnd, 0.5),
      ...(cell === 'gru' && { recurrentBias: filled(GH, rnd, 0.5) }),
      recurrentActivation: act ?? 'sigmoid',
    };
    inputSize = H;
    return l;
  });
  return {
    vocabSize: V,
    embeddingDim: E,
    embedding: filled(V * E, rnd, 1),
    layers: out,
    outputKernel: filled(inputSize * V, rnd, 1),
    outputBias: filled(V, rnd, 0.3),
  };
}

export function tokenStream(n: number, V: number, seed = 3): Int32Array {
  const rnd = lcg(seed);
  return Int32Array.from({ length: n }, () => Math.floor(rnd() * V));
}

/** A stream from a tiny grammar with structure an LSTM can learn: "a (b|c)+ d" phrases with agreement. */
export function grammarStream(n: number, seed = 11): { tokens: Int32Array; words: string[] } {
  const words = ['<unk>', '<eos>', 'the', 'cat', 'cats', 'dog', 'dogs', 'runs', 'run', 'sleeps', 'sleep', 'big', 'small'];
  const id = (w: string) => words.indexOf(w);
  const rnd = lcg(seed);
  const out: number[] = [];
  while (out.length < n) {
    const plural = rnd() < 0.5;
    out.push(id('the'));
    if (rnd() < 0.4) out.push(id(rnd() < 0.5 ? 'big' : 'small'));
    const dog = rnd() < 0.5;
    out.push(id(dog ? (plural ? 'dogs' : 'dog') : plural ? 'cats' : 'cat'));
    const sleep = rnd() < 0.5;
    out.push(id(sleep ? (plural ? 'sleep' : 'sleeps') : plural ? 'run' : 'runs'));
    out.push(id('<eos>'));
  }
  return { tokens: Int32Array.from(out.slice(0, n)), words };
}

/** max |a − b| / max |b|: a relative error that one wrong element shows. */
export function maxRelativeError(a: Float32Array, b: Float32Array): number {
  let scale = 0;
  let err = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]));
    err = Math.max(err, Math.abs(a[i] - b[i]));
  }
  return err / scale;
}
