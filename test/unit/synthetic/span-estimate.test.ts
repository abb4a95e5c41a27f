// The blind span estimate on constructed and measured profiles: it must find K where the
// memory collapses, not where r falls fastest nor where it first falls below a share of its
// highest value, and say "no knee" (with the reason) for a decay, for memory that outlives
// the analysed delays, and for a gradual fall.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../main/engine/seeded-random';
import { estimateSpan, syntheticVerdict, verdictMaxDelay } from '../../../main/engine/synthetic';

const rows = (r: readonly number[]) => r.map((x, tau) => ({ tau, r: x }));
const profile = (D: number, r: (tau: number) => number) => rows(Array.from({ length: D + 1 }, (_, tau) => r(tau)));

// r of Ḡ^marker measured with the defaults (6000 episodes, 6 epochs, E 16, H 32), τ = 0..20.
// K = 8, seed 1: a one-delay peak at K−2, r(K−1) at half of it, and the fall goes on to
// τ = 10, where the largest one-step fall r(τ)/r(τ+1) is (×5.1).
const MEASURED_K8 = [
  0.3997, 0.3026, 0.2762, 0.2849, 0.3576, 0.4518, 0.6151, 0.3287, 0.1281, 0.04874, 0.00956, 0.007745, 0.005394, 0.003819, 0.004295,
  0.009802, 0.01619, 0.005884, 0.002249, 0.000403, 0.0002212,
];
// K = 2, seed 1: held at τ = 0, 1, then r falls ×2.4 at K and goes on falling about ×2 per
// step, so it first drops below a quarter of its highest value only at τ = 4.
const MEASURED_K2 = [
  0.4601, 0.4444, 0.1832, 0.128, 0.05284, 0.04097, 0.03151, 0.01744, 0.009744, 0.007669, 0.004779, 0.002771, 0.001856, 0.001112, 0.000653,
  0.0002776,
];

describe('blind span estimate', () => {
  it('finds a clean knee at K for every K, and only a fall below half the held level counts', () => {
    for (const K of [2, 3, 5, 8, 12, 20, 40]) {
      const e = estimateSpan(profile(K + 10, (t) => (t < K ? 1 : 0.2 ** (t - K + 1))));
      expect(e.span, `K = ${K}: ${e.reason}`).toBe(K);
      expect(e.level).toEqual({ tau: 0, r: 1 });
      // A first step to 0.6 of the held level is not yet the collapse: the knee is one later
      // (for K = 2 the step to 0.6 counts against `held`: 0.6^(1/2) < 0.8, no knee).
      const late = estimateSpan(profile(K + 10, (t) => (t < K ? 1 : t === K ? 0.6 : 0.1 * 0.2 ** (t - K - 1))));
      expect(late.span, `K = ${K}: ${late.reason}`).toBe(K >= 3 ? K + 1 : null);
    }
  });

  it('puts the knee where the memory collapses, not where r falls fastest', () => {
    const e = estimateSpan(rows(MEASURED_K8));
    expect(e).toMatchObject({ span: 8, crossing: 8, level: { tau: 5, r: 0.4518 } });
    expect(e.before).toBeCloseTo(0.3287 / 0.4518, 6);
    expect(e.after).toBeCloseTo(0.1281 / 0.4518, 6);
    const fall = (t: number) => MEASURED_K8[t] / MEASURED_K8[t + 1];
    for (const t of [5, 6, 7, 8]) expect(fall(9)).toBeGreaterThan(fall(t));
  });

  it('measures the fall from the level r is held at, not from its highest value', () => {
    const e = estimateSpan(rows(MEASURED_K2));
    expect(e).toMatchObject({ span: 2, level: { tau: 0, r: 0.4444 } });
    const highest = Math.max(...MEASURED_K2);
    expect(MEASURED_K2.findIndex((x) => x < highest / 4)).toBe(4);
    // And a one-delay spike above the held level, as at K−2 above, does not move the knee.
    const spiked = [...MEASURED_K2];
    spiked[1] = 3;
    expect(estimateSpan(rows(spiked)).span).toBe(2);
  });

  it('finds K through noise, a dip inside the held phase, and a bump after the knee', () => {
    const rng = mulberry32(7);
    const noise = () => 0.8 + 0.45 * rng(); // ×0.8..1.25 on every delay
    for (let trial = 0; trial < 300; trial++) {
      const K = 2 + Math.floor(rng() * 19);
      const D = K + 12;
      const dip = K >= 6 ? Math.floor(K / 2) : -1;
      // A held memory that rises towards K−1 (as measured), a one-delay dip to 0.3 of it in
      // the middle, a collapse by ×10 at K, a floor, and a one-delay bump where the
      // next-but-one marker comes.
      const r = profile(D, (t) => {
        const base = t < K ? 0.5 + 0.5 * (t / (K - 1)) ** 2 : t === K ? 0.1 : t === K + 6 ? 0.4 : 0.02;
        return noise() * (t === dip ? 0.3 * base : base);
      });
      const e = estimateSpan(r);
      expect(e.span, `K = ${K}, trial ${trial}: ${e.reason}`).toBe(K);
    }
  });

  it('says there is no knee for a decay, with the reason', () => {
    for (let i = 1; i < 20; i++) {
      const f = i / 20;
      const e = estimateSpan(profile(30, (t) => f ** t));
      expect(e.span, `decay ${f} per step`).toBeNull();
      if (f <= 0.75) expect(e.reason).toMatch(/a decay rather than a knee/);
      if (f >= 0.85) expect(e.reason).toMatch(/only gradually/);
    }
  });

  it('says there is no knee when the memory outlives the analysed delays or falls gradually', () => {
    const long = estimateSpan(profile(30, (t) => (t < 40 ? 1 : 0.01)));
    expect(long.span).toBeNull();
    expect(long.reason).toMatch(/never falls below 0.5 of that up to τ = 30/);
    // Held until 9, then ×0.6 per step: below half at 11 (0.36), but never a collapse.
    const gradual = estimateSpan(profile(30, (t) => (t < 10 ? 1 : 0.6 ** (t - 9))));
    expect(gradual).toMatchObject({ span: null, crossing: 11 });
    expect(gradual.reason).toMatch(/only gradually/);
    expect(estimateSpan(profile(10, (t) => (t === 3 ? 1 : 0))).reason).toMatch(/nothing of the marker is held/);
    expect(estimateSpan([{ tau: 0, r: 1 }, { tau: 2, r: 0 }]).reason).toMatch(/no delay 1/);
  });

  it("is the verdict's `span` check, which never sees K", () => {
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
