import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { singularValues } from '../../../main/engine/analysis/singular-values';
import { fromSvd, gaussian, orthonormal, rng } from './helpers';

function reference(data: Float64Array, rows: number, cols: number): number[] {
  const m = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) m.set(i, j, data[i * cols + j]);
  const svd = new SingularValueDecomposition(m, {
    computeLeftSingularVectors: false,
    computeRightSingularVectors: false,
    autoTranspose: true,
  });
  return svd.diagonal.slice(0, Math.min(rows, cols));
}

describe('values-only SVD', () => {
  it('agrees with ml-matrix on random tall, square and wide matrices', () => {
    const g = gaussian(rng(81));
    for (const [r, c] of [
      [30, 30],
      [40, 17],
      [17, 40],
      [1, 9],
      [9, 1],
      [2, 2],
    ]) {
      const data = Float64Array.from({ length: r * c }, g);
      const mine = singularValues({ data, rows: r, cols: c });
      const ref = reference(data, r, c);
      expect(mine.length).toBe(Math.min(r, c));
      ref.forEach((x, i) => expect(Math.abs(mine[i] - x)).toBeLessThan(1e-13 * ref[0]));
    }
  });

  it('recovers known singular values, including zeros and repeated ones', () => {
    const rand = rng(82);
    const s = [5, 5, 2, 1e-3, 0, 0];
    const data = fromSvd(orthonormal(11, 6, rand), s, orthonormal(8, 6, rand));
    const mine = singularValues(data);
    [...s, 0, 0].forEach((x, i) => expect(Math.abs(mine[i] - x)).toBeLessThan(1e-13));
    expect(Array.from(singularValues({ data: new Float64Array(6), rows: 2, cols: 3 }))).toEqual([0, 0]);
    expect(() => singularValues({ data: Float64Array.of(1, Infinity), rows: 1, cols: 2 })).toThrow(/non-finite/);
  });

  it('handles tiny and huge scales (state gradients decay over delays)', () => {
    const rand = rng(83);
    const U = orthonormal(6, 4, rand);
    const V = orthonormal(5, 4, rand);
    for (const scale of [1e-150, 1e-20, 1e20]) {
      const mine = singularValues(fromSvd(U, [4, 3, 2, 1].map((x) => x * scale), V));
      [4, 3, 2, 1].forEach((x, i) => expect(mine[i] / scale).toBeCloseTo(x, 12));
    }
  });
});
