import { describe, expect, it } from 'vitest';
import {
  BUILTIN_PROPERTIES,
  parsePropertySpec,
  propertyMemory,
  propertyVector,
} from '../../../main/engine/analysis/properties';
import { spectrumOf } from '../../../main/engine/analysis/spectrum';
import { fromSvd, gaussian, orthonormal, rng } from './helpers';

const H = 14;
const E = 12;
const S = [6, 4, 3, 2.5, 2, 1.5, 1.2, 1, 0.8, 0.6, 0.4, 0.2];

function setup(seed: number) {
  const rand = rng(seed);
  const U = orthonormal(H, E, rand);
  const V = orthonormal(E, E, rand);
  const g = fromSvd(U, S, V);
  const sp = spectrumOf(g, { vectors: 10 });
  return { g, sp, V };
}

describe('property memory on constructed cases', () => {
  it('d = v₁ gives m = 1 and cos(d, H_n) = 1 for every n', () => {
    const { g, sp, V } = setup(11);
    const pm = propertyMemory(g, sp, V[0]);
    expect(pm.m).toBeCloseTo(1, 12);
    expect(pm.r).toBeCloseTo(S[0], 12);
    expect(pm.cos).toHaveLength(10);
    pm.cos.forEach((c) => expect(c).toBeCloseTo(1, 12));
    // The sign of d does not matter.
    const neg = propertyMemory(g, sp, V[0].map((x) => -x));
    expect(neg.m).toBeCloseTo(1, 12);
  });

  it('d orthogonal to H_n gives cos(d, H_k) = 0 for k ≤ n', () => {
    const { g, sp, V } = setup(12);
    for (const n of [1, 3, 7]) {
      const pm = propertyMemory(g, sp, V[n]); // v_{n+1} ⟂ v_1..v_n
      for (let k = 0; k < n; k++) expect(pm.cos[k]).toBeLessThan(1e-12);
      for (let k = n; k < 10; k++) expect(pm.cos[k]).toBeCloseTo(1, 12);
      expect(pm.m).toBeCloseTo(S[n] / S[0], 12);
    }
  });

  it('d = (v₁ + v₂)/√2 gives cos(d, H₁) = 1/√2 and m = √(σ₁² + σ₂²)/(√2 σ₁)', () => {
    const { g, sp, V } = setup(13);
    const d = V[0].map((x, i) => (x + V[1][i]) / Math.SQRT2);
    const pm = propertyMemory(g, sp, d);
    expect(pm.cos[0]).toBeCloseTo(1 / Math.SQRT2, 12);
    expect(pm.cos[1]).toBeCloseTo(1, 12);
    expect(pm.m).toBeCloseTo(Math.sqrt(S[0] ** 2 + S[1] ** 2) / (Math.SQRT2 * S[0]), 12);
  });

  it('a general d: cos(d, H_n)² is the sum of squared projections', () => {
    const { g, sp, V } = setup(14);
    const c = [0.5, -0.1, 0.3, 0.2, 0.4, -0.3, 0.1, 0.2, 0.3, 0.1, 0.4, 0.25];
    const nc = Math.sqrt(c.reduce((a, x) => a + x * x, 0));
    const d = new Float64Array(E);
    c.forEach((ck, k) => V[k].forEach((x, i) => (d[i] += (ck / nc) * x)));
    const pm = propertyMemory(g, sp, d);
    let acc = 0;
    for (let n = 0; n < 10; n++) {
      acc += (c[n] / nc) ** 2;
      expect(pm.cos[n]).toBeCloseTo(Math.sqrt(acc), 12);
    }
    expect(pm.m).toBeCloseTo(Math.sqrt(c.reduce((a, x, k) => a + (x * S[k]) ** 2, 0)) / nc / S[0], 12);
  });
});

describe('property vectors from classes', () => {
  // Embeddings: class a words are v₁ + noise-free offsets that cancel in the mean.
  const rand = rng(21);
  const V = orthonormal(E, 3, rand);
  const vocab = ['<unk>', 'cat', 'dog', 'cats', 'dogs', 'fish', 'Paris', 'Rome'];
  const rows: Float64Array[] = vocab.map(() => new Float64Array(E));
  const set = (w: string, f: (i: number) => number) => rows[vocab.indexOf(w)].forEach((_, i, r) => (r[i] = f(i)));
  set('cat', (i) => V[0][i] + V[1][i]);
  set('dog', (i) => V[0][i] - V[1][i]);
  set('cats', (i) => -V[0][i] + V[2][i]);
  set('dogs', (i) => -V[0][i] - V[2][i]);
  set('fish', (i) => 7 * V[2][i]);
  const emb = { data: Float64Array.from(rows.flatMap((r) => Array.from(r))), rows: vocab.length, cols: E };
  const classes = {
    'noun-sg': ['cat', 'dog', 'cat', 'unicorn'],
    'noun-pl': ['cats', 'dogs', 'unicorns', 'geese'],
    empty: ['zzz'],
  };

  it('builds d = ē_a − ē_b over vocabulary word types and reports what it found', () => {
    const p = propertyVector(BUILTIN_PROPERTIES[0], classes, vocab, emb);
    expect(p.a.listed).toBe(3);
    expect(p.a.ids).toEqual([1, 2]);
    expect(p.a.missingSample).toEqual(['unicorn']);
    expect(p.b.ids).toEqual([3, 4]);
    expect(p.b.missingSample).toEqual(['unicorns', 'geese']);
    expect(p.overlap).toBe(0);
    // ē_a = v₁, ē_b = −v₁ → d = 2v₁.
    p.d.forEach((x, i) => expect(x).toBeCloseTo(2 * V[0][i], 14));
    expect(p.norm).toBeCloseTo(2, 14);
    p.unit.forEach((x, i) => expect(x).toBeCloseTo(V[0][i], 14));
  });

  it('a property along v₁ of a Ḡ has m = 1', () => {
    const U = orthonormal(H, 3, rand);
    const g = fromSvd(U, [5, 2, 1], V);
    const p = propertyVector(BUILTIN_PROPERTIES[0], classes, vocab, emb);
    const pm = propertyMemory(g, spectrumOf(g), p.unit);
    expect(pm.m).toBeCloseTo(1, 12);
    expect(pm.cos[0]).toBeCloseTo(1, 12);
  });

  it('explains unknown classes, classes with no vocabulary words and shape mismatches', () => {
    expect(() => propertyVector({ name: 'x', classA: 'noun-sg', classB: 'verb' }, classes, vocab, emb)).toThrow(
      /class 'verb' is not defined; known classes: noun-sg, noun-pl, empty/,
    );
    expect(() => propertyVector({ name: 'x', classA: 'noun-sg', classB: 'empty' }, classes, vocab, emb)).toThrow(
      /none of the 1 words of class 'empty' is in the model's vocabulary/,
    );
    expect(() => propertyVector(BUILTIN_PROPERTIES[0], classes, vocab.slice(1), emb)).toThrow(/8 rows/);
    const same = { a: ['cat'], b: ['cat', 'cat'] };
    expect(() => propertyVector({ name: 'x', classA: 'a', classB: 'b' }, same, vocab, emb)).toThrow(/coincide/);
  });

  it('uses Gaussian embeddings without trouble (d not along any singular vector)', () => {
    const g = gaussian(rng(3));
    const e2 = { data: Float64Array.from({ length: vocab.length * E }, g), rows: vocab.length, cols: E };
    const p = propertyVector(BUILTIN_PROPERTIES[0], classes, vocab, e2);
    expect(Math.hypot(...p.unit)).toBeCloseTo(1, 14);
  });
});

describe('parsePropertySpec', () => {
  it('parses NAME=CLASS_A:CLASS_B and built-in names', () => {
    expect(parsePropertySpec('sg-pl=noun-sg:noun-pl')).toEqual({ name: 'sg-pl', classA: 'noun-sg', classB: 'noun-pl' });
    expect(parsePropertySpec(' past = VBD : VBN ')).toEqual({ name: 'past', classA: 'VBD', classB: 'VBN' });
    expect(parsePropertySpec('common-proper')).toEqual({ name: 'common-proper', classA: 'noun-common', classB: 'noun-proper' });
  });
  it('rejects malformed specs with a clear message', () => {
    expect(() => parsePropertySpec('noun-sg:noun-pl')).toThrow(/no '='.*NAME=CLASS_A:CLASS_B/);
    expect(() => parsePropertySpec('p=a:b:c')).toThrow(/exactly one ':'/);
    expect(() => parsePropertySpec('p=a')).toThrow(/exactly one ':'/);
    expect(() => parsePropertySpec('p=:b')).toThrow(/both classes/);
    expect(() => parsePropertySpec('p=a:a')).toThrow(/two different classes/);
    expect(() => parsePropertySpec('=a:b')).toThrow(/not a valid name/);
  });
});
