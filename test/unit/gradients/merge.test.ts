// Partial sums merge exactly: splitting the streams between jobs (as the workers do),
// chunking them, or changing the GEMM block size gives the single-job sums to float64
// rounding. Group sums are the sums over their time windows.
import { describe, expect, it } from 'vitest';
import { createSums, mergeSums, totalOverGroups } from '../../../main/engine/gradients/accumulator';
import { JsGemmEngine } from '../../../main/engine/gradients/gemm-engine';
import { groupOf } from '../../../main/engine/gradients/stream-layout';
import { jsKernels } from '../../../main/engine/gradients/tangent-step';
import { runSweep, type SweepJob } from '../../../main/engine/gradients/run-sweep';
import { fdGradientSums, randomModel, randomTokens, relError } from './reference-lstm';
import { block, sweepSums } from './sweep-helpers';

const V = 11;
const E = 5;
const T = 10;
const B = 4;
const D = 3;
const H = 4;
const w = randomModel(51, V, E, [H], 'sigmoid', 0.5);
const tokens = randomTokens(52, B * T, V);
const classes = [{ name: 'low', tokenIds: Int32Array.from([0, 1, 2, 3]) }];
const words = [5];

function job(b0: number, b1: number, over: Partial<SweepJob> = {}): SweepJob {
  return {
    weights: w,
    tokens: tokens.slice(b0 * T, b1 * T),
    streams: b1 - b0,
    length: T,
    firstStream: b0,
    target: 'c',
    layer: 1,
    maxDelay: D,
    groups: 3,
    classes,
    words,
    sample: null,
    chunkStreams: b1 - b0,
    ...over,
  };
}

function expectSameSums(a: ReturnType<typeof runSweep>['sums'], b: ReturnType<typeof runSweep>['sums']): void {
  expect(Array.from(a.groupCount)).toEqual(Array.from(b.groupCount));
  expect(Array.from(a.clsCount)).toEqual(Array.from(b.clsCount));
  expect(Array.from(a.wordCount)).toEqual(Array.from(b.wordCount));
  expect(relError(a.group, b.group)).toBeLessThan(1e-12);
  expect(relError(a.cls, b.cls)).toBeLessThan(1e-12);
  expect(relError(a.word, b.word)).toBeLessThan(1e-12);
}

describe('merging partial sums', () => {
  const whole = runSweep(job(0, B), new JsGemmEngine(), jsKernels).sums;

  it('two stream shares merged = one job', () => {
    const a = runSweep(job(0, 1), new JsGemmEngine(), jsKernels).sums;
    const b = runSweep(job(1, B), new JsGemmEngine(), jsKernels).sums;
    mergeSums(a, b);
    expectSameSums(a, whole);
    // and the merge is not vacuous: one share alone is different
    const alone = runSweep(job(0, 1), new JsGemmEngine(), jsKernels).sums;
    expect(relError(alone.group, whole.group)).toBeGreaterThan(0.1);
  });

  it('chunking streams and GEMM block size do not change the sums', () => {
    for (const over of [{ chunkStreams: 1 }, { chunkStreams: 3 }, { slotsPerBlock: 1 }, { slotsPerBlock: 3, chunkStreams: 2 }]) {
      expectSameSums(runSweep(job(0, B, over), new JsGemmEngine(), jsKernels).sums, whole);
    }
  });

  it('counts are B·(T-τ), and group k holds the sources of time window k', () => {
    const tot = totalOverGroups(whole);
    expect(Array.from(tot.count)).toEqual(Array.from({ length: D + 1 }, (_, d) => B * (T - d)));
    const n = H * E;
    for (let g = 0; g < 3; g++) {
      const ref = fdGradientSums(w, tokens, B, T, 'c', 1, D, (_b, s) => groupOf(s, T, 3) === g);
      const got = sweepSums(w, tokens, B, T, { state: 'c', layer: 1, D, groups: 3 }, new JsGemmEngine(), jsKernels).sums;
      for (let d = 0; d <= D; d++) {
        expect(got.groupCount[g * (D + 1) + d]).toBe(ref.count[d]);
        const sum = block(got.group, g * (D + 1) + d, n);
        expect(relError(sum, ref.sum[d])).toBeLessThan(1e-5);
      }
    }
  });

  it('refuses to merge sums of different shapes', () => {
    const shape = { rows: 2, cols: 3, maxDelay: 1, groups: 1, classes: 0, classGroups: 1, words: 0 };
    expect(() => mergeSums(createSums(shape), createSums({ ...shape, groups: 2 }))).toThrow(/shapes/);
  });
});
