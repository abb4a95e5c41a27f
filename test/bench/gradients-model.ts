// The benchmarks' synthetic sweep inputs: a one-layer model with weights ~ N(0, 1/fan_in) and
// embeddings ~ N(0, 1/E), so the gates stay in their responsive range, and random tokens.
// test/bench/anchors/sweep_anchor.py draws the same distributions for the PyTorch anchor.
import type { Cell, RnnLmWeights } from '../../main/engine/model/rnn-weights';
import { tangentCell } from '../../main/engine/gradients/tangent-cells';

export const BENCH_VOCAB = 1000;

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function gaussian(r: () => number, n: number, scale: number): Float32Array {
  return Float32Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(Math.max(r(), 1e-12))) * Math.cos(2 * Math.PI * r()) * scale);
}

export function benchModel(H: number, E: number, cell: Cell = 'lstm'): RnnLmWeights {
  const V = BENCH_VOCAB;
  const r = rng(H * 31 + E);
  const GH = tangentCell(cell).gates * H;
  return {
    vocabSize: V,
    embeddingDim: E,
    embedding: gaussian(r, V * E, 1 / Math.sqrt(E)),
    layers: [
      {
        inputSize: E,
        units: H,
        kernel: gaussian(r, E * GH, 1 / Math.sqrt(E)),
        recurrentKernel: gaussian(r, H * GH, 1 / Math.sqrt(H)),
        bias: new Float32Array(GH),
        ...(cell === 'gru' ? { recurrentBias: new Float32Array(GH) } : {}),
        cell,
        recurrentActivation: 'sigmoid',
      },
    ],
    outputKernel: new Float32Array(H * V),
    outputBias: new Float32Array(V),
  };
}

export function benchTokens(n: number, seed = 7): Int32Array {
  const r = rng(seed);
  return Int32Array.from({ length: n }, () => Math.floor(r() * BENCH_VOCAB));
}
