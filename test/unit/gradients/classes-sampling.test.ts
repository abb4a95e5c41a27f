// Class, word and sampled accumulators against autodiff means restricted to the same
// sources, with D < T-1 so that sources expire mid-stream; through the kernel (js and
// wasm engines) and through the public driver (public [D+1, H, E] layout).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../main/engine/model/backend';
import { JsGemmEngine, type GemmEngine } from '../../../main/engine/gradients/gemm-engine';
import { jsKernels, type TangentKernels } from '../../../main/engine/gradients/tangent-step';
import { WasmGemmEngine } from '../../../main/engine/gradients/wasm-gemm-engine';
import { createWasmKernels } from '../../../main/engine/gradients/wasm-kernels';
import { samplePositions } from '../../../main/engine/gradients/stream-layout';
import { accumulateStateGradients } from '../../../main/engine/gradients/parallel-driver';
import { autodiffGradientSumsMany } from './autodiff-reference';
import { randomModel, randomTokens, relError } from './reference-lstm';
import { block, sweepSums } from './sweep-helpers';

const V = 11;
const E = 5;
const T = 8;
const B = 3;
const D = 4;
const H = 6;
const w = randomModel(31, V, E, [4, H], 'sigmoid', 0.5);
const tokens = randomTokens(32, B * T, V);
const classes = [
  { name: 'even', tokenIds: Int32Array.from([0, 2, 4, 6, 8, 10]) },
  { name: 'low', tokenIds: Int32Array.from([0, 1, 2, 3, 4]) },
  { name: 'three', tokenIds: Int32Array.from([3]) },
];
const words = [3, 7];
const sample = samplePositions(B * T, 9, 5);
const tok = (b: number, s: number) => tokens[b * T + s];
const filters: Record<string, (b: number, s: number) => boolean> = {
  all: () => true,
  even: (b, s) => tok(b, s) % 2 === 0,
  low: (b, s) => tok(b, s) <= 4,
  three: (b, s) => tok(b, s) === 3,
  word3: (b, s) => tok(b, s) === 3,
  word7: (b, s) => tok(b, s) === 7,
  sampled: (b, s) => sample.includes(b * T + s),
};
type Ref = { sum: Float64Array[]; count: number[] };
const refs: Record<string, Ref> = {};

function expectMeans(sum: (d: number) => ArrayLike<number>, count: ArrayLike<number>, ref: Ref): void {
  expect(Array.from(count)).toEqual(ref.count);
  for (let d = 0; d <= D; d++) {
    if (ref.count[d] === 0) continue;
    const got = Array.from(sum(d), (v) => v / count[d]);
    const want = Array.from(ref.sum[d], (v) => v / ref.count[d]);
    expect(relError(got, want), `delay ${d}`).toBeLessThan(1e-5);
  }
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  const names = Object.keys(filters);
  const all = autodiffGradientSumsMany(w, tokens, B, T, 'h', 2, D, names.map((n) => filters[n]));
  names.forEach((n, i) => (refs[n] = all[i]));
});

function checkEngine(engine: GemmEngine, kernels: TangentKernels): void {
  const n = H * E;
  const got = sweepSums(w, tokens, B, T, { state: 'h', layer: 2, D, classes, words, slotsPerBlock: 2 }, engine, kernels);
  expectMeans((d) => got.sum[d], got.count, refs.all);
  classes.forEach((c, i) => {
    expectMeans((d) => block(got.sums.cls, i * (D + 1) + d, n), got.sums.clsCount.subarray(i * (D + 1), (i + 1) * (D + 1)), refs[c.name]);
  });
  words.forEach((v, i) => {
    expectMeans((d) => block(got.sums.word, i * (D + 1) + d, n), got.sums.wordCount.subarray(i * (D + 1), (i + 1) * (D + 1)), refs[`word${v}`]);
  });
  const sampled = sweepSums(w, tokens, B, T, { state: 'h', layer: 2, D, sample, slotsPerBlock: 2 }, engine, kernels);
  expectMeans((d) => sampled.sum[d], sampled.count, refs.sampled);
}

describe('class, word and sampled accumulators', () => {
  it('the filters select different sources (the comparison can fail)', () => {
    expect(refs.even.count[0]).toBeGreaterThan(0);
    expect(refs.three.count[0]).toBeGreaterThan(0);
    expect(refs.sampled.count[0]).toBe(9);
    expect(relError(refs.even.sum[1].map((v) => v / refs.even.count[1]), refs.all.sum[1].map((v) => v / refs.all.count[1]))).toBeGreaterThan(0.01);
  });

  it('js engine', () => checkEngine(new JsGemmEngine(), jsKernels));

  it('public driver (in-process): classes by name, words by id, sampling, [D+1, H, E] layout', async () => {
    const opts = { state: 'h' as const, layer: 2, maxDelay: D, streams: B, groups: 3, backend: 'cpu' as const, engine: 'js' as const };
    const r = await accumulateStateGradients(
      w,
      tokens,
      { ...opts, classes: Object.fromEntries(classes.map((c) => [c.name, Array.from(c.tokenIds)])), words },
      { workers: 0 },
    );
    const n = H * E;
    expect([r.hiddenSize, r.inputSize, r.streams, r.length, r.sampled]).toEqual([H, E, B, T, null]);
    expectMeans((d) => block(r.sum, d, n), r.count, refs.all);
    expect(r.classes.map((c) => c.name)).toEqual(['even', 'low', 'three']);
    for (const c of r.classes) expectMeans((d) => block(c.sum, d, n), c.count, refs[c.name]);
    for (const x of r.words) expectMeans((d) => block(x.sum, d, n), x.count, refs[`word${x.tokenId}`]);
    const s = await accumulateStateGradients(w, tokens, { ...opts, sample: 9, seed: 5 }, { workers: 0 });
    expect(s.sampled).toBe(9);
    expectMeans((d) => block(s.sum, d, n), s.count, refs.sampled);
  });

  it('wasm engine', async () => {
    await selectBackend('wasm');
    const engine = new WasmGemmEngine();
    try {
      checkEngine(engine, createWasmKernels(engine.memory, engine.space));
    } finally {
      engine.dispose();
    }
  });
});
