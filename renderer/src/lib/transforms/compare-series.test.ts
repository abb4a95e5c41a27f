import { describe, expect, it } from 'vitest';
import {
  compareMetrics,
  decayComparison,
  decayComparisonToCsv,
  keyNumbers,
  keyNumbersToCsv,
  overlayPropertySeries,
  overlaySelectivitySeries,
  overlaySeries,
  propertyNames,
  runLabel,
  smallMultiples,
} from './compare-series';
import { seriesColour } from './palette';
import { makeRecord, sigma1At, sumAt } from './test-record';

const a = makeRecord({ id: 'a', model: 'small', units: [32] });
const b = makeRecord({ id: 'b', model: 'wide', units: [64], scale: 2, maxDelay: 8, properties: ['common-proper'] });

describe('compare', () => {
  it('labels runs by id, model and the analysed layer width', () => {
    expect(runLabel(b)).toBe('b · wide, H 64');
  });

  it('one colour per run; metrics include m of every property of any run', () => {
    expect(propertyNames([b, a])).toEqual(['common-proper', 'sg-pl']);
    const metrics = compareMetrics([a, b]);
    expect(metrics.map((m) => m.key)).toEqual(['sigma1', 'sum', 'ratio1', 'ratio5', 'm:sg-pl', 'm:common-proper']);
    const s = overlaySeries([a, b], metrics[0]);
    expect(s.map((x) => x.colour)).toEqual([seriesColour(0), seriesColour(1)]);
    expect(s[1].points).toHaveLength(9);
    expect(s[1].points[3].y).toBeCloseTo(2 * sigma1At(3), 15);
    expect(s[1].points[3].se).toBeCloseTo(0.02 * sigma1At(3), 15);
    // b has no sg-pl: its m curve is all gaps
    expect(overlaySeries([a, b], metrics[4])[1].points.every((p) => p.y === null)).toBe(true);
  });

  it('m overlays: only the properties a run has, dash per property', () => {
    const s = overlayPropertySeries([a, b]);
    expect(s.map((x) => [x.label, x.dash, x.colour])).toEqual([
      ['a · m sg-pl', 'solid', seriesColour(0)],
      ['a · m common-proper', 'dashed', seriesColour(0)],
      ['b · m common-proper', 'dashed', seriesColour(1)],
    ]);
    expect(overlaySelectivitySeries([a, b]).map((x) => x.dash)).toEqual(['solid', 'dotted', 'solid', 'dotted']);
  });

  it('small multiples: a panel per run in its colour', () => {
    const panels = smallMultiples([a, b], compareMetrics([a, b])[1]);
    expect(panels.map((p) => p.title)).toEqual(['a · small, H 32', 'b · wide, H 64']);
    expect(panels[1].series[0].colour).toBe(seriesColour(1));
    expect(panels[1].series[0].points[2].y).toBeCloseTo(2 * sumAt(2), 15);
  });

  it('key numbers: σ₁(0), σ₁/Σσ at delay 10, m at delay 0', () => {
    const t = keyNumbers([a, b]);
    expect(t.columns.map((c) => c.key)).toEqual(['sigma1_0', 'ratio1_10', 'm0:sg-pl', 'm0:common-proper']);
    expect(t.rows[0].values[0]).toBeCloseTo(0.1, 15);
    expect(t.rows[0].values[1]).toBeCloseTo(1 / (5 * 2), 15);
    expect(t.rows[0].values.slice(2)).toEqual([0.8, 0.6]);
    // b stops at delay 8 and has no sg-pl
    expect(t.rows[1].values[1]).toBeNull();
    expect(t.rows[1].values[2]).toBeNull();
    expect(keyNumbersToCsv(t).split('\n')[2]).toBe('b,0.2,,,0.6');
  });

  it('decay models side by side: the model chosen for σ₁, its parameters, R², AIC margin and memory length', () => {
    const c = makeRecord({ id: 'c' });
    c.summary.decayModels!.sigma1!.chosen = 'power-law';
    c.summary.decayModels!.sigma1!.memoryLength = { threshold: 0.1, tau: null, low: 20, high: null, maxDelay: 12, withSe: true };
    const d = makeRecord({ id: 'd' });
    d.summary.decayModels = null;
    const rows = decayComparison([a, b, c, d]);
    expect(rows.map((r) => [r.run, r.model, r.colour])).toEqual([
      ['a', 'exponential', seriesColour(0)],
      ['b', 'exponential', seriesColour(1)],
      ['c', 'power-law', seriesColour(2)],
      ['d', null, seriesColour(3)],
    ]);
    expect(rows[0]).toMatchObject({ text: 'exponential, half-life 1.39 tokens', paramsText: 'a = 0.1, k = 0.5', r2: 1, memoryText: '5 tokens (± 1 SE: 5)' });
    expect(rows[0].aicMargin).toBeCloseTo(4, 10);
    // b has twice the amplitude (scale 2), the same rate
    expect(rows[1].params).toEqual({ a: 0.2, k: 0.5 });
    expect(rows[2]).toMatchObject({ text: 'power law, p = 2.17', r2: 0.592587, memoryText: '> 12 tokens (± 1 SE: 20 to > 12)' });
    expect(rows[2].aicMargin).toBeCloseTo(-382.834 - 98.7888, 10);
    expect(rows[3]).toMatchObject({ text: 'no fit', paramsText: '—', r2: null, aicMargin: null, memoryLength: null, memoryText: '—' });
    const csv = decayComparisonToCsv(rows).split('\n');
    expect(csv[0]).toBe('run,model,a,k,a1,k1,a2,k2,p,r2,aic_margin,memory_length,memory_length_low,memory_length_high,max_delay');
    expect(csv[1]).toBe(`a,exponential,0.1,0.5,,,,,,1,${rows[0].aicMargin},5,5,5,12`);
    expect(csv[3]).toBe(`c,power-law,0.0883699,,,,,,2.16566,0.592587,${rows[2].aicMargin},,20,,12`);
    expect(csv[4]).toBe('d,,,,,,,,,,,,,,');
  });

  it('the AIC margin leaves out fits with a rate at the cap, which are never chosen', () => {
    const e = makeRecord({ id: 'e' });
    const fits = e.summary.decayModels!.sigma1!.fits;
    const exp = fits.find((f) => f.model === 'exponential')!;
    const others = fits.filter((f) => f !== exp);
    const [capped, rest] = [others[0], others.slice(1)];
    Object.assign(capped, { aic: exp.aic! - 50, atRateCap: true });
    const [row] = decayComparison([e]);
    expect(row.model).toBe('exponential');
    expect(row.aicMargin).toBeCloseTo(Math.min(...rest.map((f) => f.aic!)) - exp.aic!, 10);
    expect(row.aicMargin!).toBeGreaterThan(0);
  });
});
