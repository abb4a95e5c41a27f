import { describe, expect, it } from 'vitest';
import {
  ablationClassGroups,
  bandDeltaSeries,
  classDeltaSeries,
  curvePoints,
  defaultAblationClasses,
  deltaSeries,
  frequencyBands,
  truncationSeries,
} from './ablation-series';
import { ablationCellText, ablationHeader } from './ablation-header';
import { deltaAt, makeAblationRecord, truncationAt } from './ablation-test-record';
import { GREY, seriesColour } from './palette';

const rec = makeAblationRecord({ maxDelay: 6 });

describe('ablation plots', () => {
  it('Δ(τ): one point per delay 0..D with its SE as a band', () => {
    const [s] = deltaSeries(rec);
    expect(s.points.map((p) => p.x)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(s.points[4].y).toBeCloseTo(deltaAt(4), 15);
    expect(s.points[4].se).toBeCloseTo(0.05 * deltaAt(4), 15);
    expect(s.band).toBe(true);
  });

  it('a point without a mean or an SE stays a gap, and a curve without SEs has no band', () => {
    const pts = curvePoints({ mean: [1, null, 0.5], se: [null, null, null], pairs: [3, 0, 2] }, 0);
    expect(pts).toEqual([
      { x: 0, y: 1, se: null },
      { x: 1, y: null, se: null },
      { x: 2, y: 0.5, se: null },
    ]);
    const bare = makeAblationRecord({ maxDelay: 2 });
    bare.delta.se = [null, null, null];
    expect(deltaSeries(bare)[0].band).toBe(false);
  });

  it('T(k) runs over k = 1..D+1, with the baseline loss as a grey reference', () => {
    const [t, base] = truncationSeries(rec);
    expect(t.points.map((p) => p.x)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(t.points[0].y).toBeCloseTo(truncationAt(1), 15);
    expect(t.points[6].y).toBeCloseTo(truncationAt(7), 15);
    expect(base.colour).toBe(GREY);
    expect(base.points.map((p) => [p.x, p.y])).toEqual([1, 2, 3, 4, 5, 6, 7].map((k) => [k, 5]));
    expect(base.interactive).toBe(false);
  });

  it('class groups leave the frequency bands to their own plot; the paper set is shown first', () => {
    expect(ablationClassGroups(rec).map((g) => [g.set, g.classes.map((c) => c.name)])).toEqual([
      ['paper', ['noun-sg']],
      ['upos', ['NOUN', 'VERB']],
    ]);
    expect(ablationClassGroups(rec, true).map((g) => g.set)).toEqual(['paper', 'upos', 'frequency']);
    expect(defaultAblationClasses(rec)).toEqual(['noun-sg']);
  });

  it('Δ per class: colour by place in the choice, unknown names dropped, all words in grey', () => {
    const s = classDeltaSeries(rec, ['VERB', 'nope', 'NOUN']);
    expect(s.map((x) => [x.key, x.colour])).toEqual([
      ['class:VERB', seriesColour(0)],
      ['class:NOUN', seriesColour(2)],
      ['all', GREY],
    ]);
    expect(s[0].points[2].y).toBeCloseTo(0.6 * deltaAt(2), 15);
    expect(s[0].points[2].se).toBeCloseTo(0.05 * 0.6 * deltaAt(2), 15);
    expect(s[2].points[2].y).toBeCloseTo(deltaAt(2), 15);
  });

  it('frequency bands: the classes of the frequency set, as curves', () => {
    expect(frequencyBands(rec)).toEqual(['frequent', 'rare']);
    const s = bandDeltaSeries(rec);
    expect(s.map((x) => x.label)).toEqual(['frequent', 'rare', 'all words']);
    expect(s[1].points[1].y).toBeCloseTo(2 * deltaAt(1), 15);
    const none = makeAblationRecord({ maxDelay: 2 });
    none.config.classes = none.config.classes.filter((c) => c.set !== 'frequency');
    expect(frequencyBands(none)).toEqual([]);
  });

  it('header: mode, delays, baseline, work and timings', () => {
    const facts = Object.fromEntries(ablationHeader(rec).flatMap((g) => g.facts.map((f) => [f.label, f.value])));
    expect(facts['Replaced token']).toBe('replaced by <unk>');
    expect(facts['Delays']).toBe('0–6; truncation k = 1–7');
    expect(facts['Tokens']).toBe('2,000 in 4 streams of 500');
    expect(facts['Split tokens']).toBe('2,000 of 82,430');
    expect(facts['Mean loss']).toBe('5 nats');
    expect(facts['Perplexity']).toBe('148.4');
    expect(facts['Work']).toMatch(/^26,000 cell steps, 28,000 output rows; .* at 2 GFLOP\/s$/);
    expect(facts['Computation']).toMatch(/\(2 workers\)$/);
    const shuffled = makeAblationRecord();
    shuffled.config.mode = 'shuffle';
    shuffled.config.seed = 7;
    expect(Object.fromEntries(ablationHeader(shuffled)[0].facts.map((f) => [f.label, f.value]))['Replaced token']).toBe(
      'replaced by the token at another position of the stream (seed 7)',
    );
    expect(ablationCellText({ modelShape: { ...rec.modelShape, cells: ['lstm', 'gru'] } })).toBe('LSTM → GRU');
  });
});
