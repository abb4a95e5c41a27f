import { describe, expect, it } from 'vitest';
import {
  ablationPairs,
  ablationRun,
  behaviourRows,
  crossingBelow,
  crossingRows,
  crossingRowsToCsv,
  normalisedPoints,
  normalisedSeries,
  sweepRun,
} from './ablation-compare';
import { deltaAt, makeAblationRecord } from './ablation-test-record';
import { makeRecord, sigma1At } from './test-record';
import { seriesColour } from './palette';
import { memoryLengthText } from './run-series';
import type { Finding, RunFindings } from '../../../../shared/schemas/findings';

const sweep = makeRecord({ id: 's', model: 'small', maxDelay: 12 });
const abl = makeAblationRecord({ id: 'a', model: 'small', maxDelay: 12, scale: 3 });

describe('compare with ablations', () => {
  it('normalises each curve by its own value at τ = 0, SE included', () => {
    const [s, a] = normalisedSeries([sweepRun(sweep), ablationRun(abl)]);
    expect(s.points[0].y).toBeCloseTo(1, 15);
    expect(s.points[4].y).toBeCloseTo(sigma1At(4) / sigma1At(0), 12);
    expect(s.points[4].se).toBeCloseTo((0.01 * sigma1At(4)) / sigma1At(0), 12);
    // the scale of Δ cancels
    expect(a.points[4].y).toBeCloseTo(deltaAt(4) / deltaAt(0), 12);
    expect(a.points[4].se).toBeCloseTo((0.05 * deltaAt(4)) / deltaAt(0), 12);
    expect([s.dash, a.dash]).toEqual(['solid', 'dashed']);
    expect([s.colour, a.colour]).toEqual([seriesColour(0), seriesColour(1)]);
    expect([s.label, a.label]).toEqual(['s · σ₁(τ)/σ₁(0)', 'a · Δ(τ)/Δ(0)']);
    const t = normalisedSeries([sweepRun(sweep), ablationRun(makeAblationRecord({ maxDelay: 20 }))])[2];
    expect(t.points).toEqual([
      { x: 0, y: 0.1 },
      { x: 20, y: 0.1 },
    ]);
    expect([t.dash, t.interactive, t.label]).toEqual(['dotted', false, '10 % of the value at τ = 0']);
    expect(normalisedSeries([])).toEqual([]);
  });

  it('cannot normalise by a missing, zero or negative value at τ = 0', () => {
    for (const y0 of [null, 0, -0.2]) {
      const pts = normalisedPoints([
        { x: 0, y: y0, se: 0.1 },
        { x: 1, y: 0.5, se: 0.1 },
      ]);
      expect(pts.map((p) => p.y)).toEqual([null, null]);
    }
  });

  it('first delay below 10 % of τ = 0: e^{−τ/3} < 0.1 from τ = 7, σ₁ = e^{−τ/2} from τ = 5', () => {
    // 3·ln 10 = 6.91, 2·ln 10 = 4.61
    const [s, a] = crossingRows([sweepRun(sweep), ablationRun(abl)]);
    expect(s.crossing?.tau).toBe(5);
    expect(a.crossing?.tau).toBe(7);
    expect(a.atZero).toBeCloseTo(3 * deltaAt(0), 15);
    expect([s.quantity, a.quantity]).toEqual(['σ₁', 'Δ']);
    // SE 5 %: low from 0.95·e^{−τ/3} < 0.105 (τ > 6.61), high from 1.05·e^{−τ/3} < 0.095 (τ > 7.21)
    expect(a.crossing?.low).toBe(7);
    expect(a.crossing?.high).toBe(8);
    expect(memoryLengthText(a.crossing)).toBe('7 tokens (± 1 SE: 7–8)');
    const csv = crossingRowsToCsv([s, a]).split('\n');
    expect(csv[0]).toBe('run,kind,quantity,value_at_0,first_below,first_below_low,first_below_high,max_delay,fraction');
    expect(csv[2]).toBe(`a,ablation,Δ,${3 * deltaAt(0)},7,7,8,12,0.1`);
  });

  it('wide SEs widen the range; a curve that never falls says so; negative values count as below', () => {
    const pts = [1, 0.5, 0.2, 0.12, 0.09, 0.05].map((y, x) => ({ x, y, se: 0.05 }));
    const c = crossingBelow(pts)!;
    // low: y − 0.05 < 0.105 first at y = 0.12 (x 3); tau: y < 0.1 at x 4; high: y + 0.05 < 0.095 never (0.05 + 0.05 = 0.1)
    expect([c.low, c.tau, c.high]).toEqual([3, 4, null]);
    expect(memoryLengthText(c)).toBe('4 tokens (± 1 SE: 3 to > 5)');
    const flat = crossingBelow([1, 0.9, 0.8].map((y, x) => ({ x, y, se: null })))!;
    expect([flat.tau, flat.withSe, flat.maxDelay]).toEqual([null, false, 2]);
    expect(memoryLengthText(flat)).toBe('> 2 tokens');
    expect(crossingBelow([1, 0.4, -0.01].map((y, x) => ({ x, y, se: null })))?.tau).toBe(2);
    expect(crossingBelow([0, 0.4].map((y, x) => ({ x, y, se: null })))).toBeNull();
  });

  it('pairs a sweep with every ablation of the same model, corpus and split', () => {
    const ids = (id: string, model: string, corpus = 'ptb', split: 'test' | 'valid' = 'test') => ({ id, model, corpus, split });
    expect(
      ablationPairs(
        [ids('s1', 'small'), ids('s2', 'wide')],
        [ids('a1', 'small'), ids('a2', 'small', 'brown'), ids('a3', 'small', 'ptb', 'valid'), ids('a4', 'wide'), ids('a5', 'small')],
      ),
    ).toEqual([
      { sweep: 's1', ablation: 'a1' },
      { sweep: 's1', ablation: 'a5' },
      { sweep: 's2', ablation: 'a4' },
    ]);
  });
});

describe('the gradient-matches-behaviour row of each pair', () => {
  const finding = (id: Finding['id'], holds: boolean | null): Finding => ({
    id,
    title: `title of ${id}`,
    source: 'issue 13',
    holds,
    reason: holds === null ? 'the SE bands make a crossing uncertain by 3 delays' : null,
    detail: `detail of ${id}`,
    test: `test of ${id}`,
    numbers: { 'sigma1.cross': 5, 'delta.cross': null },
  });
  const findings = (run: string, list: Finding[]): RunFindings => ({ run, analysisVersion: 2, cell: 'lstm', caveat: null, findings: list });

  it('picks that row out of the check, keeps the error of a failed call, and says when the row is missing', () => {
    const rows = behaviourRows([
      { sweep: 's1', ablation: 'a1', findings: findings('s1', [finding('sv-decay-fast', true), finding('gradient-matches-behaviour', null)]), error: null },
      { sweep: 's1', ablation: 'a2', findings: null, error: "run 'a2' is not an ablation" },
      { sweep: 's2', ablation: 'a1', findings: findings('s2', [finding('sv-decay-fast', false)]), error: null },
      { sweep: 's3', ablation: 'a1', findings: null, error: null },
    ]);
    expect(rows.map((r) => r.key)).toEqual(['s1|a1', 's1|a2', 's2|a1', 's3|a1']);
    expect(rows[0].row?.verdict.label).toBe('cannot tell');
    expect(rows[0].row?.summary).toBe('? cannot tell: the SE bands make a crossing uncertain by 3 delays; detail of gradient-matches-behaviour');
    expect(rows[0].row?.numbers).toEqual([
      { key: 'sigma1.cross', value: '5' },
      { key: 'delta.cross', value: '—' },
    ]);
    expect(rows[0].problem).toBeNull();
    expect([rows[1].row, rows[1].problem]).toEqual([null, "run 'a2' is not an ablation"]);
    expect(rows[2].problem).toBe("the findings check of 's2' has no gradient-matches-behaviour row");
    expect(rows[3].problem).toBe('still checking…');
  });
});
