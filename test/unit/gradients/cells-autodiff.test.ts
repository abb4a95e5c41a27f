// Ḡ_τ of GRU and RNN layers from the forward-tangent sweep equals the mean of per-unit
// tf.grad Jacobians (cells built from tf ops in reference-cells.ts, cpu backend) to 1e-5, and
// central finite differences of an independent float64 forward to 1e-4: for gru,
// gru-classic (sigmoid and hard sigmoid), rnn-tanh and rnn-relu, one and two layers, h at
// layer 1 and 2, every delay 0..T-1, with the plain-JS engine and with the production path
// (tfjs wasm GEMM + SIMD kernels in the wasm heap); and stacks that mix cells.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Cell, RecurrentActivation } from '../../../main/engine/model/rnn-weights';
import { selectBackend } from '../../../main/engine/model/backend';
import { JsGemmEngine } from '../../../main/engine/gradients/gemm-engine';
import { jsKernels } from '../../../main/engine/gradients/tangent-step';
import { WasmGemmEngine } from '../../../main/engine/gradients/wasm-gemm-engine';
import { createWasmKernels } from '../../../main/engine/gradients/wasm-kernels';
import { autodiffGradientSums } from './autodiff-reference';
import { fdGradientSums, randomTokens, relError } from './reference-lstm';
import { randomCellModel } from './reference-cells';
import { sweepSums } from './sweep-helpers';

const V = 11;
const E = 5;
const T = 7;
const B = 2;
const D = T - 1;

interface Case {
  name: string;
  cells: Cell[];
  units: number[];
  layer: number;
  state: 'c' | 'h';
  act: RecurrentActivation;
  scale: number;
}

const cases: Case[] = [];
for (const cell of ['gru', 'gru-classic', 'rnn-tanh', 'rnn-relu'] as Cell[]) {
  cases.push(
    { name: `${cell}, 1 layer`, cells: [cell], units: [4], layer: 1, state: 'h', act: 'sigmoid', scale: 0.6 },
    { name: `${cell}, 2 layers, layer 1`, cells: [cell, cell], units: [5, 4], layer: 1, state: 'h', act: 'sigmoid', scale: 0.6 },
    { name: `${cell}, 2 layers, layer 2`, cells: [cell, cell], units: [5, 4], layer: 2, state: 'h', act: 'sigmoid', scale: 0.6 },
  );
}
// larger weights so that some gates leave hard sigmoid's linear range (-2.5, 2.5)
for (const cell of ['gru', 'gru-classic'] as Cell[]) {
  cases.push(
    { name: `${cell}, hard sigmoid, 1 layer`, cells: [cell], units: [4], layer: 1, state: 'h', act: 'hard_sigmoid', scale: 1.2 },
    { name: `${cell}, hard sigmoid, 2 layers, layer 2`, cells: [cell, cell], units: [5, 4], layer: 2, state: 'h', act: 'hard_sigmoid', scale: 1.2 },
  );
}
cases.push(
  { name: 'gru under an LSTM, c of layer 2', cells: ['gru', 'lstm'], units: [5, 4], layer: 2, state: 'c', act: 'sigmoid', scale: 0.6 },
  { name: 'LSTM under gru-classic under rnn-tanh, layer 3', cells: ['lstm', 'gru-classic', 'rnn-tanh'], units: [4, 5, 3], layer: 3, state: 'h', act: 'sigmoid', scale: 0.6 },
);

type Ref = { sum: Float64Array[]; count: number[] };
const autodiff = new Map<string, Ref>();
const fd = new Map<string, Ref>();

function setup(c: Case, i: number) {
  const w = randomCellModel(300 + i, V, E, c.units, c.cells, c.act, c.scale);
  const tokens = randomTokens(400 + i, B * T, V);
  return { w, tokens };
}

function expectClose(got: Ref, ref: Ref, tol: number): void {
  expect(got.count).toEqual(ref.count);
  for (let d = 0; d <= D; d++) {
    const mean = got.sum[d].map((v) => v / got.count[d]);
    const refMean = ref.sum[d].map((v) => v / ref.count[d]);
    expect(relError(mean, refMean), `delay ${d}`).toBeLessThan(tol);
  }
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  cases.forEach((c, i) => {
    const { w, tokens } = setup(c, i);
    autodiff.set(c.name, autodiffGradientSums(w, tokens, B, T, c.state, c.layer, D));
    fd.set(c.name, fdGradientSums(w, tokens, B, T, c.state, c.layer, D));
  });
});

describe('GRU and RNN state gradients against autodiff and finite differences', () => {
  it('the references agree with each other and the check can fail', () => {
    for (const c of cases) {
      const a = autodiff.get(c.name) as Ref;
      expectClose(fd.get(c.name) as Ref, a, 1e-4);
      expect(a.count).toEqual(Array.from({ length: D + 1 }, (_, d) => B * (T - d)));
      // neighbouring delays differ and nothing is zero, so a shifted delay or a lost term would be caught
      expect(relError(a.sum[1].map((v) => v / a.count[1]), a.sum[2].map((v) => v / a.count[2])), c.name).toBeGreaterThan(0.05);
      expect(Math.max(...a.sum[D].map(Math.abs)), c.name).toBeGreaterThan(1e-6);
    }
  });

  cases.forEach((c, i) => {
    it(`js engine, ${c.name}`, () => {
      const { w, tokens } = setup(c, i);
      // small blocks and chunks so that block and chunk boundaries are exercised
      const got = sweepSums(w, tokens, B, T, { state: c.state, layer: c.layer, D, chunkStreams: 1, slotsPerBlock: 3 }, new JsGemmEngine(), jsKernels);
      expectClose(got, autodiff.get(c.name) as Ref, 1e-5);
      expectClose(got, fd.get(c.name) as Ref, 1e-4);
      expect(got.stats.flushed).toBe(0);
    });
  });

  it('sampled sources: steps without a new source, and new sources without old ones (gru-classic, 2 layers)', () => {
    const w = randomCellModel(77, V, E, [5, 4], ['gru-classic', 'gru-classic'], 'sigmoid', 0.6);
    const tokens = randomTokens(78, B * T, V);
    const sample = Int32Array.from([2, 3, 5, T + 0, T + 4]); // global positions stream·T + step
    const keep = (b: number, s: number) => sample.includes(b * T + s);
    const ref = autodiffGradientSums(w, tokens, B, T, 'h', 2, D, keep);
    const got = sweepSums(w, tokens, B, T, { state: 'h', layer: 2, D, sample, slotsPerBlock: 1 }, new JsGemmEngine(), jsKernels);
    expect(got.count).toEqual(ref.count);
    for (let d = 0; d <= D; d++) {
      if (ref.count[d] === 0) continue;
      expect(relError(got.sum[d], ref.sum[d]), `delay ${d}`).toBeLessThan(1e-5);
    }
  });

  describe('wasm backend: our SIMD GEMM and kernels in their wasm memory', () => {
    beforeAll(async () => {
      const info = await selectBackend('wasm');
      expect(info.name).toBe('wasm');
    });
    cases.forEach((c, i) => {
      it(`wasm engine, ${c.name}`, () => {
        const { w, tokens } = setup(c, i);
        const engine = new WasmGemmEngine();
        try {
          const got = sweepSums(w, tokens, B, T, { state: c.state, layer: c.layer, D, chunkStreams: 2, slotsPerBlock: 2 }, engine, createWasmKernels(engine.memory, engine.space));
          expectClose(got, autodiff.get(c.name) as Ref, 1e-5);
          expectClose(got, fd.get(c.name) as Ref, 1e-4);
        } finally {
          engine.dispose();
        }
      });
    });
  });
});
