// The renderer's formatting rules and its hash routes.
import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatDuration, formatNumber, formatParams, formatPercent } from '../../../renderer/src/lib/state/format';
import { formatRoute, navSection, needsProject, parseRoute, type Route } from '../../../renderer/src/lib/state/route';

describe('formatting', () => {
  it('durations read as hours and minutes, minutes and seconds, or seconds', () => {
    expect(formatDuration(7500)).toBe('2 h 05 min');
    expect(formatDuration(187)).toBe('3 min 07 s');
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(0.3)).toBe('< 1 s');
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('—');
    expect(formatDuration(-1)).toBe('—');
  });
  it('counts, shares, sizes and parameter counts', () => {
    expect(formatCount(1160032.4)).toBe('1,160,032');
    expect(formatPercent(0.2409, 2)).toBe('24.09 %');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(123088)).toBe('120 KB');
    expect(formatBytes(50_000)).toBe('48.8 KB');
    expect(formatBytes(3.4 * 1024 * 1024)).toBe('3.4 MB');
    expect(formatParams(845)).toBe('845');
    expect(formatParams(30772)).toBe('30.8 k');
    expect(formatParams(3538704)).toBe('3.54 M');
    expect(formatNumber(78.7312)).toBe('78.73');
    expect(formatNumber(Number.NaN)).toBe('—');
  });
});

describe('routes', () => {
  const routes: Route[] = [
    { view: 'projects' },
    { view: 'corpora', id: null },
    { view: 'corpora', id: 'brown60' },
    { view: 'models', id: 'ptb small' },
    { view: 'sweeps', model: null },
    { view: 'sweeps', model: 'small' },
    { view: 'results', runId: 'small-c1-d30' },
    { view: 'compare', runIds: ['a', 'b.2'] },
    { view: 'compare', runIds: [] },
  ];
  it.each(routes)('%o survives formatting and parsing', (route) => {
    expect(parseRoute(formatRoute(route))).toEqual(route);
  });
  it('reads hand-typed and broken hashes sensibly', () => {
    expect(parseRoute('')).toEqual({ view: 'projects' });
    expect(parseRoute('#/nowhere/x')).toEqual({ view: 'projects' });
    expect(parseRoute('#/models/')).toEqual({ view: 'models', id: null });
    expect(parseRoute('#/results')).toEqual({ view: 'sweeps', model: null });
    expect(parseRoute('#/compare?runs=a,,b')).toEqual({ view: 'compare', runIds: ['a', 'b'] });
    expect(parseRoute('#/corpora/%E0%A4%A')).toEqual({ view: 'corpora', id: '%E0%A4%A' });
  });
  it('every view but Projects needs a project; Results belongs to Sweeps in the sidebar', () => {
    expect(needsProject('projects')).toBe(false);
    expect(needsProject('models')).toBe(true);
    expect(navSection({ view: 'results', runId: 'r' })).toBe('sweeps');
  });
});
