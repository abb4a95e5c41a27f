import { describe, expect, it } from 'vitest';
import { decadeTicks, integerTicks, logTicks, xExtent, yDomain, yExtent } from './extent';
import type { PlotSeries } from './series';

const series = (points: PlotSeries['points'], band = true): PlotSeries => ({
  key: 'k',
  label: 'k',
  colour: 'c',
  dash: 'solid',
  points,
  band,
  interactive: true,
});

describe('extents and ticks', () => {
  it('y extent includes the bands, skips nulls, and non-positive values on a log axis', () => {
    const s = series([
      { x: 0, y: 1, se: 0.5 },
      { x: 1, y: null },
      { x: 2, y: 0.01, se: 0.02 },
      { x: 3, y: -1 },
    ]);
    expect(yExtent([s], false)).toEqual([-1, 1.5]);
    // 0.01 − 0.02 < 0 is left out on a log axis, 0.01 + 0.02 is kept
    expect(yExtent([s], true)).toEqual([0.01, 1.5]);
    expect(yExtent([series([{ x: 0, y: null }])], true)).toBeNull();
    expect(xExtent([s])).toEqual([0, 3]);
  });

  it('domains: linear from 0 with headroom, log to whole decades', () => {
    expect(yDomain([0.2, 1], false)).toEqual([0, 1.05]);
    expect(yDomain([3e-6, 0.5], true)).toEqual([1e-6, 1]);
    expect(yDomain([0.1, 0.1], true)).toEqual([0.1, 1]);
    expect(yDomain(null, false)).toEqual([0, 1]);
  });

  it('decade and integer ticks', () => {
    expect(decadeTicks(1e-6, 1)).toEqual([1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1]);
    expect(decadeTicks(1e-12, 1, 4)).toEqual([1e-12, 1e-8, 1e-4, 1]);
    expect(integerTicks(0, 30)).toEqual([0, 5, 10, 15, 20, 25, 30]);
    expect(integerTicks(0, 4)).toEqual([0, 1, 2, 3, 4]);
    expect(integerTicks(1, 16, 6)).toEqual([1, 5, 10, 15]);
    expect(integerTicks(1, 200, 10)).toEqual([1, 20, 40, 60, 80, 100, 120, 140, 160, 180, 200]);
    // a first tick close to the start is enough: no crowded 4, 5 or 1, 2
    expect(integerTicks(4, 30, 6)).toEqual([5, 10, 15, 20, 25, 30]);
    expect(integerTicks(1, 16, 10)).toEqual([2, 4, 6, 8, 10, 12, 14, 16]);
  });
});

describe('logTicks', () => {
  it('adds 2 and 5 inside a single decade, and keeps decades only when the domain spans more', () => {
    expect(logTicks(0.1, 1)).toEqual([0.1, 0.2, 0.5, 1]);
    expect(logTicks(10, 100)).toEqual([10, 20, 50, 100]);
    expect(logTicks(0.01, 1)).toEqual([0.01, 0.1, 1]);
    expect(logTicks(1e-6, 1, 4)).toEqual(decadeTicks(1e-6, 1, 4));
  });
});
