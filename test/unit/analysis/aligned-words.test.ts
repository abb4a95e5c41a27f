import { describe, expect, it } from 'vitest';
import { alignedWords } from '../../../main/engine/analysis/aligned-words';
import { equalVarianceNormalisation, normaliseGradient } from '../../../main/engine/analysis/normalisation';
import { spectrumOf } from '../../../main/engine/analysis/spectrum';
import { fromSvd, gaussian, orthonormal, rng } from './helpers';

const E = 6;
const V_WORDS = 40;

function vocabAndEmbeddings(seed: number) {
  const g = gaussian(rng(seed));
  const vocab = Array.from({ length: V_WORDS }, (_, i) => `w${i}`);
  const data = Float64Array.from({ length: V_WORDS * E }, g);
  return { vocab, emb: { data, rows: V_WORDS, cols: E } };
}

describe('aligned words', () => {
  it('puts a word whose embedding is exactly v₁ first (cos 1), and −v₁ first at the negative end', () => {
    const rand = rng(51);
    const { vocab, emb } = vocabAndEmbeddings(52);
    const U = orthonormal(8, E, rand);
    const V = orthonormal(E, E, rand);
    const sp = spectrumOf(fromSvd(U, [6, 5, 4, 3, 2, 1], V));
    // Word 17 is 2.5·v₁ (cosine ignores length), word 3 is −v₁, word 9 is v₂.
    sp.right[0].forEach((x, j) => {
      emb.data[17 * E + j] = 2.5 * x;
      emb.data[3 * E + j] = -x;
    });
    sp.right[1].forEach((x, j) => (emb.data[9 * E + j] = x));
    emb.data.fill(0, 20 * E, 21 * E); // a zero row has no direction: skipped
    const out = alignedWords(sp.right.slice(0, 5), emb, vocab, { top: 4 });
    expect(out).toHaveLength(5);
    expect(out[0].k).toBe(1);
    expect(out[0].positive[0]).toMatchObject({ word: 'w17', id: 17 });
    expect(out[0].positive[0].cos).toBeCloseTo(1, 13);
    expect(out[0].negative[0].word).toBe('w3');
    expect(out[0].negative[0].cos).toBeCloseTo(-1, 13);
    expect(out[1].positive[0].word).toBe('w9');
    expect(out[0].positive).toHaveLength(4);
    // Sorted: positives descending, negatives ascending, and cosines checked by hand.
    for (let i = 1; i < 4; i++) {
      expect(out[0].positive[i].cos).toBeLessThanOrEqual(out[0].positive[i - 1].cos);
      expect(out[0].negative[i].cos).toBeGreaterThanOrEqual(out[0].negative[i - 1].cos);
    }
    const w = out[0].positive[2];
    const row = emb.data.subarray(w.id * E, w.id * E + E);
    const hand = row.reduce((s, x, j) => s + x * sp.right[0][j], 0) / Math.hypot(...row);
    expect(w.cos).toBeCloseTo(hand, 13);
    expect(out.flatMap((d) => [...d.positive, ...d.negative]).some((x) => x.id === 20)).toBe(false);
    const ex = alignedWords(sp.right.slice(0, 1), emb, vocab, { exclude: ['w17'] });
    expect(ex[0].positive[0].word).not.toBe('w17');
  });

  it('in normalised space compares v_k with Z·e_w', () => {
    const rand = rng(53);
    const { vocab, emb } = vocabAndEmbeddings(54);
    const nm = equalVarianceNormalisation(emb);
    const G = fromSvd(orthonormal(8, E, rand), [6, 5, 4, 3, 2, 1], orthonormal(E, E, rand));
    const sp = spectrumOf(normaliseGradient(G, nm));
    // e = D·v₁  ⇒  Z·e = v₁. (Changing one row changes C slightly, so use the original D.)
    const v1 = sp.right[0];
    const e = Float64Array.from({ length: E }, (_, i) => {
      let s = 0;
      for (let k = 0; k <= i; k++) s += nm.D[i * E + k] * v1[k];
      return s;
    });
    emb.data.set(e, 25 * E);
    const out = alignedWords([v1], emb, vocab, { normalisation: nm });
    expect(out[0].positive[0].word).toBe('w25');
    expect(out[0].positive[0].cos).toBeCloseTo(1, 12);
  });
});
