import { describe, expect, it } from 'vitest';
import { fitLogistic, linearProbe } from '../../../main/engine/analysis/linear-probe';
import { gaussian, rng } from './helpers';

function clusters(nA: number, nB: number, E: number, sep: number, seed: number) {
  const g = gaussian(rng(seed));
  const dir = Float64Array.from({ length: E }, (_, j) => (j === 0 ? 1 : 0.3));
  const data = new Float64Array((nA + nB) * E);
  for (let r = 0; r < nA + nB; r++) {
    const side = r < nA ? 1 : -1;
    for (let j = 0; j < E; j++) data[r * E + j] = side * sep * dir[j] + 0.5 * g();
  }
  const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
  return { emb: { data, rows: nA + nB, cols: E }, a: ids(0, nA), b: ids(nA, nB) };
}

describe('linear probe', () => {
  it('separates linearly separable clusters: held-out accuracy 1 against a 0.6 baseline', () => {
    const { emb, a, b } = clusters(60, 40, 8, 3, 41);
    const p = linearProbe(emb, a, b);
    expect(p.testSize).toBe(20); // round(0.2·60) + round(0.2·40)
    expect(p.trainSize).toBe(80);
    expect(p.testAccuracy).toBe(1);
    expect(p.trainAccuracy).toBe(1);
    expect(p.baseline).toBeCloseTo(12 / 20, 15);
    expect(p.converged).toBe(true);
  });

  it('stays near the majority baseline on random labels', () => {
    const g = gaussian(rng(42));
    const n = 500;
    const E = 6;
    const emb = { data: Float64Array.from({ length: n * E }, g), rows: n, cols: E };
    const r = rng(43);
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < n; i++) (r() < 0.5 ? a : b).push(i);
    const p = linearProbe(emb, a, b, { seed: 7 });
    expect(Math.abs(p.testAccuracy - p.baseline)).toBeLessThan(0.12);
    expect(p.testAccuracy).toBeLessThan(0.65);
  });

  it('is deterministic for a seed, stratified, and drops words in both classes', () => {
    const { emb, a, b } = clusters(30, 30, 4, 0.4, 44);
    const p1 = linearProbe(emb, a, b, { seed: 3 });
    const p2 = linearProbe(emb, [...a].reverse(), b, { seed: 3 });
    expect(p2).toEqual(p1);
    const p3 = linearProbe(emb, [...a, 30, 31], b, { seed: 3 });
    expect(p3.countA).toBe(30);
    expect(p3.countB).toBe(28);
    expect(p3.testSize).toBe(6 + 6);
    expect(() => linearProbe(emb, [0], b)).toThrow(/at least 2 word types per class/);
  });

  it('reaches the optimum of the L2-regularised objective (gradient = 0, agrees with Newton)', () => {
    const { emb, a, b } = clusters(25, 35, 3, 0.8, 45);
    const rows: [number, number][] = [...a.map((i) => [i, 1] as [number, number]), ...b.map((i) => [i, -1] as [number, number])];
    const lambda = 0.7;
    const fit = fitLogistic(emb, rows, lambda);
    // Independent Newton iterations on θ = [w, b] with a 4×4 solve.
    const E = 3;
    const th = new Float64Array(E + 1);
    for (let it = 0; it < 30; it++) {
      const gr = new Float64Array(E + 1);
      const Hs = Array.from({ length: E + 1 }, () => new Float64Array(E + 1));
      for (const [id, y] of rows) {
        const x = [...emb.data.subarray(id * E, id * E + E), 1];
        const z = x.reduce((s, xi, j) => s + xi * th[j], 0);
        const p = 1 / (1 + Math.exp(-z));
        const t = (y + 1) / 2;
        x.forEach((xi, j) => {
          gr[j] += (p - t) * xi;
          x.forEach((xk, k) => (Hs[j][k] += p * (1 - p) * xi * xk));
        });
      }
      for (let j = 0; j < E; j++) {
        gr[j] += lambda * th[j];
        Hs[j][j] += lambda;
      }
      // Gaussian elimination.
      const A = Hs.map((r, i) => [...r, gr[i]]);
      for (let c = 0; c <= E; c++) {
        for (let r = c + 1; r <= E; r++) {
          const f = A[r][c] / A[c][c];
          for (let k = c; k <= E + 1; k++) A[r][k] -= f * A[c][k];
        }
      }
      const step = new Float64Array(E + 1);
      for (let r = E; r >= 0; r--) {
        let s = A[r][E + 1];
        for (let k = r + 1; k <= E; k++) s -= A[r][k] * step[k];
        step[r] = s / A[r][r];
      }
      th.forEach((_, j) => (th[j] -= step[j]));
    }
    for (let j = 0; j < E; j++) expect(fit.w[j]).toBeCloseTo(th[j], 6);
    expect(fit.b).toBeCloseTo(th[E], 6);
  });
});
