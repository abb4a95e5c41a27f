// The per-delay statistics the findings check rests on, on a small model: class standard
// errors (classSe) over the class's own group means, with groups that have no pair of the
// class at a delay left out; the SEs of σ₁/Σσ and top-5/Σσ over the K group means; and the
// noise floor s̄ (RMS of the per-entry SEs of Ḡ_τ, in the analysed coordinates). References
// are computed here: class-group means from central finite differences of an independent
// float64 LSTM, singular values from ml-matrix, SEs and RMS by hand. Also: the progress
// total counts the extra SVDs, and a run accumulated without class groups (memory fallback)
// has no class SEs, says why, and the same class spectra.
import { SingularValueDecomposition, Matrix } from 'ml-matrix';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DelayStack, Mat } from '../../../main/engine/analysis/matrix';
import { equalVarianceNormalisation, normaliseGradient } from '../../../main/engine/analysis/normalisation';
import { summariseRun, type RunAnalysisInput } from '../../../main/engine/analysis/summarise-run';
import {
  accumulateStateGradients,
  classGroupBlocks,
  groupBlocks,
  groupOf,
  meanGradients,
  type StateGradientResult,
} from '../../../main/engine/gradients';
import { summariseAccumulation } from '../../../main/engine/runs/summarise-accumulation';
import type { PreparedRun } from '../../../main/engine/runs/prepare-run';
import { fdGradientSums, randomModel, randomTokens } from '../gradients/reference-lstm';

const V = 11;
const E = 7;
const H = 6;
const T = 16;
const B = 3;
const D = 3;
const K = 4;
const nd = D + 1;
const w = randomModel(81, V, E, [H], 'sigmoid', 0.7);
// windows of 4 steps; token 10 ('late') is absent from window 0 and in window 3 only at the
// last step (a pair at delay 0 only); token 8 ('rare') only in window 1
const tokens = randomTokens(82, B * T, V).map((v, i) => {
  const s = i % T;
  if ((v === 10 && (s < 4 || (s >= 12 && s < 15))) || (v === 8 && (s < 4 || s >= 8))) return 7;
  return v;
});
tokens[0 * T + 5] = 10;
tokens[1 * T + 9] = 10;
tokens[2 * T + 15] = 10;
tokens[0 * T + 6] = 8;
const classes = { low: [0, 1, 2, 3, 4], odd: [1, 3, 5, 7, 9], late: [10], rare: [8] };
const names = Object.keys(classes) as (keyof typeof classes)[];
const vocab = Array.from({ length: V }, (_, i) => `w${i}`);
const embeddings: Mat = { data: w.embedding, rows: V, cols: E };

let acc: StateGradientResult;
/** [class][group]: finite-difference sums and counts over the class's sources in the window */
const ref: Record<string, { sum: Float64Array[]; count: number[] }[]> = {};

const stack = (data: Float32Array): DelayStack => ({ data, delays: nd, rows: H, cols: E });

function inputs(over: Partial<RunAnalysisInput> = {}): RunAnalysisInput {
  return {
    G: stack(meanGradients(acc, H, E)),
    classG: Object.fromEntries(acc.classes.map((c) => [c.name, stack(meanGradients(c, H, E))])),
    groupG: groupBlocks(acc).map((g) => stack(meanGradients(g, H, E))),
    classGroupSums: Object.fromEntries(acc.classes.map((c, i) => [c.name, classGroupBlocks(acc, i)!])),
    embeddings,
    vocab,
    properties: [],
    ...over,
  };
}

function singular(m: Mat): number[] {
  const a = new Matrix(m.rows, m.cols);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) a.set(i, j, m.data[i * m.cols + j]);
  return [...new SingularValueDecomposition(a, { autoTranspose: true }).diagonal].sort((x, y) => y - x);
}

function handSe(v: number[]): { mean: number; se: number; groups: number } {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
  return { mean: m, se: sd / Math.sqrt(v.length), groups: v.length };
}

const close = (got: number, want: number, rel: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(rel * Math.abs(want) + 1e-12);

beforeAll(async () => {
  acc = await accumulateStateGradients(
    w,
    tokens,
    { state: 'c', maxDelay: D, streams: B, groups: K, classes, backend: 'cpu', engine: 'js' },
    { workers: 0 },
  );
  for (const name of names) {
    const members = new Set(classes[name]);
    ref[name] = Array.from({ length: K }, (_, g) =>
      fdGradientSums(w, tokens, B, T, 'c', 1, D, (b, s) => members.has(tokens[b * T + s]) && groupOf(s, T, K) === g),
    );
  }
});

describe('class standard errors, ratio SEs and the noise floor', () => {
  it('the fixture exercises full, partly empty and single-group classes (the test can fail)', () => {
    expect(acc.classesPerGroup).toBe(true);
    const usable = (name: string, t: number) => ref[name].filter((r) => r.count[t] > 0).length;
    expect(usable('low', 0)).toBe(K);
    expect([usable('late', 0), usable('late', 1), usable('late', D)]).toEqual([3, 2, 2]);
    expect(usable('rare', 0)).toBe(1);
    // the whole-corpus groups all have pairs at every delay (none dropped)
    expect(groupBlocks(acc).every((g) => g.count.every((c) => c > 0))).toBe(true);
  });

  for (const normalise of ['none', 'equal-variance'] as const) {
    it(`classSe = SE of σ₁ and Σσ over independently computed class-group means (${normalise})`, () => {
      const nm = normalise === 'equal-variance' ? equalVarianceNormalisation(embeddings) : null;
      const { summary } = summariseRun(inputs({ normalise }));
      let compared = 0;
      summary.delays.forEach((d, t) => {
        expect(Object.keys(d.classSe).sort()).toEqual([...names].sort());
        for (const name of names) {
          const s1: number[] = [];
          const sum: number[] = [];
          for (const r of ref[name]) {
            if (r.count[t] === 0) continue;
            const mean: Mat = { data: r.sum[t].map((v) => v / r.count[t]), rows: H, cols: E };
            const sv = singular(nm ? normaliseGradient(mean, nm) : mean);
            s1.push(sv[0]);
            sum.push(sv.reduce((a, b) => a + b, 0));
          }
          const got = d.classSe[name];
          if (s1.length < 2) {
            expect(got, `${name} at τ=${t}`).toEqual({ sigma1: null, sum: null });
            continue;
          }
          const want1 = handSe(s1);
          const wantSum = handSe(sum);
          expect(got.sigma1!.groups).toBe(s1.length);
          expect(got.sum!.groups).toBe(s1.length);
          close(got.sigma1!.mean, want1.mean, 1e-5);
          close(got.sigma1!.se, want1.se, 1e-4);
          close(got.sum!.mean, wantSum.mean, 1e-5);
          close(got.sum!.se, wantSum.se, 1e-4);
          expect(got.sigma1!.se).toBeGreaterThan(0);
          compared++;
        }
      });
      expect(compared).toBe(nd * 3);
    });
  }

  it('se.ratio1 / se.ratio5 and the noise floor, from the K group means, by hand', () => {
    for (const normalise of ['none', 'equal-variance'] as const) {
      const nm = normalise === 'equal-variance' ? equalVarianceNormalisation(embeddings) : null;
      const input = inputs({ normalise });
      const { summary } = summariseRun(input);
      const floors: number[] = [];
      summary.delays.forEach((d, t) => {
        const mats = input.groupG!.map((g) => {
          const m: Mat = { data: g.data.subarray(t * H * E, (t + 1) * H * E), rows: H, cols: E };
          return nm ? normaliseGradient(m, nm) : m;
        });
        const r1: number[] = [];
        const r5: number[] = [];
        for (const m of mats) {
          const sv = singular(m);
          const total = sv.reduce((a, b) => a + b, 0);
          r1.push(sv[0] / total);
          r5.push(sv.slice(0, 5).reduce((a, b) => a + b, 0) / total);
        }
        close(d.se!.ratio1!.se, handSe(r1).se, 1e-9);
        close(d.se!.ratio1!.mean, handSe(r1).mean, 1e-9);
        close(d.se!.ratio5!.se, handSe(r5).se, 1e-9);
        expect(d.se!.ratio1!.groups).toBe(K);
        // s̄² = mean over entries of (sample variance over the K groups / K)
        let acc2 = 0;
        for (let i = 0; i < H * E; i++) {
          const v = mats.map((m) => m.data[i]);
          const mean = v.reduce((a, b) => a + b, 0) / K;
          acc2 += v.reduce((a, b) => a + (b - mean) ** 2, 0) / (K - 1) / K;
        }
        const floor = Math.sqrt(acc2 / (H * E));
        close(d.noiseFloor!, floor, 1e-12);
        floors.push(d.noiseFloor!);
      });
      expect(floors.every((f) => f > 0)).toBe(true);
    }
    // the coordinates matter: the floors differ with and without normalisation
    const a = summariseRun(inputs()).summary.delays[1].noiseFloor!;
    const b = summariseRun(inputs({ normalise: 'equal-variance' })).summary.delays[1].noiseFloor!;
    expect(Math.abs(a - b) / a).toBeGreaterThan(0.01);
  });

  it('no groups: null SEs and noise floor, empty classSe', () => {
    const { summary } = summariseRun(inputs({ groupG: [], classGroupSums: {} }));
    for (const d of summary.delays) {
      expect([d.se, d.noiseFloor, d.classSe]).toEqual([null, null, {}]);
    }
  });

  it('the progress total counts the class-group SVDs (only where a class has ≥ 2 groups with pairs)', () => {
    const calls: [number, number][] = [];
    const { summary } = summariseRun(inputs({ onProgress: (done, total) => calls.push([done, total]) }));
    let classGroupSvds = 0;
    for (const name of names) {
      for (let t = 0; t < nd; t++) {
        const used = ref[name].filter((r) => r.count[t] > 0).length;
        if (used >= 2) classGroupSvds += used;
      }
    }
    const total = nd * (1 + names.length + K) + classGroupSvds;
    // fewer than every (class, group, delay): empty groups are skipped, single groups get no SVD
    expect(classGroupSvds).toBeGreaterThan(nd * (K + 2));
    expect(classGroupSvds).toBeLessThan(nd * K * (names.length - 1));
    expect(calls.every(([, tot]) => tot === total)).toBe(true);
    expect(calls.map(([done]) => done)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(summary.timings.svdCount).toBe(total);
  });

  it('refuses group sums of a class without Ḡ or of the wrong shape', () => {
    const parts = classGroupBlocks(acc, 0)!;
    expect(() => summariseRun(inputs({ classGroupSums: { nope: parts } }))).toThrow(/class 'nope', which has no Ḡ/);
    const short = parts.map((p) => ({ sum: p.sum.subarray(1), count: p.count }));
    expect(() => summariseRun(inputs({ classGroupSums: { low: short } }))).toThrow(/class 'low', group 0/);
  });
});

describe('summariseAccumulation with and without class groups', () => {
  const prep = () =>
    ({
      vocab: { words: vocab, unk: 'w0', eos: null },
      embeddings,
      classes: { words: {} },
      properties: [],
      words: [],
    }) as unknown as PreparedRun;

  it('the memory fallback: same class spectra, empty classSe, and the run says why', async () => {
    const opts = { state: 'c' as const, maxDelay: D, streams: B, groups: K, classes, backend: 'cpu' as const, engine: 'js' as const };
    const fallback = await accumulateStateGradients(w, tokens, { ...opts, classGroupBudget: 1 }, { workers: 0 });
    expect(fallback.classesPerGroup).toBe(false);
    const config = { normalize: 'none' as const, groups: K };
    const full = summariseAccumulation(acc, prep(), config, () => {});
    const without = summariseAccumulation(fallback, prep(), config, () => {});
    expect(full.warnings.some((x) => x.startsWith('class standard errors not computed'))).toBe(false);
    expect(without.warnings.filter((x) => x.startsWith('class standard errors not computed'))).toHaveLength(1);
    // the class means written to G_class.npy are the same (float32 of sums that differ only in summation order)
    without.classG.forEach((g, i) => {
      for (let j = 0; j < g.length; j++) expect(Math.abs(g[j] - full.classG[i][j])).toBeLessThanOrEqual(2e-7 * Math.abs(full.classG[i][j]) + 1e-12);
    });
    full.analysis.summary.delays.forEach((d, t) => {
      const o = without.analysis.summary.delays[t];
      expect(o.classSe).toEqual({});
      expect(Object.keys(d.classSe).sort()).toEqual([...names].sort());
      for (const name of names) {
        close(o.classes[name].sigma1, d.classes[name].sigma1, 1e-6);
        close(o.classes[name].sum, d.classes[name].sum, 1e-6);
      }
      // the whole-corpus statistics do not depend on the class layout at all
      expect(o.se).toEqual(d.se);
      expect(o.noiseFloor).toBe(d.noiseFloor);
    });
  });
});
