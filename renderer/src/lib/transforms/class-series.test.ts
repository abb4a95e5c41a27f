import { describe, expect, it } from 'vitest';
import { classBars, classCurves, classGroups, defaultClasses } from './class-series';
import { GREY, seriesColour } from './palette';
import { FIXTURE_CLASSES, makeRecord, sigma1At, sumAt } from './test-record';

describe('(c) classes', () => {
  const r = makeRecord();

  it('groups classes by set and starts with the paper set', () => {
    expect(classGroups(r).map((g) => [g.set, g.classes.map((c) => c.name)])).toEqual([
      ['paper', ['noun-sg', 'noun-pl']],
      ['upos', ['NOUN', 'VERB']],
    ]);
    expect(defaultClasses(r)).toEqual(['noun-sg', 'noun-pl']);
  });

  it('one curve per chosen class in its own colour, all words in grey', () => {
    const curves = classCurves(r, ['VERB', 'noun-sg'], 'sigma1');
    expect(curves.map((c) => [c.label, c.colour])).toEqual([
      ['VERB', seriesColour(0)],
      ['noun-sg', seriesColour(1)],
      ['all words', GREY],
    ]);
    expect(curves[0].points[3].y).toBeCloseTo(0.7 * sigma1At(3), 15);
    expect(curves[2].points[3].y).toBeCloseTo(sigma1At(3), 15);
  });

  it('bars at a delay in the same colours; an unknown class is null', () => {
    const bars = classBars(r, 2, ['noun-sg', 'gone'], 'sum');
    expect(bars[0].value).toBeCloseTo(FIXTURE_CLASSES[0].factor * sumAt(2), 15);
    expect(bars[0].colour).toBe(seriesColour(0));
    expect(bars[1].value).toBeNull();
    expect(classBars(r, 99, ['noun-sg'], 'sum')[0].value).toBeNull();
  });
});
