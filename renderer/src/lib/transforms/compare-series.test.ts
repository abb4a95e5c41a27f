import { describe, expect, it } from 'vitest';
import {
  compareMetrics,
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

  it('key numbers: σ₁(0), decay length, half-life, σ₁/Σσ at delay 10, m at delay 0', () => {
    const t = keyNumbers([a, b]);
    expect(t.columns.map((c) => c.key)).toEqual(['sigma1_0', 'decay_length', 'half_life', 'ratio1_10', 'm0:sg-pl', 'm0:common-proper']);
    expect(t.rows[0].values[0]).toBeCloseTo(0.1, 15);
    expect(t.rows[0].values[2]).toBeCloseTo(2 * Math.LN2, 15);
    expect(t.rows[0].values[3]).toBeCloseTo(1 / (5 * 2), 15);
    expect(t.rows[0].values.slice(4)).toEqual([0.8, 0.6]);
    // b stops at delay 8 and has no sg-pl
    expect(t.rows[1].values[3]).toBeNull();
    expect(t.rows[1].values[4]).toBeNull();
    expect(keyNumbersToCsv(t).split('\n')[2]).toBe('b,0.2,2,1.3862943611198906,,,0.6');
  });
});
