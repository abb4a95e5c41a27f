import { describe, expect, it } from 'vitest';
import { fitExponentialDecay } from '../../../main/engine/analysis/decay-fit';

const taus = Array.from({ length: 31 }, (_, t) => t);

describe('decay fit', () => {
  it('recovers an exact exponential', () => {
    const f = fitExponentialDecay(taus.map((t) => 3 * Math.exp(-t / 4)));
    expect(Math.abs(f.slope + 0.25)).toBeLessThan(1e-9);
    expect(Math.abs(f.intercept - Math.log(3))).toBeLessThan(1e-9);
    expect(Math.abs(f.decayLength! - 4)).toBeLessThan(1e-9);
    expect(Math.abs(f.halfLife! - 4 * Math.LN2)).toBeLessThan(1e-9);
    expect(Math.abs(f.r2! - 1)).toBeLessThan(1e-12);
    expect(f.used).toEqual(taus);
    f.residuals.forEach((r) => expect(Math.abs(r!)).toBeLessThan(1e-12));
  });

  it('shows the residual pattern of a non-exponential decay', () => {
    // log y = −τ²/200 is concave in τ: the line lies below it in the middle, above at the ends.
    const concave = fitExponentialDecay(taus.map((t) => Math.exp(-(t * t) / 200)));
    const r = concave.residuals as number[];
    expect(r[0]).toBeLessThan(0);
    expect(r[30]).toBeLessThan(0);
    expect(r[15]).toBeGreaterThan(0);
    expect(concave.r2!).toBeLessThan(1);
    // A fast plus a slow exponential: log y is convex, so the opposite pattern.
    const convex = fitExponentialDecay(taus.map((t) => Math.exp(-t) + 0.05 * Math.exp(-t / 10)));
    const c = convex.residuals as number[];
    expect(c[0]).toBeGreaterThan(0);
    expect(c[30]).toBeGreaterThan(0);
    expect(c[15]).toBeLessThan(0);
    // A stretched exponential, log y = −√(τ+1), is convex as well.
    const s = fitExponentialDecay(taus.map((t) => Math.exp(-Math.sqrt(t + 1)))).residuals as number[];
    expect([s[0] > 0, s[15] < 0, s[30] > 0]).toEqual([true, true, true]);
  });

  it('honours the fit range and skips non-positive values', () => {
    const y = taus.map((t) => (t === 5 ? 0 : Math.exp(-0.5 * t)));
    y[20] = 999; // outside the range: ignored
    const f = fitExponentialDecay(y, { from: 2, to: 10 });
    expect(f.used).toEqual([2, 3, 4, 6, 7, 8, 9, 10]);
    expect(f.slope).toBeCloseTo(-0.5, 12);
    expect(f.residuals[5]).toBeNull();
    expect(f.residuals[0]).toBeNull();
    expect(f.residuals[20]).toBeNull();
    expect(f.residuals).toHaveLength(31);
  });

  it('reports no decay length for a growing curve, and refuses too few points', () => {
    const f = fitExponentialDecay([1, 2, 4]);
    expect(f.slope).toBeCloseTo(Math.LN2, 14);
    expect(f.decayLength).toBeNull();
    expect(f.halfLife).toBeNull();
    expect(fitExponentialDecay([2, 2, 2]).r2).toBeNull();
    expect(() => fitExponentialDecay([1, 0, 0])).toThrow(/at least 2/);
    expect(() => fitExponentialDecay([1, 2], { from: 1, to: 5 })).toThrow(/not inside/);
  });
});
