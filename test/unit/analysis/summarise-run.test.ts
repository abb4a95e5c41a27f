import { describe, expect, it } from 'vitest';
import { stackDelays } from '../../../main/engine/analysis/matrix';
import { equalVarianceNormalisation, normaliseGradient, normaliseVector } from '../../../main/engine/analysis/normalisation';
import { RunSummarySchema } from '../../../main/engine/analysis/run-summary-schema';
import { spectrumOf } from '../../../main/engine/analysis/spectrum';
import { summariseRun } from '../../../main/engine/analysis/summarise-run';
import { fromSvd, gaussian, normOfProduct, normT, orthonormal, rng } from './helpers';

const H = 7;
const E = 5;
const T = 6;
const S = [4, 2, 1, 0.5, 0.25];

function fixture() {
  const rand = rng(71);
  const g = gaussian(rand);
  const U = orthonormal(H, E, rand);
  const V = orthonormal(E, E, rand);
  const G = stackDelays(Array.from({ length: T }, (_, t) => fromSvd(U, S.map((s) => s * Math.exp(-t / 2)), V)));
  const cls = stackDelays(Array.from({ length: T }, (_, t) => fromSvd(U, t === T - 1 ? [0, 0, 0, 0, 0] : [3, 3, 1, 1, 1], V)));
  const word = stackDelays(Array.from({ length: T }, () => fromSvd(U, [1, 0, 0, 0, 0], V)));
  const groups = [0.9, 1, 1.2].map((f) => stackDelays(Array.from({ length: T }, (_, t) => fromSvd(U, S.map((s, i) => s * (i === 0 ? f : 1) * Math.exp(-t / 2)), V))));
  const vocab = ['<unk>', ...Array.from({ length: 29 }, (_, i) => `w${i}`)];
  const embeddings = { data: Float32Array.from({ length: vocab.length * E }, g), rows: vocab.length, cols: E };
  const classes = { 'noun-sg': ['w0', 'w1', 'w2', 'w3', 'w4', 'w5', 'nope'], 'noun-pl': ['w10', 'w11', 'w12', 'w13', 'w14'] };
  return { G, cls, word, groups, vocab, embeddings, classes };
}

function handD(emb: { data: ArrayLike<number> }, vocab: string[], a: string[], b: string[]): Float64Array {
  const d = new Float64Array(E);
  for (const [ws, sgn] of [[a, 1], [b, -1]] as const) {
    const ids = ws.map((w) => vocab.indexOf(w)).filter((i) => i >= 0);
    for (const id of ids) for (let j = 0; j < E; j++) d[j] += (sgn * emb.data[id * E + j]) / ids.length;
  }
  return d;
}

describe('summariseRun', () => {
  const f = fixture();

  it('produces a schema-valid, JSON-clean per-delay summary with the right numbers', () => {
    const progress: number[] = [];
    const { summary, arrays } = summariseRun({
      G: f.G,
      classG: { 'noun-sg': f.cls },
      wordG: { w3: f.word },
      groupG: f.groups,
      embeddings: f.embeddings,
      vocab: f.vocab,
      classes: f.classes,
      alignedExclude: ['<unk>'],
      alignedTop: 3,
      onProgress: (done) => progress.push(done),
    });
    expect(RunSummarySchema.parse(JSON.parse(JSON.stringify(summary)))).toEqual(summary);
    expect(progress.at(-1)).toBe(T * 6);
    expect(summary.timings.svdCount).toBe(T * 6);
    expect(summary.shape).toEqual({ hidden: H, embedding: E, delays: T, vocabulary: 30 });
    expect(summary.groups).toBe(3);
    expect(summary.delays).toHaveLength(T);
    const total = S.reduce((a, b) => a + b, 0);
    summary.delays.forEach((d, t) => {
      expect(d.tau).toBe(t);
      expect(d.sigma1).toBeCloseTo(4 * Math.exp(-t / 2), 12);
      expect(d.sum).toBeCloseTo(total * Math.exp(-t / 2), 12);
      expect(d.ratio1).toBeCloseTo(4 / total, 12);
      expect(d.ratio5).toBeCloseTo(1, 12);
      expect(d.topSigma).toHaveLength(E);
      // Groups differ only in σ₁: 0.9, 1, 1.2 times it.
      const v = [0.9, 1, 1.2].map((x) => 4 * x * Math.exp(-t / 2));
      const mean = v.reduce((a, b) => a + b, 0) / 3;
      const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / 2);
      expect(d.se!.sigma1!.se).toBeCloseTo(sd / Math.sqrt(3), 12);
      expect(d.words.w3.ratio1).toBeCloseTo(1, 12);
      expect(d.aligned).toHaveLength(5);
      expect(d.aligned[0].positive.length + d.aligned[0].negative.length).toBeGreaterThan(0);
    });
    expect(summary.delays[0].classes['noun-sg']).toMatchObject({ sigma1: expect.closeTo(3, 12), ratio1: expect.closeTo(3 / 9, 12) });
    expect(summary.delays[T - 1].classes['noun-sg']).toEqual({ sigma1: 0, sum: 0, ratio1: null, ratio5: null });

    // Built-in properties: sg-pl present, common-proper skipped with a warning.
    expect(summary.properties.map((p) => p.name)).toEqual(['sg-pl']);
    expect(summary.warnings.some((w) => /common-proper skipped: class noun-common and noun-proper not defined/.test(w))).toBe(true);
    const info = summary.properties[0];
    expect([info.listedA, info.foundA, info.listedB, info.foundB]).toEqual([7, 6, 5, 5]);
    expect(info.missingA).toEqual(['nope']);
    expect(info.probe).not.toBeNull();
    const d = handD(f.embeddings, f.vocab, f.classes['noun-sg'], f.classes['noun-pl']);
    expect(info.norm).toBeCloseTo(normT(d), 6);
    const unit = d.map((x) => x / normT(d));
    summary.delays.forEach((ds, t) => {
      const G = { data: f.G.data.subarray(t * H * E, (t + 1) * H * E), rows: H, cols: E };
      const p = ds.properties['sg-pl'];
      expect(p.m).toBeCloseTo(normOfProduct(G, unit) / (4 * Math.exp(-t / 2)), 6);
      expect(p.cos).toHaveLength(E);
      expect(p.cos[E - 1]).toBeCloseTo(1, 10);
      expect(p.mSe).not.toBeNull();
    });

    // Decay: both σ₁ and Σσ fall as e^{−τ/2}.
    expect(summary.decay.sigma1!.slope).toBeCloseTo(-0.5, 12);
    expect(summary.decay.sum!.halfLife).toBeCloseTo(2 * Math.LN2, 10);

    expect(arrays.spectrumShape).toEqual([T, E]);
    expect(arrays.spectrum[E]).toBeCloseTo(4 * Math.exp(-0.5), 12);
    expect(arrays.rightShape).toEqual([T, E, E]);
    expect(arrays.leftShape).toEqual([T, E, H]);
    expect(arrays.left.length).toBe(T * E * H);
  });

  it('takes explicit properties, and fails clearly on unknown classes', () => {
    const { summary } = summariseRun({
      G: f.G,
      embeddings: f.embeddings,
      vocab: f.vocab,
      classes: f.classes,
      properties: ['pl-sg=noun-pl:noun-sg'],
      alignedDirections: 0,
      decayRange: { from: 1, to: 4 },
    });
    expect(summary.properties.map((p) => p.name)).toEqual(['pl-sg']);
    expect(summary.delays[0].aligned).toEqual([]);
    expect(summary.delays[0].se).toBeNull();
    expect(summary.decay.sigma1!.used).toEqual([1, 2, 3, 4]);
    expect(() =>
      summariseRun({ G: f.G, embeddings: f.embeddings, vocab: f.vocab, classes: f.classes, properties: ['x=noun-sg:verb'] }),
    ).toThrow(/class 'verb' is not defined/);
    expect(() => summariseRun({ G: f.G, embeddings: f.embeddings, vocab: f.vocab, classG: { bad: f.word }, wordG: {}, groupG: [{ ...f.G, delays: 3, data: f.G.data.subarray(0, 3 * H * E) }] })).toThrow(
      /group 0: shape \[3, 7, 5\] differs/,
    );
  });

  it('analyses Ḡ·D and Z·d under equal-variance normalisation', () => {
    const { summary } = summariseRun({
      G: f.G,
      embeddings: f.embeddings,
      vocab: f.vocab,
      classes: f.classes,
      normalise: 'equal-variance',
    });
    expect(summary.normalisation).toMatchObject({ kind: 'equal-variance', covariance: 'sample', rows: 30, ridge: 0 });
    const nm = equalVarianceNormalisation(f.embeddings);
    const d = handD(f.embeddings, f.vocab, f.classes['noun-sg'], f.classes['noun-pl']);
    const zd = normaliseVector(d, nm);
    summary.delays.forEach((ds, t) => {
      const G = { data: f.G.data.subarray(t * H * E, (t + 1) * H * E), rows: H, cols: E };
      const sigma1 = spectrumOf(normaliseGradient(G, nm), { vectors: 0 }).sigma1;
      expect(ds.sigma1).toBeCloseTo(sigma1, 10);
      // r is invariant: ‖ḠD·Zd‖ = ‖Ḡd‖, then divided by ‖Zd‖ (d̂ is normalised after Z).
      expect(ds.properties['sg-pl'].m).toBeCloseTo(normOfProduct(G, d) / normT(zd) / sigma1, 8);
    });
  });
});
