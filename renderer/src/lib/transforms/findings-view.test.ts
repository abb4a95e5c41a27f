import { describe, expect, it } from 'vitest';
import type { Finding, RunFindings } from '../../../../shared/schemas/findings';
import { compareFindingsRows, findingRows, findingSummary, findingsTally, tallyText, verdictOf } from './findings-view';

const finding = (id: Finding['id'], holds: boolean | null, extra: Partial<Finding> = {}): Finding => ({
  id,
  title: `title of ${id}`,
  source: 'Verwimp et al. 2018',
  holds,
  reason: holds === null ? 'SE too large' : null,
  detail: `detail of ${id}`,
  test: `test of ${id}`,
  numbers: { 'sigma1@0': 1.23456789, 'sigma1@5': null },
  ...extra,
});

const result = (run: string, findings: Finding[]): RunFindings => ({ run, analysisVersion: 2, cell: 'lstm', caveat: null, findings });

describe('verdictOf', () => {
  it('gives a symbol and a word for each answer, so the state never rests on colour', () => {
    expect(verdictOf(true)).toEqual({ symbol: '✓', label: 'holds', tone: 'holds' });
    expect(verdictOf(false)).toEqual({ symbol: '✗', label: 'does not hold', tone: 'fails' });
    expect(verdictOf(null)).toEqual({ symbol: '?', label: 'cannot tell', tone: 'unknown' });
  });
});

describe('findingRows', () => {
  it('formats the numbers, keeps the test and source, and the reason only when it cannot tell', () => {
    const rows = findingRows(result('r', [finding('sv-decay-fast', true), finding('memory-after-20', null, { detail: '' })]));
    expect(rows[0]).toMatchObject({ id: 'sv-decay-fast', reason: null, test: 'test of sv-decay-fast', source: 'Verwimp et al. 2018' });
    expect(rows[0].numbers).toEqual([
      { key: 'sigma1@0', value: '1.235' },
      { key: 'sigma1@5', value: '—' },
    ]);
    expect(rows[0].summary).toBe('✓ holds: detail of sv-decay-fast');
    expect(rows[1].reason).toBe('SE too large');
    expect(rows[1].summary).toBe('? cannot tell: SE too large');
  });

  it('a reason on a decided finding is not shown', () => {
    expect(findingRows(result('r', [finding('sv-decay-fast', false, { reason: 'stray' })]))[0].reason).toBeNull();
    expect(findingSummary({ holds: false, reason: 'stray', detail: '' })).toBe('✗ does not hold');
  });
});

describe('tally', () => {
  it('counts each answer', () => {
    const t = findingsTally(result('r', [finding('sv-decay-fast', true), finding('memory-after-20', false), finding('sgpl-then-cmpr', null), finding('nouns-remembered-best', null)]));
    expect(t).toEqual({ holds: 1, fails: 1, unknown: 2 });
    expect(tallyText(t)).toBe('1 hold, 1 does not hold, 2 cannot tell');
    expect(tallyText({ holds: 0, fails: 3, unknown: 0 })).toBe('0 hold, 3 do not hold, 0 cannot tell');
  });
});

describe('compareFindingsRows', () => {
  it('one row per finding, one cell per run in order; a finding a run lacks is cannot tell', () => {
    const rows = compareFindingsRows([
      result('a', [finding('sv-decay-fast', true), finding('memory-after-20', false)]),
      result('b', [finding('sv-decay-fast', null)]),
    ]);
    expect(rows.map((r) => r.id)).toEqual(['sv-decay-fast', 'memory-after-20']);
    expect(rows[0].cells.map((c) => [c.run, c.verdict.symbol])).toEqual([
      ['a', '✓'],
      ['b', '?'],
    ]);
    expect(rows[0].cells[1].summary).toBe('? cannot tell: SE too large; detail of sv-decay-fast');
    expect(rows[1].cells.map((c) => c.verdict.label)).toEqual(['does not hold', 'cannot tell']);
    expect(rows[1].cells[1].summary).toMatch(/not checked/);
  });

  it('no runs, no rows', () => {
    expect(compareFindingsRows([])).toEqual([]);
  });
});
