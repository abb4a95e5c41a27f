// The findings row gradient-matches-behaviour on constructed curves: where each curve first
// falls below 10 % of its maximum, holds within ±2 delays, does not hold beyond, cannot tell
// when the SE bands move a crossing by more than 2 delays; negative Δ counted as 0; a pair of
// different model, corpus or split refused.
import { describe, expect, it } from 'vitest';
import { checkFindingsWithAblation } from '../../../main/engine/runs/findings';
import { crossingOf, gradientMatchesBehaviour } from '../../../main/engine/runs/behaviour-finding';
import type { AblationRecord } from '../../../shared/schemas/ablation';
import { makeAblationRecord } from '../../../renderer/src/lib/transforms/ablation-test-record';
import { fixtureRun } from './findings-fixture';

const D = 12;
const delays = Array.from({ length: D + 1 }, (_, t) => t);
const se = (v: number, k = 10) => ({ mean: v, sd: v * Math.sqrt(k), se: v, groups: k });

/** An ablation of fixtureRun's model, corpus and split with Δ(τ) = f(τ) and SE(τ) = s(τ). */
function ablation(f: (t: number) => number, s: (t: number) => number | null, over: Partial<AblationRecord> = {}): AblationRecord {
  const base = makeAblationRecord({ model: 'lm', corpus: 'brown', split: 'test', maxDelay: D });
  return {
    ...base,
    delta: { mean: delays.map(f), se: delays.map((t) => (s(t) === null ? null : se(s(t) as number))), pairs: delays.map(() => 500) },
    ...over,
  };
}

// σ₁(τ) = 10·0.5^τ: 10 % of the maximum (1.0) is passed first at τ = 4 (0.625)
const sweep = fixtureRun({ maxDelay: D, sigma1: (t) => 10 * 0.5 ** t, sigma1Se: () => 0.01 });

describe('crossingOf', () => {
  it('first delay below 10 % of the maximum, with its SE band', () => {
    const c = crossingOf([2, 1, 0.5, 0.3, 0.15, 0.1], [0.01, 0.01, 0.01, 0.01, 0.01, 0.01]);
    expect(c.max).toBe(2);
    expect(c.crossing).toBe(4);
    // 0.15 ± 0.01 is below 0.2 either way
    expect(c.low).toBe(4);
    expect(c.high).toBe(4);
    expect(c.uncertain).toBe(false);
  });

  it('negative values count as 0; a curve that does not fall by D crosses nowhere', () => {
    expect(crossingOf([1, -0.5, 0.5], [0.01, 0.01, 0.01]).crossing).toBe(1);
    const flat = crossingOf([1, 0.9, 0.8], [0.01, 0.01, 0.01]);
    expect(flat.crossing).toBeNull();
    expect(flat.uncertain).toBe(false);
  });

  it('uncertain when mean − SE and mean + SE cross more than 2 delays apart, or an SE is missing', () => {
    const wide = crossingOf([1, 0.5, 0.2, 0.12, 0.11, 0.105, 0.09, 0.05], new Array(8).fill(0.05));
    // 0.12 − 0.05 < 0.1 at τ = 3; 0.05 + 0.05 is not below 0.1: the upper band does not cross by D
    expect(wide.low).toBe(3);
    expect(wide.high).toBeNull();
    expect(wide.uncertain).toBe(true);
    expect(crossingOf([1, 0.5, 0.05], [0.01, null, 0.01]).uncertain).toBe(true);
  });
});

describe('gradient-matches-behaviour', () => {
  it('holds when the crossings are within 2 delays (σ₁ at 4, Δ at 5)', () => {
    // Δ = 3·0.6^τ: 10 % = 0.3, 3·0.6^5 = 0.233 < 0.3 < 3·0.6^4 = 0.389
    const r = gradientMatchesBehaviour(sweep, ablation((t) => 3 * 0.6 ** t, () => 0.005));
    expect(r.numbers['sigma1.cross']).toBe(4);
    expect(r.numbers['delta.cross']).toBe(5);
    expect(r.holds).toBe(true);
  });

  it('does not hold when they are more than 2 delays apart (σ₁ at 4, Δ at 9)', () => {
    // Δ = 3·0.77^τ: 0.77^8 = 0.123, 0.77^9 = 0.095
    const r = gradientMatchesBehaviour(sweep, ablation((t) => 3 * 0.77 ** t, () => 0.002));
    expect(r.numbers['delta.cross']).toBe(9);
    expect(r.holds).toBe(false);
    expect(r.detail).toMatch(/5 delays apart/);
  });

  it('does not hold when Δ does not fall by D while σ₁ fell long before', () => {
    const r = gradientMatchesBehaviour(sweep, ablation((t) => 3 - 0.1 * t, () => 0.01));
    expect(r.numbers['delta.cross']).toBeNull();
    expect(r.holds).toBe(false);
  });

  it('cannot tell when the SE of Δ makes its crossing uncertain by more than 2 delays', () => {
    const r = gradientMatchesBehaviour(sweep, ablation((t) => 3 * 0.6 ** t, () => 0.3));
    expect(r.holds).toBeNull();
    expect(r.reason).toMatch(/crossing of Δ uncertain/);
  });

  it('negative Δ values count as 0 (Δ at 2, not at 1 where it is −0.2)', () => {
    const r = gradientMatchesBehaviour(sweep, ablation((t) => (t === 0 ? 2 : t === 1 ? 0.5 : t === 2 ? -0.2 : 0.01), () => 0.001));
    expect(r.numbers['delta.max']).toBe(2);
    expect(r.numbers['delta.cross']).toBe(2);
    expect(r.holds).toBe(true);
  });

  it('refuses a pair of different model, corpus or split, naming what differs', () => {
    const other = ablation((t) => 3 * 0.6 ** t, () => 0.005, { split: 'valid', model: 'other' });
    expect(() => gradientMatchesBehaviour(sweep, other)).toThrow(/model 'lm' vs 'other'; split 'test' vs 'valid'/);
  });

  it('is the last row of the findings checked beside an ablation', () => {
    const f = checkFindingsWithAblation(sweep, ablation((t) => 3 * 0.6 ** t, () => 0.005));
    expect(f.ablation).toBe('abl');
    expect(f.findings.at(-1)).toMatchObject({ id: 'gradient-matches-behaviour', holds: true });
    expect(f.findings).toHaveLength(10);
  });
});
