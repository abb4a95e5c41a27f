import { describe, expect, it } from 'vitest';
import { groupStandardErrors, standardError } from '../../../main/engine/analysis/standard-error';
import { fromSvd, orthonormal, rng } from './helpers';

describe('between-group standard errors', () => {
  it('is sd/√K with the sample sd', () => {
    const se = standardError([1, 2, 3, 4])!;
    expect(se.mean).toBe(2.5);
    expect(se.sd).toBeCloseTo(Math.sqrt(5 / 3), 15);
    expect(se.se).toBeCloseTo(Math.sqrt(5 / 3) / 2, 15);
    expect(se.groups).toBe(4);
    expect(standardError([1])).toBeNull();
    expect(standardError([1, NaN, 3])!.groups).toBe(2);
  });

  it('matches hand values for σ₁, Σσ and m on constructed group matrices', () => {
    const rand = rng(61);
    const U = orthonormal(5, 3, rand);
    const V = orthonormal(4, 3, rand);
    const groupS = [
      [4, 2, 1],
      [5, 1, 1],
      [3, 3, 0.5],
      [6, 2, 2],
    ];
    const groups = groupS.map((s) => fromSvd(U, s, V));
    const d = V[0].map((x, i) => (x + V[1][i]) / Math.SQRT2);
    const out = groupStandardErrors(groups, { p: d });
    const hand = (v: number[]) => {
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
      return { mean: m, se: sd / Math.sqrt(v.length) };
    };
    const s1 = hand(groupS.map((s) => Math.max(...s)));
    const sum = hand(groupS.map((s) => s[0] + s[1] + s[2]));
    const m = hand(groupS.map((s) => Math.sqrt(s[0] ** 2 + s[1] ** 2) / Math.SQRT2 / Math.max(...s)));
    expect(out.sigma1!.mean).toBeCloseTo(s1.mean, 12);
    expect(out.sigma1!.se).toBeCloseTo(s1.se, 12);
    expect(out.sum!.se).toBeCloseTo(sum.se, 12);
    expect(out.m.p!.mean).toBeCloseTo(m.mean, 12);
    expect(out.m.p!.se).toBeCloseTo(m.se, 12);
    expect(out.sigma1!.groups).toBe(4);
  });
});
