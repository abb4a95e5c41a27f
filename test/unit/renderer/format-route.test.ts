// The formatting rules the renderer and the CLI share (shared/format.ts), and the renderer's hash routes.
import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatFlops,
  formatNumber,
  formatParams,
  formatPercent,
  formatValue,
  formatWithSe,
} from '../../../shared/format';
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
  it('one convention above a minute: minutes under hours and seconds under minutes take two digits', () => {
    expect(formatDuration(125)).toBe('2 min 05 s');
    expect(formatDuration(60)).toBe('1 min 00 s');
    expect(formatDuration(59.6)).toBe('1 min 00 s');
    expect(formatDuration(3725)).toBe('1 h 02 min');
    expect(formatDuration(3600)).toBe('1 h 00 min');
    expect(formatDuration(36000)).toBe('10 h 00 min');
  });
  it('precise durations keep their digits below a minute and read the same above it', () => {
    expect(formatDuration(4.754, { precise: true })).toBe('4.8 s');
    expect(formatDuration(0.34, { precise: true })).toBe('0.34 s');
    expect(formatDuration(42.44, { precise: true })).toBe('42.4 s');
    expect(formatDuration(59.7, { precise: true })).toBe('1 min 00 s');
    expect(formatDuration(125, { precise: true })).toBe('2 min 05 s');
    expect(formatDuration(3725, { precise: true })).toBe('1 h 02 min');
    expect(formatDuration(Number.NaN, { precise: true })).toBe('—');
  });
  it('counts, shares, sizes and parameter counts', () => {
    expect(formatCount(1160032.4)).toBe('1,160,032');
    expect(formatPercent(0.2409, 2)).toBe('24.09 %');
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(123088)).toBe('120 KiB');
    expect(formatBytes(50_000)).toBe('49 KiB');
    expect(formatBytes(3.4 * 1024 * 1024)).toBe('3.4 MiB');
    expect(formatParams(845)).toBe('845');
    expect(formatParams(30772)).toBe('30.8 k');
    expect(formatParams(3538704)).toBe('3.54 M');
    expect(formatNumber(78.7312)).toBe('78.73');
    expect(formatNumber(Number.NaN)).toBe('—');
    expect(formatFlops(7824998400)).toBe('7.82 GFLOP');
    expect(formatFlops(2.5e6)).toBe('2.5 MFLOP');
  });
  it('values keep six significant digits, in exponent form for the very small and large', () => {
    expect(formatValue(0.06883996327104275)).toBe('0.06884');
    expect(formatValue(0.123456789)).toBe('0.123457');
    expect(formatValue(1.3512345e-6)).toBe('1.35123e-6');
    expect(formatValue(2e-5)).toBe('2e-5');
    expect(formatValue(12345678)).toBe('1.23457e7');
    expect(formatValue(-0.5)).toBe('-0.5');
    expect(formatValue(0)).toBe('0');
    expect(formatValue(1.8647, 3)).toBe('1.86');
    expect(formatValue(1.8651, 3)).toBe('1.87');
  });
  it('missing values show as a dash; a standard error takes three digits', () => {
    expect(formatValue(null)).toBe('—');
    expect(formatValue(Number.NaN)).toBe('—');
    expect(formatWithSe(null, 0.1)).toBe('—');
    expect(formatWithSe(0.0688, 0.000122402)).toBe('0.0688 ± 1.22e-4');
    expect(formatWithSe(0.5, null)).toBe('0.5');
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
