import { describe, expect, it } from 'vitest';
import { barsToCsv, seriesToCsv, toCsv } from './csv';
import type { PlotSeries } from './series';

const s = (key: string, label: string, points: PlotSeries['points'], band = false): PlotSeries => ({
  key,
  label,
  colour: 'red',
  dash: 'solid',
  points,
  band,
  interactive: true,
});

describe('CSV', () => {
  it('quotes fields with commas, quotes and line breaks', () => {
    expect(toCsv(['a', 'b'], [['x,y', 'say "hi"'], [1.5, null]])).toBe('a,b\n"x,y","say ""hi"""\n1.5,\n');
  });
  it('series: one row per x over the union, SE columns for banded series, full precision', () => {
    const csv = seriesToCsv(
      [
        s('a', 'σ₁', [
          { x: 0, y: 0.06883996327104275, se: 0.0001 },
          { x: 1, y: 0.05, se: null },
        ], true),
        s('b', 'fit', [
          { x: 1, y: 2 },
          { x: 2, y: null },
        ]),
      ],
      'delay',
    );
    expect(csv).toBe('delay,σ₁,σ₁ SE,fit\n0,0.06883996327104275,0.0001,\n1,0.05,,2\n2,,,\n');
  });
  it('bars', () => {
    expect(barsToCsv([{ key: 'a', label: 'noun, sg', value: 0.25, colour: 'x' }], 'class', 'σ₁')).toBe('class,σ₁\n"noun, sg",0.25\n');
  });
});
