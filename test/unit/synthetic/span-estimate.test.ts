// The blind span estimate on constructed and measured profiles: it must find K where the
// memory collapses, not where r falls fastest, and say "no knee" (with the reason) for a
// decay, for memory that outlives the analysed delays, and for a gradual fall.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../main/engine/seeded-random';
import { estimateSpan, syntheticVerdict, verdictMaxDelay } from '../../../main/engine/synthetic';

const rows = (r: readonly number[]) => r.map((x, tau) => ({ tau, r: x }));
const profile = (D: number, r: (tau: number) => number) => rows(Array.from({ length: D + 1 }, (_, tau) => r(tau)));

// r of Ḡ^marker measured on K = 8, seed 1 (6000 episodes, 6 epochs, E 16, H 32): the peak is
// at K−2, r(K−1) is half of it, and the fall goes on to τ = 10. The largest one-step fall
// r(τ)/r(τ+1) is from 9 to 10 (×5.1), so "the steepest step" would say 10.
const MEASURED_K8 = [
  0.3997, 0.3026, 0.2762, 0.2849, 0.3576, 0.4518, 0.6151, 0.3287, 0.1281, 0.04874, 0.00956, 0.007745, 0.005394, 0.003819, 0.004295,
  0.009802, 0.01619, 0.005884, 0.002249, 0.000403, 0.0002212,
];

describe('blind span estimate', () => {
  it('finds a clean knee at K for every K, and only a collapse below a quarter counts', () => {
    for (const K of [2, 3, 5, 8, 12, 20, 40]) {
      const e = estimateSpan(profile(K + 10, (t) => (t < K ? 1 : 0.2 ** (t - K + 1))));
      expect(e.span, `K = ${K}: ${e.reason}`).toBe(K);
      expect(e.peak?.tau).toBe(0);
      // A first step to 0.3 of the held level is not yet the collapse: the knee is one later,
      // and for short K the fall to 0.3 counts against `held` ((0.3)^(1/K) < 0.8): no knee.
      expect(estimateSpan(profile(K + 10, (t) => (t < K ? 1 : 0.3 ** (t - K + 1)))).span).toBe(K >= 6 ? K + 1 : null);
    }
  });

  it('puts the knee where the memory collapses, not where r falls fastest', () => {
    const e = estimateSpan(rows(MEASURED_K8));
    expect(e).toMatchObject({ span: 8, crossing: 8, peak: { tau: 6 } });
    expect(e.before).toBeCloseTo(0.3287 / 0.6151, 6);
    expect(e.after).toBeCloseTo(0.1281 / 0.6151, 6);
    const fall = (t: number) => MEASURED_K8[t] / MEASURED_K8[t + 1];
    for (const t of [5, 6, 7, 8]) expect(fall(9)).toBeGreaterThan(fall(t));
  });

  it('finds K through noise on the held memory and after the knee', () => {
    const rng = mulberry32(7);
    const noise = () => 0.8 + 0.45 * rng(); // ×0.8..1.25 on every delay
    for (let trial = 0; trial < 200; trial++) {
      const K = 2 + Math.floor(rng() * 19);
      const D = K + 12;
      // A held memory that rises towards K−1 (as measured), a collapse by ×10 at K, a floor,
      // and a bump well below the peak where the next-but-one marker comes.
      const r = profile(D, (t) => noise() * (t < K ? 0.5 + 0.5 * (t / (K - 1)) ** 2 : t === K ? 0.1 : t === K + 6 ? 0.2 : 0.02));
      const e = estimateSpan(r);
      expect(e.span, `K = ${K}, trial ${trial}: ${e.reason}`).toBe(K);
    }
  });

  it('says there is no knee for a decay, with the reason', () => {
    for (let f = 0.05; f < 1; f += 0.05) {
      const e = estimateSpan(profile(30, (t) => f ** t));
      expect(e.span, `decay ${f.toFixed(2)} per step`).toBeNull();
      expect(e.reason).toMatch(f < 0.25 ? /nothing is held/ : f < 0.8 ? /a decay rather than a knee/ : f < 0.955 ? /only gradually/ : /never falls/);
    }
  });

  it('says there is no knee when the memory outlives the analysed delays or falls gradually', () => {
    const long = estimateSpan(profile(30, (t) => (t < 40 ? 1 : 0.01)));
    expect(long.span).toBeNull();
    expect(long.reason).toMatch(/never falls below 0.25 of it up to τ = 30/);
    // Held until 9, then ×0.6 per step: below a quarter at 12 (0.6³ = 0.216), but never a collapse.
    const gradual = estimateSpan(profile(30, (t) => (t < 10 ? 1 : 0.6 ** (t - 9))));
    expect(gradual).toMatchObject({ span: null, crossing: 12 });
    expect(gradual.reason).toMatch(/only gradually/);
    expect(estimateSpan(profile(10, () => 0)).reason).toMatch(/r is 0 at every delay/);
    expect(estimateSpan([{ tau: 0, r: 1 }, { tau: 2, r: 0 }]).reason).toMatch(/no delay 1/);
  });

  it('is the verdict\'s `span` check, which never sees K', () => {
    const K = 5;
    const G = 1;
    const ppl = { model: 12.5, floor: 12.367, withoutMemory: 13.759 };
    const marker = (knee: number) =>
      Array.from({ length: verdictMaxDelay(K, G) + 1 }, (_, tau) => {
        const r = tau < knee ? 1 : 0.2 ** (tau - knee + 1);
        return { tau, sigma1: r / 0.9, r, m: 0.9, cos5: 0.99 };
      });
    const atK = syntheticVerdict({ span: K, maxGap: G, marker: marker(K), perplexity: ppl });
    expect(atK.spanEstimate.span).toBe(K);
    expect(atK.checks.find((c) => c.name === 'span')).toMatchObject({ value: 0, passed: true });
    expect(atK.passed).toBe(true);
    // One delay late: the other checks (held up to K−1, dropped by K+1+G) still pass.
    const late = syntheticVerdict({ span: K, maxGap: G, marker: marker(K + 1), perplexity: ppl });
    expect(late.spanEstimate.span).toBe(K + 1);
    expect(late.checks.filter((c) => !c.passed).map((c) => c.name)).toEqual(['span']);
    expect(syntheticVerdict({ span: K, maxGap: G, marker: marker(K + 1), perplexity: ppl, thresholds: { span: 1 } }).passed).toBe(true);
  });
});
