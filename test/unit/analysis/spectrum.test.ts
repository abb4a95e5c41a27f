import { describe, expect, it } from 'vitest';
import { spectraOf, spectrumOf } from '../../../main/engine/analysis/spectrum';
import { stackDelays } from '../../../main/engine/analysis/matrix';
import { dotT, fromSvd, normT, orthonormal, rng } from './helpers';

function check(H: number, E: number, s: number[], seed: number): void {
  const rand = rng(seed);
  const n = Math.min(H, E);
  const U = orthonormal(H, n, rand);
  const V = orthonormal(E, n, rand);
  const g = fromSvd(U, s, V);
  const sp = spectrumOf(g, { vectors: n });
  const sorted = [...s].sort((a, b) => b - a);
  expect(sp.sigma.length).toBe(n);
  sorted.forEach((x, i) => expect(Math.abs(sp.sigma[i] - x)).toBeLessThan(1e-10));
  const sum = s.reduce((a, b) => a + b, 0);
  expect(sp.sum).toBeCloseTo(sum, 10);
  expect(sp.ratio1).toBeCloseTo(sorted[0] / sum, 12);
  expect(sp.ratio5).toBeCloseTo(sorted.slice(0, 5).reduce((a, b) => a + b, 0) / sum, 12);
  // Singular vectors: v_k = ±V_k (distinct σ), Ḡ v_k = σ_k u_k, unit norm, sign convention.
  const order = s.map((_, i) => i).sort((i, j) => s[j] - s[i]);
  for (let k = 0; k < n; k++) {
    expect(Math.abs(Math.abs(dotT(sp.right[k], V[order[k]])) - 1)).toBeLessThan(1e-9);
    expect(Math.abs(Math.abs(dotT(sp.left[k], U[order[k]])) - 1)).toBeLessThan(1e-9);
    expect(sp.right[k].length).toBe(E);
    expect(sp.left[k].length).toBe(H);
    const big = sp.right[k].reduce((b, x) => (Math.abs(x) > Math.abs(b) ? x : b), 0);
    expect(big).toBeGreaterThan(0);
    // u and v carry the same sign: u_kᵀ Ḡ v_k = σ_k > 0.
    let uGv = 0;
    for (let i = 0; i < H; i++) for (let j = 0; j < E; j++) uGv += sp.left[k][i] * g.data[i * E + j] * sp.right[k][j];
    expect(uGv).toBeCloseTo(sp.sigma[k], 10);
  }
}

describe('spectrum', () => {
  it('recovers known singular values of a tall Ḡ (H > E)', () => check(12, 8, [5, 3.5, 2, 1.25, 1, 0.5, 0.25, 0.125], 1));
  it('recovers known singular values of a square Ḡ', () => check(10, 10, [9, 7, 4, 3, 2.5, 2, 1, 0.3, 0.2, 0.01], 2));
  it('recovers known singular values of a wide Ḡ (H < E, autoTranspose)', () => check(6, 15, [0.8, 2.4, 0.1, 1.6, 0.05, 0.4], 3));

  it('matches hand values on a 2×2 case and orders descending', () => {
    const sp = spectrumOf({ data: new Float64Array([3, 0, 0, -4]), rows: 2, cols: 2 });
    expect(Array.from(sp.sigma)).toEqual([4, 3]);
    expect(sp.ratio1).toBeCloseTo(4 / 7, 15);
    expect(sp.ratio5).toBe(1);
    expect(Math.abs(sp.right[0][1])).toBeCloseTo(1, 15);
    expect(sp.right[0][1]).toBeGreaterThan(0);
    expect(sp.left[0][1]).toBeCloseTo(-1, 15); // Ḡ e₂ = −4 e₂
  });

  it('handles rank deficiency (falls back to the full SVD for the left vectors)', () => {
    const rand = rng(4);
    const U = orthonormal(9, 3, rand);
    const V = orthonormal(7, 3, rand);
    const g = fromSvd(U, [3, 2, 1], V);
    const sp = spectrumOf(g, { vectors: 5 });
    expect(sp.sigma[3]).toBeLessThan(1e-12);
    expect(sp.left).toHaveLength(5);
    for (let a = 0; a < 5; a++) {
      expect(normT(sp.left[a])).toBeCloseTo(1, 10);
      for (let b = 0; b < a; b++) expect(Math.abs(dotT(sp.left[a], sp.left[b]))).toBeLessThan(1e-10);
    }
    expect(Math.abs(dotT(sp.left[0], U[0]))).toBeCloseTo(1, 10);
  });

  it('reports undefined ratios for an all-zero Ḡ (a class absent at this delay)', () => {
    const sp = spectrumOf({ data: new Float64Array(12), rows: 3, cols: 4 }, { vectors: 0 });
    expect(sp.sigma1).toBe(0);
    expect(sp.sum).toBe(0);
    expect(sp.ratio1).toBeNaN();
    expect(sp.right).toHaveLength(0);
  });

  it('accepts float32 input and rejects non-finite values', () => {
    const rand = rng(5);
    const g = fromSvd(orthonormal(5, 4, rand), [4, 3, 2, 1], orthonormal(4, 4, rand));
    const sp = spectrumOf({ data: Float32Array.from(g.data), rows: 5, cols: 4 });
    [4, 3, 2, 1].forEach((x, i) => expect(sp.sigma[i]).toBeCloseTo(x, 5));
    const bad = Float64Array.from(g.data);
    bad[3] = NaN;
    expect(() => spectrumOf({ data: bad, rows: 5, cols: 4 })).toThrow(/non-finite/);
    expect(() => spectrumOf({ data: new Float64Array(5), rows: 2, cols: 3 })).toThrow(/do not fill/);
  });

  it('decomposes every delay of a stack', () => {
    const rand = rng(6);
    const U = orthonormal(4, 3, rand);
    const V = orthonormal(3, 3, rand);
    const stack = stackDelays([0, 1, 2].map((t) => fromSvd(U, [3, 2, 1].map((x) => x * Math.exp(-t)), V)));
    const seen: number[] = [];
    const sp = spectraOf(stack, { vectors: 1 }, (t) => seen.push(t));
    expect(seen).toEqual([0, 1, 2]);
    sp.forEach((s, t) => expect(s.sigma1).toBeCloseTo(3 * Math.exp(-t), 12));
  });
});
