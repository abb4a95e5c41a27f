import { describe, expect, it } from 'vitest';
import {
  NormalisationError,
  equalVarianceNormalisation,
  normaliseGradient,
  normaliseStack,
  normaliseVector,
} from '../../../main/engine/analysis/normalisation';
import { stackDelays } from '../../../main/engine/analysis/matrix';
import { propertyMemory } from '../../../main/engine/analysis/properties';
import { spectrumOf } from '../../../main/engine/analysis/spectrum';
import { gaussian, normOfProduct, normT, orthonormal, rng } from './helpers';

const E = 5;
const N = 40;
// Upper triangular with positive diagonal: C = SᵀS has Cholesky factor D = Sᵀ exactly.
const S = [
  [2, 0.5, -0.3, 0.1, 0.7],
  [0, 1.5, 0.2, -0.4, 0.3],
  [0, 0, 0.8, 0.6, -0.2],
  [0, 0, 0, 1.1, 0.5],
  [0, 0, 0, 0, 0.4],
];

/** Rows whose SAMPLE covariance is exactly SᵀS: X = μ + √(N−1)·Q·S, Q orthonormal columns ⟂ 1. */
function embeddingsWithCovariance(seed: number, s: number[][] = S) {
  const rand = rng(seed);
  const basis = [Float64Array.from({ length: N }, () => 1 / Math.sqrt(N))];
  const more = orthonormal(N, E + 1, rand); // re-orthogonalise against the ones vector below
  for (const v of more) {
    for (const q of basis) {
      const p = q.reduce((a, x, i) => a + x * v[i], 0);
      v.forEach((_, i) => (v[i] -= p * q[i]));
    }
    const nv = normT(v);
    if (nv > 1e-8 && basis.length < E + 1) basis.push(v.map((x) => x / nv));
  }
  const Q = basis.slice(1);
  const mu = [0.3, -1, 2, 0.5, 0];
  const data = new Float64Array(N * E);
  for (let r = 0; r < N; r++) {
    for (let j = 0; j < E; j++) {
      let acc = 0;
      for (let k = 0; k < E; k++) acc += Q[k][r] * s[k][j];
      data[r * E + j] = mu[j] + Math.sqrt(N - 1) * acc;
    }
  }
  return { data, rows: N, cols: E };
}

describe('equal-variance normalisation', () => {
  const emb = embeddingsWithCovariance(31);
  const nm = equalVarianceNormalisation(emb);

  it('computes the sample covariance and D = chol(C) lower', () => {
    expect(nm.covariance).toBe('sample');
    expect(nm.rows).toBe(N);
    for (let i = 0; i < E; i++) {
      for (let j = 0; j < E; j++) {
        let c = 0;
        for (let k = 0; k < E; k++) c += S[k][i] * S[k][j];
        expect(nm.C[i * E + j]).toBeCloseTo(c, 12);
        expect(nm.D[i * E + j]).toBeCloseTo(S[j][i], 12); // D = Sᵀ
      }
    }
    expect(nm.mean[1]).toBeCloseTo(-1, 12);
  });

  it('Z is the inverse of D: D·Z = Z·D = I, Z lower triangular', () => {
    for (let i = 0; i < E; i++) {
      for (let j = 0; j < E; j++) {
        let dz = 0;
        let zd = 0;
        for (let k = 0; k < E; k++) {
          dz += nm.D[i * E + k] * nm.Z[k * E + j];
          zd += nm.Z[i * E + k] * nm.D[k * E + j];
        }
        expect(dz).toBeCloseTo(i === j ? 1 : 0, 13);
        expect(zd).toBeCloseTo(i === j ? 1 : 0, 13);
        if (j > i) expect(nm.Z[i * E + j]).toBe(0);
      }
    }
  });

  it('whitens the embeddings: Z·(x − μ) has identity sample covariance', () => {
    const w = Array.from({ length: N }, (_, r) =>
      normaliseVector(Array.from({ length: E }, (_, j) => emb.data[r * E + j] - nm.mean[j]), nm),
    );
    for (let i = 0; i < E; i++) {
      for (let j = 0; j < E; j++) {
        const c = w.reduce((a, x) => a + x[i] * x[j], 0) / (N - 1);
        expect(c).toBeCloseTo(i === j ? 1 : 0, 12);
      }
    }
  });

  it('leaves r invariant: ‖(ḠD)(Zd)‖ = ‖Ḡd‖, and m uses the normalised spectrum', () => {
    const g = gaussian(rng(32));
    const G = { data: Float64Array.from({ length: 7 * E }, g), rows: 7, cols: E };
    const d = Float64Array.from({ length: E }, g);
    const GD = normaliseGradient(G, nm);
    const Zd = normaliseVector(d, nm);
    expect(normOfProduct(GD, Zd)).toBeCloseTo(normOfProduct(G, d), 12);
    // ḠD computed independently.
    for (let i = 0; i < 7; i++) {
      for (let j = 0; j < E; j++) {
        let s = 0;
        for (let k = 0; k < E; k++) s += G.data[i * E + k] * S[j][k];
        expect(GD.data[i * E + j]).toBeCloseTo(s, 12);
      }
    }
    const unit = Zd.map((x) => x / normT(Zd));
    const sp = spectrumOf(GD);
    expect(propertyMemory(GD, sp, unit).m).toBeCloseTo(normOfProduct(G, d) / normT(Zd) / sp.sigma1, 12);
    const st = normaliseStack(stackDelays([G, G]), nm);
    expect(Array.from(st.data.subarray(7 * E))).toEqual(Array.from(GD.data));
  });

  it('is the identity for embeddings with identity covariance', () => {
    const I = Array.from({ length: E }, (_, i) => Array.from({ length: E }, (_, j) => (i === j ? 1 : 0)));
    const n0 = equalVarianceNormalisation(embeddingsWithCovariance(34, I));
    for (let i = 0; i < E * E; i++) {
      const id = i % (E + 1) === 0 ? 1 : 0;
      expect(n0.D[i]).toBeCloseTo(id, 12);
      expect(n0.Z[i]).toBeCloseTo(id, 12);
    }
    expect(n0.minPivotRatio).toBeCloseTo(1, 12);
  });

  it('refuses a singular covariance with a clear error, and accepts it with a ridge', () => {
    const data = Float64Array.from(emb.data);
    for (let r = 0; r < N; r++) data[r * E + 3] = 2 * data[r * E + 0] - data[r * E + 1];
    const singular = { data, rows: N, cols: E };
    expect(() => equalVarianceNormalisation(singular)).toThrow(NormalisationError);
    expect(() => equalVarianceNormalisation(singular)).toThrow(/dimension 3 is .*linear combination.*ridge/);
    const ridged = equalVarianceNormalisation(singular, { ridge: 1e-6 });
    let trace = 0;
    for (let i = 0; i < E; i++) trace += ridged.C[i * E + i] - ridged.ridgeAbsolute;
    expect(ridged.ridgeAbsolute).toBeCloseTo((1e-6 * trace) / E, 18);
    expect(ridged.minPivotRatio).toBeGreaterThan(0);
    const few = { data: emb.data.subarray(0, 4 * E), rows: 4, cols: E };
    expect(() => equalVarianceNormalisation(few)).toThrow(/only 4 rows for 5 dimensions/);
    expect(() => equalVarianceNormalisation(emb, { ridge: -1 })).toThrow(/ridge/);
  });

  it('can restrict the covariance to chosen rows', () => {
    const part = equalVarianceNormalisation(emb, { rows: Array.from({ length: 20 }, (_, i) => i) });
    expect(part.rows).toBe(20);
    expect(() => equalVarianceNormalisation(emb, { rows: [0, 99] })).toThrow(/row 99/);
  });
});
