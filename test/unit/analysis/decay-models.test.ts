// Decay models (exponential, two exponentials, power law) fitted by weighted least squares to
// curves of known form, the AIC choice, the use of the SEs as weights, the memory length and
// its SE range, and summariseRun's use of them. The optimality checks search the parameters
// by brute force here, independently of the fitting code.
import { describe, expect, it } from 'vitest';
import {
  type DecaySample,
  decayModelValue,
  decayModelsOfDelays,
  fitDecayModels,
  memoryLength,
} from '../../../main/engine/analysis/decay-models';
import { stackDelays } from '../../../main/engine/analysis/matrix';
import type { DecayModelFit, DecayModels } from '../../../main/engine/analysis/run-summary-schema';
import { summariseRun } from '../../../main/engine/analysis/summarise-run';
import { makeRecord } from '../../../renderer/src/lib/transforms/test-record';
import { fromSvd, gaussian, orthonormal, rng } from './helpers';

const D = 30;

/** y(τ) for τ = 0..D with relative Gaussian noise of `noise` (seeded) and SE = `se`·y. */
function samples(f: (t: number) => number, o: { noise?: number; se?: number | null; seed?: number; D?: number } = {}): DecaySample[] {
  const g = gaussian(rng(o.seed ?? 5));
  const noise = o.noise ?? 0.005;
  const se = o.se === undefined ? 0.01 : o.se;
  return Array.from({ length: (o.D ?? D) + 1 }, (_, t) => {
    const y = f(t);
    return { tau: t, y: y * (1 + noise * g()), se: se === null ? null : se * y };
  });
}

const powerLaw = (t: number) => 2 * Math.pow(Math.max(t, 0.5), -1.3);
const oneExp = (t: number) => 2 * Math.exp(-0.2 * t);
const twoExp = (t: number) => 3 * Math.exp(-1 * t) + 0.5 * Math.exp(-0.05 * t);

const fitOf = (m: DecayModels | null, name: DecayModelFit['model']) => {
  const f = m?.fits.find((x) => x.model === name);
  if (!f) throw new Error(`no ${name} fit`);
  return f;
};

/** Σ w·(y − fit)² over τ ≥ 1, w = 1/SE² (1 without SEs). */
function weightedSse(s: readonly DecaySample[], fit: (t: number) => number, weighted = true): number {
  return s.filter((p) => p.tau >= 1).reduce((acc, p) => acc + (weighted ? 1 / p.se! ** 2 : 1) * (p.y - fit(p.tau)) ** 2, 0);
}

/** The least-squares amplitude of one basis function, then the SSE (test-side, closed form). */
function oneColumnSse(s: readonly DecaySample[], phi: (t: number) => number): number {
  const pts = s.filter((p) => p.tau >= 1);
  let num = 0;
  let den = 0;
  for (const p of pts) {
    const w = 1 / p.se! ** 2;
    num += w * phi(p.tau) * p.y;
    den += w * phi(p.tau) ** 2;
  }
  const a = Math.max(0, num / den);
  return weightedSse(s, (t) => a * phi(t));
}

describe('decay models: each known curve is recognised and its parameters recovered', () => {
  it('a power law y = 2·τ^(−1.3)', () => {
    const m = fitDecayModels(samples(powerLaw));
    expect(m).not.toBeNull();
    expect(m!.chosen).toBe('power-law');
    expect(m!.weighted).toBe(true);
    expect([m!.from, m!.to]).toEqual([1, D]);
    expect(m!.fits.map((f) => f.model)).toEqual(['exponential', 'two-exponentials', 'power-law']);
    const p = fitOf(m, 'power-law').params;
    expect(Math.abs(p.a - 2) / 2).toBeLessThan(0.01);
    expect(Math.abs(p.p - 1.3) / 1.3).toBeLessThan(0.01);
    expect(fitOf(m, 'power-law').r2!).toBeGreaterThan(0.999);
    // Neither exponential form comes close: by a wide AIC margin.
    expect(fitOf(m, 'two-exponentials').aic! - fitOf(m, 'power-law').aic!).toBeGreaterThan(20);
  });

  it('a single exponential y = 2·e^(−0.2τ)', () => {
    const m = fitDecayModels(samples(oneExp));
    expect(m!.chosen).toBe('exponential');
    const p = fitOf(m, 'exponential').params;
    expect(Math.abs(p.a - 2) / 2).toBeLessThan(0.01);
    expect(Math.abs(p.k - 0.2) / 0.2).toBeLessThan(0.01);
    // Two exponentials contain one: never a worse fit, but two more parameters to pay for.
    const two = fitOf(m, 'two-exponentials');
    expect(two.sse).toBeLessThanOrEqual(fitOf(m, 'exponential').sse * (1 + 1e-9));
    expect(two.aic!).toBeGreaterThan(fitOf(m, 'exponential').aic!);
  });

  it('two exponentials y = 3·e^(−τ) + 0.5·e^(−0.05τ)', () => {
    const m = fitDecayModels(samples(twoExp));
    expect(m!.chosen).toBe('two-exponentials');
    const p = fitOf(m, 'two-exponentials').params;
    expect(p.k1).toBeGreaterThan(p.k2);
    expect(Math.abs(p.a1 - 3) / 3).toBeLessThan(0.05);
    expect(Math.abs(p.k1 - 1)).toBeLessThan(0.05);
    expect(Math.abs(p.a2 - 0.5) / 0.5).toBeLessThan(0.02);
    expect(Math.abs(p.k2 - 0.05) / 0.05).toBeLessThan(0.03);
  });

  it('a slow exponential with one odd first delay: the two-exponential fit pins a rate at the cap, is flagged and not chosen', () => {
    // As the first demo's Adam model: y(1) well above a slow exponential that fits τ ≥ 2.
    const bumped = (t: number) => (t === 1 ? 1.8 : 1) * 7 * Math.exp(-0.02 * t);
    const m = fitDecayModels(samples(bumped, { noise: 0.002, se: 0.005 }));
    const two = fitOf(m, 'two-exponentials');
    expect(two.atRateCap).toBe(true);
    expect(two.params.k1).toBeCloseTo(10, 6);
    // It fits best by far (it spends a component on τ = 1 alone), yet the choice skips it.
    expect(two.aic!).toBeLessThan(fitOf(m, 'exponential').aic! - 10);
    expect(fitOf(m, 'exponential').atRateCap).toBe(false);
    const eligible = m!.fits.filter((f) => !f.atRateCap).sort((a, b) => a.aic! - b.aic!);
    expect(eligible.map((f) => f.model)).not.toContain('two-exponentials');
    expect(m!.chosen).toBe(eligible[0].model);
    // A genuine fast component (rate 1) is not at the cap and is chosen on its merits.
    const genuine = fitDecayModels(samples(twoExp));
    expect(fitOf(genuine, 'two-exponentials').atRateCap).toBe(false);
    expect(genuine!.chosen).toBe('two-exponentials');
  });

  it('an exact exponential: the fits that are exact to rounding tie, and the tie goes to fewer parameters', () => {
    const m = fitDecayModels(samples(oneExp, { noise: 0 }));
    expect(m!.chosen).toBe('exponential');
    const p = fitOf(m, 'exponential').params;
    expect(p.a).toBeCloseTo(2, 8);
    expect(p.k).toBeCloseTo(0.2, 9);
    expect(fitOf(m, 'exponential').r2).toBeCloseTo(1, 12);
  });

  it('a two-exponential curve with a plateau (k2 = 0) is fitted with k2 at its bound', () => {
    const m = fitDecayModels(samples((t) => 3 * Math.exp(-0.5 * t) + 0.2, { noise: 0.002 }));
    expect(m!.chosen).toBe('two-exponentials');
    const p = fitOf(m, 'two-exponentials').params;
    expect(p.k2).toBeGreaterThanOrEqual(0);
    expect(p.k2).toBeLessThan(0.002);
    expect(Math.abs(p.k1 - 0.5)).toBeLessThan(0.01);
  });
});

describe('decay models: the numbers behind the choice', () => {
  const s = samples(twoExp, { noise: 0.01, seed: 9 });
  const m = fitDecayModels(s)!;

  it('SSE is Σ (y − fit)²/SE² of the reported parameters; R² and AIC follow from it', () => {
    const pts = s.filter((p) => p.tau >= 1);
    const n = pts.length;
    const w = pts.map((p) => 1 / p.se! ** 2);
    const yMean = pts.reduce((a, p, i) => a + w[i] * p.y, 0) / w.reduce((a, b) => a + b, 0);
    const sst = pts.reduce((a, p, i) => a + w[i] * (p.y - yMean) ** 2, 0);
    for (const f of m.fits) {
      const sse = weightedSse(s, (t) => decayModelValue(f, t));
      expect(f.sse / sse - 1).toBeLessThan(1e-9);
      expect(sse / f.sse - 1).toBeLessThan(1e-9);
      expect(f.r2).toBeCloseTo(1 - sse / sst, 10);
      expect(f.aic).toBeCloseTo(n * Math.log(sse / n) + 2 * f.parameterCount, 8);
      expect(f.parameterCount).toBe(f.model === 'two-exponentials' ? 4 : 2);
    }
    const best = [...m.fits].sort((a, b) => a.aic! - b.aic!)[0];
    expect(m.chosen).toBe(best.model);
  });

  it('each fit is the global least-squares optimum: no point of a fine brute-force grid does better', () => {
    let expBest = Infinity;
    for (let i = 0; i <= 4000; i++) expBest = Math.min(expBest, oneColumnSse(s, (t) => Math.exp(-(i / 2000) * t)));
    expect(fitOf(m, 'exponential').sse).toBeLessThanOrEqual(expBest * (1 + 1e-9));
    let powBest = Infinity;
    for (let i = 0; i <= 4000; i++) powBest = Math.min(powBest, oneColumnSse(s, (t) => Math.pow(t, -(i / 1000))));
    expect(fitOf(m, 'power-law').sse).toBeLessThanOrEqual(powBest * (1 + 1e-9));
    // Two exponentials: every feasible (a1, a2 ≥ 0) point of a rate grid.
    const pts = s.filter((p) => p.tau >= 1);
    let twoBest = Infinity;
    for (let i = 1; i <= 150; i++) {
      for (let j = 0; j < i; j++) {
        const k1 = i / 50;
        const k2 = j / 1500;
        let g11 = 0, g12 = 0, g22 = 0, b1 = 0, b2 = 0; // prettier-ignore
        for (const p of pts) {
          const w = 1 / p.se! ** 2;
          const e1 = Math.exp(-k1 * p.tau);
          const e2 = Math.exp(-k2 * p.tau);
          g11 += w * e1 * e1;
          g12 += w * e1 * e2;
          g22 += w * e2 * e2;
          b1 += w * e1 * p.y;
          b2 += w * e2 * p.y;
        }
        const det = g11 * g22 - g12 * g12;
        const a1 = (b1 * g22 - b2 * g12) / det;
        const a2 = (b2 * g11 - b1 * g12) / det;
        if (a1 >= 0 && a2 >= 0) twoBest = Math.min(twoBest, weightedSse(s, (t) => a1 * Math.exp(-k1 * t) + a2 * Math.exp(-k2 * t)));
      }
    }
    expect(Number.isFinite(twoBest)).toBe(true);
    expect(fitOf(m, 'two-exponentials').sse).toBeLessThanOrEqual(twoBest * (1 + 1e-9));
  });
});

describe('decay models: constraints', () => {
  it('amplitudes stay non-negative when the data would want a negative component', () => {
    // rises to τ ≈ 3, then falls: the unconstrained two-exponential fit has a1 < 0
    const m = fitDecayModels(samples((t) => 2 * Math.exp(-0.1 * t) - 1.5 * Math.exp(-0.5 * t), { noise: 0 }))!;
    const two = fitOf(m, 'two-exponentials').params;
    for (const f of m.fits) for (const key of ['a', 'a1', 'a2']) if (key in f.params) expect(f.params[key]).toBeGreaterThanOrEqual(0);
    expect(two.k1).toBeGreaterThanOrEqual(two.k2);
    expect(two.k2).toBeGreaterThanOrEqual(0);
    expect(fitOf(m, 'two-exponentials').r2!).toBeLessThan(0.9999);
  });
});

describe('decay models: weights 1/SE²', () => {
  const clean = samples(powerLaw, { noise: 0 });
  const clean5 = clean.map((p) => (p.tau === 5 ? { ...p, y: 3 * p.y } : p));

  it('a wild point with a huge SE barely moves the fit; with an ordinary SE it pulls the fit away', () => {
    const ref = fitOf(fitDecayModels(clean), 'power-law').params;
    const huge = fitOf(fitDecayModels(clean5.map((p) => (p.tau === 5 ? { ...p, se: 1e4 * p.se! } : p))), 'power-law').params;
    expect(Math.abs(huge.p - ref.p)).toBeLessThan(1e-6);
    expect(Math.abs(huge.a - ref.a)).toBeLessThan(1e-6);
    const ordinary = fitOf(fitDecayModels(clean5), 'power-law').params;
    expect(Math.abs(ordinary.p - ref.p)).toBeGreaterThan(0.05);
  });

  it('only the relative SEs matter: scaling all of them changes SSE by the square, not the fits or the choice', () => {
    const s = samples(twoExp, { noise: 0.01, seed: 3 });
    const a = fitDecayModels(s)!;
    const b = fitDecayModels(s.map((p) => ({ ...p, se: 10 * p.se! })))!;
    expect(b.chosen).toBe(a.chosen);
    a.fits.forEach((f, i) => {
      const g = b.fits[i];
      for (const key of Object.keys(f.params)) expect(g.params[key]).toBeCloseTo(f.params[key], 5);
      expect(g.sse * 100).toBeCloseTo(f.sse, 6);
      expect(g.r2!).toBeCloseTo(f.r2!, 9);
    });
  });

  it('without SEs (or with one missing) the fit is unweighted, and differs from the weighted one', () => {
    // Noise that grows towards long delays: the weighted fit trusts the precise early delays.
    const g = gaussian(rng(17));
    const s = Array.from({ length: D + 1 }, (_, t) => {
      const se = 0.005 + 0.02 * t * powerLaw(t);
      return { tau: t, y: powerLaw(t) + se * g(), se };
    });
    const w = fitDecayModels(s)!;
    const u = fitDecayModels(s.map((p) => ({ ...p, se: null })))!;
    const missing = fitDecayModels(s.map((p) => (p.tau === 7 ? { ...p, se: null } : p)))!;
    expect(w.weighted).toBe(true);
    expect(u.weighted).toBe(false);
    expect(missing.weighted).toBe(false);
    expect(fitOf(missing, 'power-law').params).toEqual(fitOf(u, 'power-law').params);
    const sseU = weightedSse(s, (t) => decayModelValue(fitOf(u, 'power-law'), t), false);
    expect(fitOf(u, 'power-law').sse).toBeCloseTo(sseU, 10);
    expect(Math.abs(fitOf(w, 'power-law').params.p - fitOf(u, 'power-law').params.p)).toBeGreaterThan(1e-3);
    expect(Math.abs(fitOf(w, 'power-law').params.p - 1.3)).toBeLessThan(Math.abs(fitOf(u, 'power-law').params.p - 1.3));
  });
});

describe('decay models: too few delays', () => {
  it('fits a model only with more delays than its parameters', () => {
    expect(fitDecayModels(samples(oneExp, { D: 0 }))).toBeNull();
    const two = fitDecayModels(samples(oneExp, { D: 2 }))!;
    expect(two.fits).toEqual([]);
    expect(two.chosen).toBeNull();
    expect(fitDecayModels(samples(oneExp, { D: 4 }))!.fits.map((f) => f.model)).toEqual(['exponential', 'power-law']);
    expect(fitDecayModels(samples(oneExp, { D: 5 }))!.fits).toHaveLength(3);
  });

  it('an all-zero curve has no fits and no memory length', () => {
    const m = fitDecayModels(Array.from({ length: 6 }, (_, t) => ({ tau: t, y: 0, se: 0 })))!;
    expect(m.fits).toEqual([]);
    expect(m.chosen).toBeNull();
    expect(m.weighted).toBe(false);
    expect(m.memoryLength.tau).toBeNull();
  });
});

describe('memory length', () => {
  it('is the first delay below 10 % of the maximum', () => {
    // e^(−τ/4) < 0.1 from τ > 4·ln 10 = 9.21
    const ml = memoryLength(samples((t) => Math.exp(-t / 4), { noise: 0, se: null }));
    expect(ml).toEqual({ threshold: 0.1, tau: 10, low: null, high: null, maxDelay: D, withSe: false });
    expect(memoryLength(samples((t) => Math.exp(-t / 4), { noise: 0, se: null }), 0.5).tau).toBe(3);
  });

  it('its SE range: y ± SE against 10 % of (max ∓ its SE)', () => {
    const y = [1, 0.8, 0.5, 0.3, 0.2, 0.15, 0.12, 0.115, 0.112, 0.105, 0.095, 0.08, 0.05];
    const s = y.map((v, t) => ({ tau: t, y: v, se: 0.01 }));
    // tau: 0.095 < 0.1 at 10; low: y − 0.01 < 0.101 first at 9 (0.105); high: y + 0.01 < 0.099 first at 11 (0.08)
    expect(memoryLength(s)).toEqual({ threshold: 0.1, tau: 10, low: 9, high: 11, maxDelay: 12, withSe: true });
    // A larger SE of the maximum alone widens the range: thresholds 0.12 and 0.08.
    const wide = memoryLength(s.map((p) => (p.tau === 0 ? { ...p, se: 0.2 } : p)));
    expect([wide.low, wide.tau, wide.high]).toEqual([6, 10, 12]);
  });

  it('counts from the maximum, wherever it is', () => {
    // σ₁ is often largest at τ = 1: a small value at τ = 0 is not "fallen below".
    const y = [0.05, 1, 0.6, 0.3, 0.12, 0.09, 0.05];
    expect(memoryLength(y.map((v, t) => ({ tau: t, y: v, se: null }))).tau).toBe(5);
  });

  it('is null ("> D") when the curve never falls that far, and a bound may be null alone', () => {
    const flat = memoryLength(samples((t) => 1 - t / 100, { noise: 0 }));
    expect(flat).toMatchObject({ tau: null, low: null, high: null, maxDelay: D, withSe: true });
    const y = [1, 0.5, 0.2, 0.105, 0.098, 0.097];
    const edge = memoryLength(y.map((v, t) => ({ tau: t, y: v, se: 0.01 })));
    expect([edge.low, edge.tau, edge.high]).toEqual([3, 4, null]);
  });
});

describe('decayModelsOfDelays and summariseRun', () => {
  it('uses each quantity with its own SE, unweighted without groups', () => {
    const delays = Array.from({ length: 13 }, (_, t) => ({
      tau: t,
      sigma1: powerLaw(t),
      sum: 5 * oneExp(t),
      se: { sigma1: { se: 0.01 * powerLaw(t) }, sum: { se: 0.05 * oneExp(t) } },
    }));
    const m = decayModelsOfDelays(delays);
    expect(m.sigma1!.chosen).toBe('power-law');
    expect(m.sum!.chosen).toBe('exponential');
    expect(fitOf(m.sum, 'exponential').params.a).toBeCloseTo(10, 8);
    expect(m.sigma1!.memoryLength.withSe).toBe(true);
    const bare = decayModelsOfDelays(delays.map((d) => ({ ...d, se: null })));
    expect([bare.sigma1!.weighted, bare.sum!.weighted, bare.sigma1!.memoryLength.withSe]).toEqual([false, false, false]);
    expect(bare.sigma1!.chosen).toBe('power-law');
  });

  it('summariseRun writes the decay models of its own σ₁ and Σσ', () => {
    const H = 7;
    const E = 5;
    const T = 9;
    const rand = rng(71);
    const U = orthonormal(H, E, rand);
    const V = orthonormal(E, E, rand);
    const S = [4, 2, 1, 0.5, 0.25];
    const at = (t: number, f = 1) => fromSvd(U, S.map((s, i) => s * (i === 0 ? f : 1) * Math.exp(-t / 2)), V);
    const g = gaussian(rand);
    const vocab = Array.from({ length: 12 }, (_, i) => `w${i}`);
    const { summary } = summariseRun({
      G: stackDelays(Array.from({ length: T }, (_, t) => at(t))),
      groupG: [0.9, 1, 1.2].map((f) => stackDelays(Array.from({ length: T }, (_, t) => at(t, f)))),
      embeddings: { data: Float32Array.from({ length: vocab.length * E }, g), rows: vocab.length, cols: E },
      vocab,
      properties: [],
    });
    expect(summary.decayModels).toEqual(decayModelsOfDelays(summary.delays));
    const s1 = summary.decayModels!.sigma1!;
    expect(s1.weighted).toBe(true);
    expect(s1.chosen).toBe('exponential');
    expect(fitOf(s1, 'exponential').params.k).toBeCloseTo(0.5, 8);
    expect(fitOf(s1, 'exponential').params.a).toBeCloseTo(4, 8);
    // 4·e^(−τ/2) < 0.4 from τ > 2·ln 10 = 4.6
    expect(s1.memoryLength.tau).toBe(5);
  });
});

describe('the renderer fixture', () => {
  it('holds the decay models the engine fits to its σ₁ and Σσ', () => {
    for (const scale of [1, 2]) {
      const r = makeRecord({ scale });
      const fitted = decayModelsOfDelays(r.summary.delays);
      for (const q of ['sigma1', 'sum'] as const) {
        const stored = r.summary.decayModels![q]!;
        const got = fitted[q]!;
        expect(got.chosen).toBe(stored.chosen);
        expect(got.memoryLength).toEqual(stored.memoryLength);
        expect([got.from, got.to, got.weighted]).toEqual([stored.from, stored.to, stored.weighted]);
        for (const f of stored.fits) {
          const g = fitOf(got, f.model);
          expect(g.aic!).toBeCloseTo(f.aic!, 2);
          expect(g.r2!).toBeCloseTo(f.r2!, 5);
          // σ₁'s two-exponential fit is degenerate (one amplitude 0): its other rate is arbitrary.
          if (q === 'sigma1' && f.model === 'two-exponentials') continue;
          for (const [key, v] of Object.entries(f.params)) expect(Math.abs(g.params[key] - v)).toBeLessThan(1e-5 * Math.max(1, Math.abs(v)));
        }
      }
    }
  });
});
