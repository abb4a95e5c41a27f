import { describe, expect, it } from 'vitest';
import {
  chosenDecayModel,
  decayModelCurve,
  decayModelRows,
  decayModelText,
  decayModelValue,
  decayParamsText,
  memoryLengthText,
  memorySeries,
  propertySeries,
  selectivitySeries,
  spectrumSeries,
  subspaceSize,
} from './run-series';
import { GREY, seriesColour } from './palette';
import { makeRecord, sigma1At, sumAt } from './test-record';

describe('(a) memory against delay', () => {
  const r = makeRecord();
  const series = memorySeries(r);

  it('σ₁ and Σσ per delay with 1 % standard errors as bands', () => {
    const [s1, sum] = series;
    expect(s1.points).toHaveLength(13);
    expect(s1.points[4].y).toBeCloseTo(sigma1At(4), 15);
    expect(s1.points[4].se).toBeCloseTo(0.01 * sigma1At(4), 15);
    expect(sum.points[7].y).toBeCloseTo(sumAt(7), 15);
    expect(s1.band && sum.band).toBe(true);
  });

  it('the chosen decay model is drawn dashed over τ = 1..D, named in the legend', () => {
    const fit = series.find((s) => s.key === 'sigma1-fit')!;
    expect(fit.interactive).toBe(false);
    expect(fit.dash).toBe('dashed');
    expect(fit.points.map((p) => p.x)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    // the fixture's σ₁ is exactly 0.1·e^{−τ/2}, and the exponential is the chosen model
    for (const p of fit.points) expect(p.y).toBeCloseTo(sigma1At(p.x), 14);
    expect(fit.label).toBe('σ₁ fit: exponential, half-life 1.39 tokens');
    const sum = series.find((s) => s.key === 'sum-fit')!;
    expect(sum.points[1].y).toBeCloseTo(0.537481 * Math.exp(-2 * 0.437685), 14);
    expect(sum.colour).toBe(seriesColour(2));
  });

  it('another chosen model is drawn instead, and none without decay models or a choice', () => {
    const pl = makeRecord();
    pl.summary.decayModels!.sigma1!.chosen = 'power-law';
    const fit = memorySeries(pl).find((s) => s.key === 'sigma1-fit')!;
    expect(fit.label).toBe('σ₁ fit: power law, p = 2.17');
    expect(fit.points[2].y).toBeCloseTo(0.0883699 * Math.pow(3, -2.16566), 14);
    const none = makeRecord();
    none.summary.decayModels = null;
    expect(memorySeries(none).map((s) => s.key)).toEqual(['sigma1', 'sum']);
    const unchosen = makeRecord();
    unchosen.summary.decayModels!.sum!.chosen = null;
    expect(memorySeries(unchosen).map((s) => s.key)).toEqual(['sigma1', 'sum', 'sigma1-fit']);
    expect(chosenDecayModel(null)).toBeNull();
  });

  it('evaluates and names each model', () => {
    const two = { model: 'two-exponentials' as const, params: { a1: 3, k1: 1, a2: 0.5, k2: 0 } };
    expect(decayModelValue(two, 2)).toBeCloseTo(3 * Math.exp(-2) + 0.5, 15);
    expect(decayModelValue({ model: 'power-law', params: { a: 2, p: 1.5 } }, 4)).toBeCloseTo(0.25, 15);
    expect(decayModelCurve(two, 2, 4).map((p) => p.x)).toEqual([2, 3, 4]);
    expect(decayModelText(two)).toBe('two exponentials, half-lives 0.693 and ∞ tokens');
    expect(decayModelText({ model: 'exponential', params: { a: 1, k: -0.01 } })).toBe('exponential, k = -0.01 (no decay)');
    expect(decayParamsText(two)).toBe('a₁ = 3, k₁ = 1, a₂ = 0.5, k₂ = 0');
  });

  it('the table: three models of σ₁ and of Σσ, R², AIC and ΔAIC, the chosen one marked', () => {
    const rows = decayModelRows(r);
    expect(rows.map((x) => [x.quantity, x.model, x.chosen])).toEqual([
      ['sigma1', 'exponential', true],
      ['sigma1', 'two-exponentials', false],
      ['sigma1', 'power-law', false],
      ['sum', 'exponential', true],
      ['sum', 'two-exponentials', false],
      ['sum', 'power-law', false],
    ]);
    expect(rows[0].deltaAic).toBe(0);
    expect(rows[1].deltaAic).toBeCloseTo(4, 10);
    expect(rows[5].deltaAic).toBeCloseTo(97.0873 - 21.5764, 10);
    expect(rows[2]).toMatchObject({ label: 'power law', params: 'a = 0.08837, p = 2.166', r2: 0.592587, aic: 98.7888 });
    const none = makeRecord();
    none.summary.decayModels = null;
    expect(decayModelRows(none)).toEqual([]);
  });

  it('memory length: the delay, its SE range, "> D" when it never falls that far', () => {
    const ml = { threshold: 0.1, tau: 12, low: 11, high: 14, maxDelay: 30, withSe: true };
    expect(memoryLengthText(ml)).toBe('12 tokens (± 1 SE: 11–14)');
    expect(memoryLengthText({ ...ml, high: null })).toBe('12 tokens (± 1 SE: 11 to > 30)');
    expect(memoryLengthText({ ...ml, low: 12, high: 12 })).toBe('12 tokens (± 1 SE: 12)');
    expect(memoryLengthText({ ...ml, withSe: false, low: null, high: null })).toBe('12 tokens');
    expect(memoryLengthText({ ...ml, tau: null, low: 25, high: null })).toBe('> 30 tokens (± 1 SE: 25 to > 30)');
    expect(memoryLengthText({ ...ml, tau: null, low: null, high: null })).toBe('> 30 tokens');
    expect(memoryLengthText(r.summary.decayModels!.sigma1!.memoryLength)).toBe('5 tokens (± 1 SE: 5)');
    expect(memoryLengthText(null)).toBe('—');
  });

  it('no band without standard errors', () => {
    const bare = makeRecord();
    for (const d of bare.summary.delays) d.se = null;
    expect(memorySeries(bare)[0].band).toBe(false);
  });
});

describe('(b) selectivity', () => {
  it('σ₁/Σσ and top-5/Σσ, null kept as a gap', () => {
    const r = makeRecord();
    r.summary.delays[3].ratio1 = null;
    const [a, b] = selectivitySeries(r);
    expect(a.points[2].y).toBeCloseTo(1 / (5 * 1.2), 15);
    expect(a.points[3].y).toBeNull();
    expect(b.points[0].y).toBeCloseTo(0.8, 15);
  });
});

describe('(d) properties as Figure 1', () => {
  const r = makeRecord();
  const series = propertySeries(r);

  it('m solid with its band and cos(d, H₅) dotted, one colour per property, ratios in grey', () => {
    expect(series.map((s) => [s.key, s.dash, s.colour])).toEqual([
      ['m:sg-pl', 'solid', seriesColour(0)],
      ['cos:sg-pl', 'dotted', seriesColour(0)],
      ['m:common-proper', 'solid', seriesColour(1)],
      ['cos:common-proper', 'dotted', seriesColour(1)],
      ['ratio1', 'solid', GREY],
      ['ratio5', 'dotted', GREY],
    ]);
    expect(series[0].points[6].y).toBeCloseTo(0.8 - 0.3, 15);
    expect(series[0].points[6].se).toBeCloseTo(0.01 * 0.5, 15);
    expect(series[0].band).toBe(true);
    // cos[n−1] with n = 5
    expect(series[1].points[0].y).toBeCloseTo(0.6, 15);
    expect(series[1].label).toBe('cos(d, H₅) sg-pl');
  });

  it('a model with fewer than 5 singular directions uses all it has', () => {
    const small = makeRecord();
    for (const d of small.summary.delays) for (const p of Object.values(d.properties)) p.cos = p.cos.slice(0, 3);
    expect(subspaceSize(small, 5)).toBe(3);
    const cos = propertySeries(small).find((s) => s.key === 'cos:sg-pl')!;
    expect(cos.label).toBe('cos(d, H₃) sg-pl');
    expect(cos.points[0].y).toBeCloseTo(0.36, 15);
  });
});

describe('(e) spectrum', () => {
  it('σ_n against n (1-based) at the chosen delay, τ = 0 for reference', () => {
    const spectrum = [
      [3, 2, 1],
      [0.3, 0.2, 0.1],
    ];
    const [s, ref] = spectrumSeries(spectrum, 1, true);
    expect(s.points).toEqual([
      { x: 1, y: 0.3 },
      { x: 2, y: 0.2 },
      { x: 3, y: 0.1 },
    ]);
    expect(ref.points[0]).toEqual({ x: 1, y: 3 });
    expect(spectrumSeries(spectrum, 0, true)).toHaveLength(1);
    expect(spectrumSeries(spectrum, 5)[0].points).toEqual([]);
  });
});
