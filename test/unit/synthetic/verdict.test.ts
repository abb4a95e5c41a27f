// The verdict on constructed memory profiles: a knee at K passes, memoryless decays and
// memory that lasts past the next marker fail, and so does a model that learnt nothing.
import { describe, expect, it } from 'vitest';
import { type ProfileRow, syntheticVerdict, verdictMaxDelay } from '../../../main/engine/synthetic';

const K = 5;
const G = 1;
const D = verdictMaxDelay(K, G);
const goodPpl = { model: 12.5, floor: 12.367, withoutMemory: 13.759 };

function profile(r: (tau: number) => number, m: (tau: number) => number = () => 0.9): ProfileRow[] {
  return Array.from({ length: D + 1 }, (_, tau) => ({ tau, sigma1: r(tau) / m(tau), r: r(tau), m: m(tau), cos5: 0.99 }));
}
const knee = (tau: number) => (tau <= K - 1 ? 1 : 0.2 ** (tau - K + 1));

describe('synthetic verdict', () => {
  it('passes memory that is held up to K−1 and gone once the next marker came', () => {
    const v = syntheticVerdict({ span: K, maxGap: G, marker: profile(knee), perplexity: goodPpl });
    expect(v.passed).toBe(true);
    expect(v.overwrittenBy).toBe(K + 1 + G);
    expect(v.checks.map((c) => c.name)).toEqual(['learned', 'held', 'dropped', 'kept', 'span']);
    expect(v.spanEstimate.span).toBe(K);
    expect(v.memoryGain).toBeCloseTo(Math.log(13.759 / 12.5) / Math.log(13.759 / 12.367), 12);
    expect(v.within.r).toBe(1);
    expect(v.beyond.r).toBeLessThan(0.03);
  });

  it('fails every pure exponential decay, however slow or fast, for any K and gap', () => {
    for (const [k, g] of [[2, 0], [2, 3], [5, 1], [8, 4]]) {
      const d = verdictMaxDelay(k, g);
      for (let f = 0.05; f < 1.5; f += 0.05) {
        const marker = Array.from({ length: d + 1 }, (_, tau) => ({ tau, sigma1: f ** tau, r: f ** tau, m: 1, cos5: 1 }));
        const v = syntheticVerdict({ span: k, maxGap: g, marker, perplexity: goodPpl });
        const byName = Object.fromEntries(v.checks.map((c) => [c.name, c.passed]));
        expect(byName.held && byName.dropped, `K=${k}, G=${g}, decay ${f.toFixed(2)} per step`).toBe(false);
        expect(v.passed).toBe(false);
      }
    }
  });

  it('fails memory that outlives the next marker', () => {
    const v = syntheticVerdict({ span: K, maxGap: G, marker: profile((t) => (t <= K + 3 ? 1 : 0.01)), perplexity: goodPpl });
    expect(v.checks.find((c) => c.name === 'dropped')?.passed).toBe(false);
    expect(v.passed).toBe(false);
  });

  it('fails when the property is not what is kept of a marker', () => {
    const v = syntheticVerdict({ span: K, maxGap: G, marker: profile(knee, () => 0.2), perplexity: goodPpl });
    expect(v.checks.find((c) => c.name === 'kept')?.passed).toBe(false);
  });

  it('fails a model that did not learn the memory, and the control corpus', () => {
    const forgetful = syntheticVerdict({ span: K, maxGap: G, marker: profile(knee), perplexity: { ...goodPpl, model: 13.7 } });
    expect(forgetful.checks[0]).toMatchObject({ name: 'learned', passed: false });
    const control = syntheticVerdict({
      span: K,
      maxGap: G,
      marker: profile(knee),
      perplexity: { model: 13.8, floor: 13.759, withoutMemory: 13.759 },
    });
    expect(Number.isNaN(control.memoryGain)).toBe(true);
    expect(control.passed).toBe(false);
  });

  it('honours custom thresholds and needs the delays it judges', () => {
    const v = syntheticVerdict({ span: K, maxGap: G, marker: profile(knee), perplexity: goodPpl, thresholds: { learned: 0.99 } });
    expect(v.checks[0]).toMatchObject({ threshold: 0.99, passed: false });
    expect(() => syntheticVerdict({ span: K, maxGap: G, marker: profile(knee).slice(0, K + 1), perplexity: goodPpl })).toThrow(/delay 7/);
  });
});
