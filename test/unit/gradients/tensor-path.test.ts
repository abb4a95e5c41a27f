// The tensor path (main/engine/gradients/tensor-path) on the tfjs cpu backend, the path that
// runs on a GPU through tfjs-node-gpu: its sums equal the kernel path's (plain-JS reference
// engine) within float32 rounding, for every accumulator (groups, classes per group and per
// class, words) and count, and its Ḡ_τ equal tf.grad's and central finite differences' for
// c and h, one to three layers, LSTM, GRU (both forms), RNN (tanh, relu) and mixed stacks;
// sampled sources, chunks of streams and sources spanning several group windows included.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../main/engine/model/backend';
import { CancelToken } from '../../../main/engine/cancel-token';
import { JobCancelledError } from '../../../main/engine/errors';
import type { Cell } from '../../../main/engine/model/rnn-weights';
import { totalOverGroups, transposeSums, type GradientSums } from '../../../main/engine/gradients/accumulator';
import { JsGemmEngine } from '../../../main/engine/gradients/gemm-engine';
import { jsKernels } from '../../../main/engine/gradients/tangent-step';
import { runSweep, type SweepJob } from '../../../main/engine/gradients/run-sweep';
import { runTensorSweep } from '../../../main/engine/gradients/tensor-path/run-tensor-sweep';
import { groupWindow } from '../../../main/engine/gradients/tensor-path/device-sums';
import { maxLive } from '../../../main/engine/gradients/tensor-path/slot-schedule';
import { DEFAULT_DEVICE_MEMORY_MB, deviceMemory, planChunk } from '../../../main/engine/gradients/tensor-path/device-memory';
import { chooseSweepPath } from '../../../main/engine/gradients/tensor-path/sweep-path';
import { autodiffGradientSums } from './autodiff-reference';
import { fdGradientSums, randomTokens, relError } from './reference-lstm';
import { randomCellModel } from './reference-cells';

const V = 11;
const E = 5;

interface Case {
  name: string;
  cells: Cell[];
  units: number[];
  layer: number;
  state: 'c' | 'h';
}

const cases: Case[] = [
  { name: 'LSTM c, 1 layer', cells: ['lstm'], units: [4], layer: 1, state: 'c' },
  { name: 'LSTM h, 1 layer', cells: ['lstm'], units: [4], layer: 1, state: 'h' },
  { name: 'LSTM c, 2 layers', cells: ['lstm', 'lstm'], units: [5, 4], layer: 2, state: 'c' },
  { name: 'LSTM h, 2 layers', cells: ['lstm', 'lstm'], units: [5, 4], layer: 2, state: 'h' },
  { name: 'GRU h, 2 layers', cells: ['gru', 'gru'], units: [5, 4], layer: 2, state: 'h' },
  { name: 'gru-classic h, 2 layers', cells: ['gru-classic', 'gru-classic'], units: [5, 4], layer: 2, state: 'h' },
  { name: 'rnn-tanh h, 2 layers', cells: ['rnn-tanh', 'rnn-tanh'], units: [5, 4], layer: 2, state: 'h' },
  { name: 'rnn-relu h, 1 layer', cells: ['rnn-relu'], units: [4], layer: 1, state: 'h' },
  { name: 'gru under an LSTM, c of layer 2', cells: ['gru', 'lstm'], units: [5, 4], layer: 2, state: 'c' },
  { name: 'LSTM, gru-classic, rnn-tanh: h of layer 3', cells: ['lstm', 'gru-classic', 'rnn-tanh'], units: [4, 5, 3], layer: 3, state: 'h' },
];

function job(c: Case, i: number, B: number, T: number, over: Partial<SweepJob> = {}): SweepJob {
  return {
    weights: randomCellModel(500 + i, V, E, c.units, c.cells, 'sigmoid', 0.6),
    tokens: randomTokens(600 + i, B * T, V),
    streams: B,
    length: T,
    firstStream: 0,
    target: c.state,
    layer: c.layer,
    maxDelay: 4,
    groups: 3,
    classes: [
      { name: 'low', tokenIds: [0, 1, 2, 3, 4] },
      { name: 'odd', tokenIds: [1, 3, 5, 7, 9] },
    ],
    classesPerGroup: true,
    words: [2, 7],
    sample: null,
    chunkStreams: B,
    ...over,
  };
}

/** Every accumulator of `got` equals `ref`'s within float32 rounding (relative to each array's largest value), every count exactly. */
function expectSameSums(got: GradientSums, ref: GradientSums, tol = 2e-6): void {
  expect(got.groupCount).toEqual(ref.groupCount);
  expect(got.clsCount).toEqual(ref.clsCount);
  expect(got.wordCount).toEqual(ref.wordCount);
  for (const key of ['group', 'cls', 'word'] as const) {
    expect(got[key].length, key).toBe(ref[key].length);
    if (ref[key].length) expect(relError(got[key], ref[key]), key).toBeLessThan(tol);
  }
}

const mean = (s: Float64Array, n: number) => s.map((v) => v / n);

beforeAll(async () => {
  await selectBackend('cpu');
  expect(tf.getBackend()).toBe('cpu');
});

describe('tensor path: the same sums as the kernel path', () => {
  cases.forEach((c, i) => {
    it(c.name, () => {
      const j = job(c, i, 3, 9);
      const kernel = runSweep(j, new JsGemmEngine(), jsKernels);
      const tensor = runTensorSweep(j);
      expect(kernel.sums.group.some((v) => v !== 0)).toBe(true);
      expectSameSums(tensor.sums, kernel.sums);
      expect(tensor.stats.pairs).toBe(kernel.stats.pairs);
      expect(tensor.stats.flops).toBe(kernel.stats.flops);
      expect(tensor.stats.positions).toBe(kernel.stats.positions);
    });
  });

  it('hard-sigmoid gates (the forward on the device clips as cell-forward.ts does): LSTM, GRU and gru-classic', () => {
    const c: Case = { name: 'hard', cells: ['lstm', 'gru', 'gru-classic'], units: [4, 5, 3], layer: 3, state: 'h' };
    // scale 1.5: pre-activations reach the clipped region of 0.2·z + 0.5 on both sides
    const j = job(c, 20, 3, 9, { weights: randomCellModel(520, V, E, c.units, c.cells, 'hard_sigmoid', 1.5) });
    const kernel = runSweep(j, new JsGemmEngine(), jsKernels);
    expect(kernel.sums.group.some((v) => v !== 0)).toBe(true);
    expectSameSums(runTensorSweep(j).sums, kernel.sums);
  });

  it('classes per class only, chunks of one stream, a group window of several groups (D > T/K)', () => {
    const c = cases[3];
    const j = job(c, 3, 3, 10, { maxDelay: 6, groups: 5, classesPerGroup: false, chunkStreams: 1 });
    expect(groupWindow(10, 6, 5)).toBeGreaterThan(2);
    expectSameSums(runTensorSweep(j).sums, runSweep(j, new JsGemmEngine(), jsKernels).sums);
  });

  it('sampled sources: fewer slots than D + 1, steps with no source alive', () => {
    const c = cases[5];
    const T = 12;
    const sample = Int32Array.from([1, 2, 9, T + 5, 2 * T + 0, 2 * T + 11]);
    const j = job(c, 5, 3, T, { maxDelay: 5, sample, chunkStreams: 2 });
    const mask = (b: number, t: number) => sample.includes(b * T + t);
    expect(maxLive(3, T, 5, mask)).toBe(2);
    const kernel = runSweep(j, new JsGemmEngine(), jsKernels);
    const tensor = runTensorSweep(j);
    expectSameSums(tensor.sums, kernel.sums);
    expect(tensor.stats.pairs).toBe(kernel.stats.pairs);
  });

  it('a shard of the streams (firstStream > 0) keeps the sample positions of its own streams', () => {
    const c = cases[0];
    const T = 8;
    const sample = Int32Array.from([3 * T + 1, 3 * T + 6, 4 * T + 2]);
    const j = job(c, 0, 2, T, { firstStream: 3, sample });
    const kernel = runSweep(j, new JsGemmEngine(), jsKernels);
    expect(kernel.stats.pairs).toBeGreaterThan(0);
    expectSameSums(runTensorSweep(j).sums, kernel.sums);
  });

  it('leaves no tensor behind, also when cancelled mid-sweep', () => {
    const j = job(cases[9], 9, 3, 9, { chunkStreams: 2 });
    const before = tf.memory().numTensors;
    runTensorSweep(j);
    expect(tf.memory().numTensors).toBe(before);
    const cancel = CancelToken.create();
    let steps = 0;
    expect(() =>
      runTensorSweep(j, {
        cancel,
        onStep: () => {
          if (++steps === 4) cancel.cancel();
        },
      }),
    ).toThrow(JobCancelledError);
    expect(steps).toBe(4);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the comparison can fail: another delay or another target differs', () => {
    const j = job(cases[0], 0, 3, 9);
    const tensor = runTensorSweep(j).sums;
    const shifted = runTensorSweep({ ...j, maxDelay: 3 }).sums;
    expect(() => expectSameSums(shifted, tensor)).toThrow();
    const h = runTensorSweep({ ...j, target: 'h' }).sums;
    expect(relError(h.group, tensor.group)).toBeGreaterThan(1e-2);
  });
});

describe('tensor path on the wasm backend (scatterND, gather and batched matMul there too)', () => {
  beforeAll(async () => {
    expect((await selectBackend('wasm')).name).toBe('wasm');
  });
  afterAll(async () => {
    await selectBackend('cpu');
  });
  for (const i of [2, 5, 6, 9]) {
    it(cases[i].name, () => {
      const j = job(cases[i], i, 3, 9);
      expectSameSums(runTensorSweep(j).sums, runSweep(j, new JsGemmEngine(), jsKernels).sums);
    });
  }
});

describe('tensor path: Ḡ_τ against tf.grad and finite differences', () => {
  const B = 2;
  const T = 7;
  const D = T - 1;
  cases.forEach((c, i) => {
    it(c.name, () => {
      const j = job(c, i, B, T, { maxDelay: D, groups: 1, classes: [], words: [] });
      const pub = transposeSums(runTensorSweep(j).sums);
      const tot = totalOverGroups(pub);
      const n = pub.rows * pub.cols;
      const ad = autodiffGradientSums(j.weights, j.tokens, B, T, c.state, c.layer, D);
      const fd = fdGradientSums(j.weights, j.tokens, B, T, c.state, c.layer, D);
      expect(Array.from(tot.count)).toEqual(ad.count);
      for (let d = 0; d <= D; d++) {
        const got = mean(tot.sum.subarray(d * n, (d + 1) * n), ad.count[d]);
        expect(relError(got, mean(ad.sum[d], ad.count[d])), `delay ${d}`).toBeLessThan(1e-5);
        expect(relError(got, mean(fd.sum[d], fd.count[d])), `delay ${d}`).toBeLessThan(1e-4);
      }
    });
  });
});

describe('tensor path: the chunk of streams from the device memory', () => {
  const w = randomCellModel(9, V, 16, [32, 32], ['lstm', 'lstm'], 'sigmoid', 0.5);
  const shape = { block: 16 * 32, maxDelay: 30, groups: 10, classes: 4, classGroups: 10, words: 2, length: 1000 };
  it('the memory: the option first, then the GPU\'s free memory, else the documented default', () => {
    expect(deviceMemory(300, 8000)).toEqual({ megabytes: 300, source: 'option' });
    expect(deviceMemory(undefined, 8000)).toEqual({ megabytes: 8000, source: 'nvidia-smi' });
    const d = deviceMemory(undefined, null);
    expect(d.source).toBe('default');
    expect(d.megabytes).toBeLessThanOrEqual(DEFAULT_DEVICE_MEMORY_MB);
    expect(d.megabytes).toBeGreaterThan(0);
  });

  it('grows with the memory, never exceeds the streams, and says when one stream does not fit', () => {
    const small = planChunk(w, 2, shape, 2, 1000, { megabytes: 256, source: 'option' });
    const big = planChunk(w, 2, shape, 2, 1000, { megabytes: 1024, source: 'option' });
    expect(small.fits).toBe(true);
    expect(big.streams).toBeGreaterThan(3 * small.streams);
    expect(planChunk(w, 2, shape, 2, 5, { megabytes: 1024, source: 'option' }).streams).toBe(5);
    // one stream's tangents: 31 slots × 16 columns × (2 layers' dh, dc, inputs, products …) floats
    expect(small.bytesPerStream).toBeGreaterThan(31 * 16 * 32 * 4 * 8);
    const none = planChunk(w, 2, shape, 2, 1000, { megabytes: 1, source: 'option' });
    expect(none.fits).toBe(false);
    expect(none.streams).toBe(1);
  });
});

describe('sweep path: which path runs and why', () => {
  const gpu = { usable: true, why: 'tfjs-node-gpu with 550.1, NVIDIA A100' };
  const none = { usable: false, why: '@tensorflow/tfjs-node-gpu is not installed' };
  it('auto takes the tensor path on a usable GPU only, and says why', () => {
    expect(chooseSweepPath('auto', undefined, () => gpu)).toMatchObject({ path: 'tensor', backend: 'tensorflow-gpu' });
    const k = chooseSweepPath('auto', undefined, () => none);
    expect(k).toMatchObject({ path: 'kernels', backend: 'wasm' });
    expect(k.reason).toContain('not installed');
    expect(chooseSweepPath('auto', 'cpu', () => gpu)).toMatchObject({ path: 'kernels', backend: 'cpu' });
    expect(chooseSweepPath('auto', 'tensorflow-gpu', () => none)).toMatchObject({ path: 'tensor', backend: 'tensorflow-gpu' });
  });
  it('an explicit engine wins; the kernel path never asks every worker for auto', () => {
    expect(chooseSweepPath('tensor', 'cpu', () => none)).toMatchObject({ path: 'tensor', backend: 'cpu' });
    expect(chooseSweepPath('tensor', undefined, () => none)).toMatchObject({ path: 'tensor', backend: 'auto' });
    expect(chooseSweepPath('kernels', 'auto', () => gpu)).toMatchObject({ path: 'kernels', backend: 'wasm' });
    expect(() => chooseSweepPath('kernels', 'tensorflow', () => gpu)).toThrow(/cannot use backend tensorflow: TensorFlow loads in one thread/);
    expect(() => chooseSweepPath('kernels', 'tensorflow-gpu', () => none)).toThrow(/--engine tensor/);
    expect(chooseSweepPath('auto', 'tensorflow', () => none)).toMatchObject({ path: 'tensor', backend: 'tensorflow' });
  });
});
