// The sums behind Δ(τ) and T(k): every pair counted once in its group (the source's time
// window, as a sweep groups) and in each class of the replaced word; class, group and share
// sums add up to the totals; the curves' means and SEs follow from the group sums.
import { describe, expect, it } from 'vitest';
import { JsGemmEngine } from '../../../main/engine/gradients/gemm-engine';
import { buildTokenIndex } from '../../../main/engine/gradients/class-index';
import { groupOf } from '../../../main/engine/gradients/stream-layout';
import { emptySums, mergeAblationSums, summingSink } from '../../../main/engine/ablation/accumulate';
import { ablationCurves } from '../../../main/engine/ablation/curves';
import { computeAblation } from '../../../main/engine/ablation/compute-ablation';
import { runSharePasses, type LossSink } from '../../../main/engine/ablation/share-passes';
import { drawReplacements } from '../../../main/engine/ablation/replacements';
import { standardError } from '../../../main/engine/analysis/standard-error';
import { randomTokens } from '../gradients/reference-lstm';
import { randomCellModel } from '../gradients/reference-cells';

const V = 12;
const B = 4;
const L = 10;
const D = 3;
const K = 3;
const w = randomCellModel(7, V, 4, [6, 5], ['lstm', 'gru'], 'sigmoid', 0.6);
const tokens = randomTokens(11, B * L, V);
const repl = drawReplacements(tokens, B, L, { mode: 'shuffle', unkId: 0, seed: 5 });
// two classes that split the vocabulary, and one overlapping both
const classes = [
  { name: 'low', tokenIds: Array.from({ length: V / 2 }, (_, i) => i) },
  { name: 'high', tokenIds: Array.from({ length: V / 2 }, (_, i) => i + V / 2) },
  { name: 'odd', tokenIds: Array.from({ length: V / 2 }, (_, i) => 2 * i + 1) },
];
const index = buildTokenIndex(V, classes, []);

function shareSums(b0: number, b1: number) {
  const sums = emptySums(D, K, classes.length);
  const share = tokens.slice(b0 * L, b1 * L);
  runSharePasses(
    { weights: w, tokens: share, replacements: repl.slice(b0 * L, b1 * L), streams: b1 - b0, length: L, maxDelay: D, rowsPerBatch: 3 },
    new JsGemmEngine(),
    summingSink(sums, share, b1 - b0, L, index),
  );
  return sums;
}

describe('ablation sums', () => {
  const whole = shareSums(0, B);

  it('every pair once: counts per τ, by group of the source and by class of w_s', () => {
    const nd = D + 1;
    for (let tau = 0; tau <= D; tau++) {
      let total = 0;
      const perGroup = new Array(K).fill(0);
      for (let s = 0; s + tau <= L - 2; s++) perGroup[groupOf(s, L, K)] += B;
      for (let g = 0; g < K; g++) {
        expect(whole.deltaCount[g * nd + tau]).toBe(perGroup[g]);
        total += whole.deltaCount[g * nd + tau];
      }
      expect(total).toBe(B * (L - 1 - tau));
      // low + high partition the vocabulary: their sums are the totals
      for (let g = 0; g < K; g++) {
        const at = (c: number) => (c * K + g) * nd + tau;
        expect(whole.classCount[at(0)] + whole.classCount[at(1)]).toBe(whole.deltaCount[g * nd + tau]);
        expect(whole.classDelta[at(0)] + whole.classDelta[at(1)]).toBeCloseTo(whole.delta[g * nd + tau], 12);
      }
      // truncation: k = τ + 1 has a loss at every t ≥ τ with t ≤ L − 2
      let trunc = 0;
      for (let g = 0; g < K; g++) trunc += whole.truncationCount[g * nd + tau];
      expect(trunc).toBe(B * (L - 1 - tau));
    }
    expect(whole.baselineCount).toBe(B * (L - 1));
  });

  it('shares merged in order give the whole sums', () => {
    const merged = shareSums(0, 1);
    mergeAblationSums(merged, shareSums(1, 4));
    for (const key of ['delta', 'deltaCount', 'classDelta', 'classCount', 'truncation', 'truncationCount'] as const) {
      const a = merged[key];
      const b = whole[key];
      for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 12);
    }
  });

  it('curves: mean over all pairs, SE over the means of the groups with pairs at every delay, T(k) means', () => {
    const c = ablationCurves(whole, L);
    const nd = D + 1;
    // as for a sweep's σ₁, a group without a pair at some delay is left out of every SE:
    // here group 2 (sources 7..9) has none at τ = 3 (t = s + 3 ≤ 8)
    const kept = [0, 1, 2].filter((g) => Array.from({ length: nd }, (_, t) => whole.deltaCount[g * nd + t]).every((n) => n > 0));
    expect(c.groupsDropped).toEqual([2]);
    expect(kept).toEqual([0, 1]);
    for (let tau = 0; tau <= D; tau++) {
      let s = 0;
      let n = 0;
      const means: number[] = [];
      for (let g = 0; g < K; g++) {
        s += whole.delta[g * nd + tau];
        n += whole.deltaCount[g * nd + tau];
        if (kept.includes(g)) means.push(whole.delta[g * nd + tau] / whole.deltaCount[g * nd + tau]);
      }
      expect(c.delta.mean[tau]).toBeCloseTo(s / n, 12);
      expect(c.delta.pairs[tau]).toBe(n);
      expect(c.delta.se[tau]?.se).toBeCloseTo(standardError(means)!.se, 12);
    }
    expect(c.classDelta).toHaveLength(3);
    expect(c.warnings.join(' ')).toMatch(/1 of 3 uncertainty groups had no pair/);
    // T(1): from the zero state with one token, the mean over every t ≤ L − 2
    let t1 = 0;
    let n1 = 0;
    for (let g = 0; g < K; g++) {
      t1 += whole.truncation[g * nd];
      n1 += whole.truncationCount[g * nd];
    }
    expect(c.truncation.mean[0]).toBeCloseTo(t1 / n1, 12);
  });

  it('computeAblation (in this thread) lays out streams as a sweep and gives the same sums', async () => {
    const r = await computeAblation(w, tokens, { maxDelay: D, streams: B, groups: K, classes, mode: 'shuffle', unkId: 0, seed: 5, engine: 'js', backend: 'cpu', rowsPerBatch: 3 }, { workers: 0 });
    expect(r.layout.streams).toBe(B);
    expect(r.layout.length).toBe(L);
    for (let i = 0; i < whole.delta.length; i++) expect(r.sums.delta[i]).toBeCloseTo(whole.delta[i], 12);
    expect(r.cellSteps).toBeGreaterThan(B * L * (D + 1));
  });

  it('a sink sees the baseline of every t before any ablated loss', () => {
    const seen = new Set<string>();
    let ok = true;
    const sink: LossSink = {
      baseline: (b, t) => seen.add(`${b},${t}`),
      ablated: (b, s, tau) => {
        if (!seen.has(`${b},${s + tau}`)) ok = false;
      },
      truncated: () => {},
    };
    runSharePasses({ weights: w, tokens, replacements: repl, streams: B, length: L, maxDelay: D, rowsPerBatch: 5 }, new JsGemmEngine(), sink);
    expect(ok).toBe(true);
  });
});
