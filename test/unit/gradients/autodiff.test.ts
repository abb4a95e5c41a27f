// Ḡ_τ from the forward-tangent sweep equals the mean of per-unit tf.grad Jacobians (an
// LSTM built from tf ops, cpu backend) to 1e-5, and central finite differences of an
// independent float64 LSTM to 1e-4: for c and h, every delay 0..T-1, several streams,
// layer 1 and 2 of a 2-layer model, sigmoid and hard sigmoid; with the plain-JS engine
// and with the production path (tfjs wasm GEMM + SIMD kernels in the wasm heap).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RecurrentActivation } from '../../../main/engine/model/rnn-weights';
import { selectBackend } from '../../../main/engine/model/backend';
import { JsGemmEngine } from '../../../main/engine/gradients/gemm-engine';
import { jsKernels } from '../../../main/engine/gradients/tangent-step';
import { WasmGemmEngine } from '../../../main/engine/gradients/wasm-gemm-engine';
import { createWasmKernels } from '../../../main/engine/gradients/wasm-kernels';
import { autodiffGradientSums } from './autodiff-reference';
import { fdGradientSums, randomModel, randomTokens, relError } from './reference-lstm';
import { sweepSums } from './sweep-helpers';

const V = 11;
const E = 5;
const T = 8;
const B = 3;
const D = T - 1;

interface Case {
  name: string;
  units: number[];
  layer: number;
  state: 'c' | 'h';
  act: RecurrentActivation;
  scale: number;
}

const cases: Case[] = [
  { name: '1 layer, c', units: [4], layer: 1, state: 'c', act: 'sigmoid', scale: 0.5 },
  { name: '1 layer, h', units: [4], layer: 1, state: 'h', act: 'sigmoid', scale: 0.5 },
  { name: '2 layers, layer 1, c', units: [4, 6], layer: 1, state: 'c', act: 'sigmoid', scale: 0.5 },
  { name: '2 layers, layer 2, c', units: [4, 6], layer: 2, state: 'c', act: 'sigmoid', scale: 0.5 },
  { name: '2 layers, layer 2, h', units: [4, 6], layer: 2, state: 'h', act: 'sigmoid', scale: 0.5 },
  // larger weights so that some gates leave hard sigmoid's linear range (-2.5, 2.5)
  { name: 'hard sigmoid, 1 layer, c', units: [4], layer: 1, state: 'c', act: 'hard_sigmoid', scale: 1 },
  { name: 'hard sigmoid, 2 layers, layer 2, h', units: [4, 6], layer: 2, state: 'h', act: 'hard_sigmoid', scale: 1 },
];

type Ref = { sum: Float64Array[]; count: number[] };
const autodiff = new Map<string, Ref>();
const fd = new Map<string, Ref>();

function setup(c: Case, i: number) {
  const w = randomModel(100 + i, V, E, c.units, c.act, c.scale);
  const tokens = randomTokens(200 + i, B * T, V);
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

describe('state gradients against autodiff and finite differences', () => {
  it('the references agree with each other and the check can fail', () => {
    for (const c of cases) {
      const a = autodiff.get(c.name) as Ref;
      expectClose(fd.get(c.name) as Ref, a, 1e-4);
      // counts are B·(T-τ); neighbouring delays differ, so a shifted delay would be caught
      expect(a.count).toEqual(Array.from({ length: D + 1 }, (_, d) => B * (T - d)));
      expect(relError(a.sum[1].map((v) => v / a.count[1]), a.sum[2].map((v) => v / a.count[2]))).toBeGreaterThan(0.05);
    }
  });

  cases.forEach((c, i) => {
    it(`js engine, ${c.name}`, () => {
      const { w, tokens } = setup(c, i);
      // small blocks and chunks so that block and chunk boundaries are exercised
      const got = sweepSums(w, tokens, B, T, { state: c.state, layer: c.layer, D, chunkStreams: 2, slotsPerBlock: 3 }, new JsGemmEngine(), jsKernels);
      expectClose(got, autodiff.get(c.name) as Ref, 1e-5);
      expectClose(got, fd.get(c.name) as Ref, 1e-4);
      expect(got.stats.flushed).toBe(0);
    });
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
