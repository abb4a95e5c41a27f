import { describe, expect, it } from 'vitest';
import { decayFitCurve, halfLifeText, memorySeries, propertySeries, selectivitySeries, spectrumSeries, subspaceSize } from './run-series';
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

  it('the fits are exp(intercept + slope·τ), half-life in the legend label', () => {
    const fit = series.find((s) => s.key === 'sigma1-fit')!;
    expect(fit.interactive).toBe(false);
    // the fixture's σ₁ is exactly 0.1·e^{−τ/2}, which is the fit
    for (const p of fit.points) expect(p.y).toBeCloseTo(sigma1At(p.x), 14);
    expect(fit.label).toBe('σ₁ fit, half-life 1.39 tokens');
    expect(series.find((s) => s.key === 'sum-fit')!.points[2].y).toBeCloseTo(0.5 * Math.exp(-1), 14);
  });

  it('no fit series when the summary has none; a fit that grows says so', () => {
    const none = makeRecord();
    none.summary.decay = { sigma1: null, sum: null };
    expect(memorySeries(none).map((s) => s.key)).toEqual(['sigma1', 'sum']);
    expect(halfLifeText({ ...r.summary.decay.sigma1!, slope: 0.1, halfLife: null })).toBe('no decay');
    expect(decayFitCurve({ ...r.summary.decay.sigma1!, from: 2, to: 4 }).map((p) => p.x)).toEqual([2, 3, 4]);
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
