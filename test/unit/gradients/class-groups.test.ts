// Class accumulators kept per (class, group): each one holds exactly the sources of its class
// in its time window (against central finite differences of an independent float64 LSTM),
// the class totals are the per-class sums of before (to float64 summation order), the
// whole-corpus group sums do not change at all, shares merge exactly, and the driver falls
// back to per-class sums, with a warning, when the class×group accumulators exceed the budget.
import { beforeAll, describe, expect, it } from 'vitest';
import { classTotals, mergeSums, type GradientSums } from '../../../main/engine/gradients/accumulator';
import { JsGemmEngine } from '../../../main/engine/gradients/gemm-engine';
import { groupOf } from '../../../main/engine/gradients/stream-layout';
import { jsKernels } from '../../../main/engine/gradients/tangent-step';
import { runSweep, type SweepJob } from '../../../main/engine/gradients/run-sweep';
import { WasmGemmEngine } from '../../../main/engine/gradients/wasm-gemm-engine';
import { createWasmKernels } from '../../../main/engine/gradients/wasm-kernels';
import { accumulateStateGradients, classGroupBlocks } from '../../../main/engine/gradients/parallel-driver';
import { selectBackend } from '../../../main/engine/model/backend';
import { fdGradientSums, randomModel, randomTokens, relError } from './reference-lstm';
import { block } from './sweep-helpers';

const V = 11;
const E = 5;
const T = 12;
const B = 3;
const D = 3;
const H = 4;
const K = 4;
const nd = D + 1;
const n = H * E;
const w = randomModel(71, V, E, [3, H], 'sigmoid', 0.6);
// token 10 ('late') never in window 0 and in window 3 only at the last step: that class has
// groups with no pair at all and groups with pairs at delay 0 only
const tokens = randomTokens(72, B * T, V).map((v, i) => {
  const s = i % T;
  if (v === 10 && (s < 3 || (s >= 9 && s < 11))) return 9;
  return v;
});
tokens[0 * T + 4] = 10;
tokens[1 * T + 7] = 10;
tokens[2 * T + 11] = 10;
const classes = [
  { name: 'low', tokenIds: Int32Array.from([0, 1, 2, 3, 4]) },
  { name: 'odd', tokenIds: Int32Array.from([1, 3, 5, 7, 9]) },
  { name: 'late', tokenIds: Int32Array.from([10]) },
];
const inClass = classes.map((c) => new Set(c.tokenIds));

function job(b0: number, b1: number, over: Partial<SweepJob> = {}): SweepJob {
  return {
    weights: w,
    tokens: tokens.slice(b0 * T, b1 * T),
    streams: b1 - b0,
    length: T,
    firstStream: b0,
    target: 'h',
    layer: 2,
    maxDelay: D,
    groups: K,
    classes,
    classesPerGroup: true,
    words: [4],
    sample: null,
    chunkStreams: b1 - b0,
    slotsPerBlock: 2,
    ...over,
  };
}

/** Sums in [.., D+1, E, H] sweep layout → block (c, g, d) transposed to [H, E]. */
function clsBlock(s: GradientSums, c: number, g: number, d: number): Float64Array {
  const src = block(s.cls, (c * s.classGroups + g) * nd + d, n);
  const out = new Float64Array(n);
  for (let e = 0; e < E; e++) for (let h = 0; h < H; h++) out[h * E + e] = src[e * H + h];
  return out;
}

/** Independent references: Σ J over the sources of class c in window g, by finite differences. */
const refs: { sum: Float64Array[]; count: number[] }[][] = [];

beforeAll(() => {
  classes.forEach((_, c) => {
    refs.push(
      Array.from({ length: K }, (_, g) =>
        fdGradientSums(w, tokens, B, T, 'h', 2, D, (b, s) => inClass[c].has(tokens[b * T + s]) && groupOf(s, T, K) === g),
      ),
    );
  });
});

function checkAgainstReference(s: GradientSums): void {
  expect(s.classGroups).toBe(K);
  classes.forEach((_, c) => {
    for (let g = 0; g < K; g++) {
      const ref = refs[c][g];
      expect(Array.from(s.clsCount.subarray((c * K + g) * nd, (c * K + g + 1) * nd)), `counts of class ${c} group ${g}`).toEqual(ref.count);
      for (let d = 0; d <= D; d++) {
        const got = clsBlock(s, c, g, d);
        if (ref.count[d] === 0) expect(got.every((v) => v === 0)).toBe(true);
        else expect(relError(got, ref.sum[d]), `class ${c} group ${g} delay ${d}`).toBeLessThan(1e-5);
      }
    }
  });
}

describe('class × group accumulators', () => {
  const perGroup = runSweep(job(0, B), new JsGemmEngine(), jsKernels).sums;
  const perClass = runSweep(job(0, B, { classesPerGroup: false }), new JsGemmEngine(), jsKernels).sums;

  it('the fixture has empty class groups, delay-0-only groups and full ones (the test can fail)', () => {
    const late = refs[2];
    expect(late[0].count).toEqual([0, 0, 0, 0]);
    expect(late[3].count[0]).toBeGreaterThan(0);
    expect(late[3].count.slice(1)).toEqual([0, 0, 0]);
    expect(late[1].count[D]).toBeGreaterThan(0);
    expect(late[2].count[D]).toBeGreaterThan(0);
    for (let g = 0; g < K; g++) expect(refs[0][g].count[0]).toBeGreaterThan(0);
    // groups of one class differ from each other
    expect(relError(refs[0][0].sum[1], refs[0][1].sum[1])).toBeGreaterThan(0.05);
  });

  it('each (class, group) accumulator equals finite differences over exactly its sources (js engine)', () => {
    checkAgainstReference(perGroup);
  });

  it('the same through the wasm SIMD kernels', async () => {
    await selectBackend('wasm');
    const engine = new WasmGemmEngine();
    try {
      checkAgainstReference(runSweep(job(0, B), engine, createWasmKernels(engine.memory, engine.space)).sums);
    } finally {
      engine.dispose();
    }
  });

  it('class totals = the per-class sums of before; group and word sums do not change', () => {
    expect(perClass.classGroups).toBe(1);
    expect(perClass.cls.length * K).toBe(perGroup.cls.length);
    const tot = classTotals(perGroup);
    expect(Array.from(tot.count)).toEqual(Array.from(perClass.clsCount));
    expect(relError(tot.sum, perClass.cls)).toBeLessThan(1e-12);
    // and that is not vacuous: one group alone is far from the total
    expect(relError(perGroup.cls.subarray(0, nd * n), perClass.cls.subarray(0, nd * n))).toBeGreaterThan(0.1);
    expect(Array.from(perGroup.group)).toEqual(Array.from(perClass.group));
    expect(Array.from(perGroup.groupCount)).toEqual(Array.from(perClass.groupCount));
    expect(Array.from(perGroup.word)).toEqual(Array.from(perClass.word));
    // per class only, the totals are the accumulators themselves
    expect(classTotals(perClass).sum).toBe(perClass.cls);
  });

  it('stream shares merge exactly, and sums of different class layouts refuse to merge', () => {
    const a = runSweep(job(0, 1), new JsGemmEngine(), jsKernels).sums;
    const b = runSweep(job(1, B, { chunkStreams: 1 }), new JsGemmEngine(), jsKernels).sums;
    mergeSums(a, b);
    expect(Array.from(a.clsCount)).toEqual(Array.from(perGroup.clsCount));
    expect(relError(a.cls, perGroup.cls)).toBeLessThan(1e-12);
    expect(() => mergeSums(a, perClass)).toThrow(/shapes/);
  });
});

describe('the driver: class groups in the result, and the memory fallback', () => {
  const opts = { state: 'h' as const, layer: 2, maxDelay: D, streams: B, groups: K, backend: 'cpu' as const, engine: 'js' as const };
  const named = Object.fromEntries(classes.map((c) => [c.name, Array.from(c.tokenIds)]));

  it('keeps classes per group by default; totals are the sums of the group blocks, in [D+1, H, E] layout', async () => {
    const r = await accumulateStateGradients(w, tokens, { ...opts, classes: named }, { workers: 0 });
    expect(r.classesPerGroup).toBe(true);
    expect(r.warnings).toEqual([]);
    r.classes.forEach((c, i) => {
      const parts = classGroupBlocks(r, i)!;
      expect(parts).toHaveLength(K);
      parts.forEach((p, g) => {
        expect(Array.from(p.count)).toEqual(refs[i][g].count);
        for (let d = 0; d <= D; d++) {
          if (refs[i][g].count[d] > 0) expect(relError(block(p.sum, d, n), refs[i][g].sum[d])).toBeLessThan(1e-5);
        }
      });
      const sum = new Float64Array(nd * n);
      for (const p of parts) for (let j = 0; j < sum.length; j++) sum[j] += p.sum[j];
      expect(Array.from(c.sum)).toEqual(Array.from(sum));
      expect(Array.from(c.count)).toEqual(Array.from({ length: nd }, (_, d) => parts.reduce((a, p) => a + p.count[d], 0)));
    });
  });

  it('falls back to per-class sums with a warning when the class×group accumulators exceed the budget', async () => {
    const full = await accumulateStateGradients(w, tokens, { ...opts, classes: named }, { workers: 0 });
    // (K + 3K + 0 words) blocks of (D+1)·H·E float64 = 16 × 640 bytes: a budget just below it
    const need = (K + classes.length * K) * nd * n * 8;
    const at = await accumulateStateGradients(w, tokens, { ...opts, classes: named, classGroupBudget: need }, { workers: 0 });
    expect(at.classesPerGroup).toBe(true);
    const r = await accumulateStateGradients(w, tokens, { ...opts, classes: named, classGroupBudget: need - 1 }, { workers: 0 });
    expect(r.classesPerGroup).toBe(false);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/^class standard errors not computed: accumulating the 3 classes per group \(4 groups\) would need 0\.000 GiB per worker/);
    r.classes.forEach((c, i) => {
      expect(c.groupSum).toBeNull();
      expect(classGroupBlocks(r, i)).toBeNull();
      expect(Array.from(c.count)).toEqual(Array.from(full.classes[i].count));
      expect(relError(c.sum, full.classes[i].sum)).toBeLessThan(1e-12);
    });
    expect(Array.from(r.groupSum)).toEqual(Array.from(full.groupSum));
    // one group: nothing to keep per group, and nothing to warn about
    const one = await accumulateStateGradients(w, tokens, { ...opts, groups: 1, classes: named, classGroupBudget: 0 }, { workers: 0 });
    expect([one.classesPerGroup, one.warnings]).toEqual([false, []]);
  });
});
