// CSV of what a plot shows (RFC 4180, \n line ends): one row per x, one column per series,
// and a standard-error column beside every series drawn with a band.
import type { BarDatum, PlotSeries } from './series';

function field(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return [header, ...rows].map((r) => r.map(field).join(',')).join('\n') + '\n';
}

/** Wide table of line series over the union of their x values (full precision, blank where a series has no value). */
export function seriesToCsv(series: readonly PlotSeries[], xName: string): string {
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  const header = [xName];
  for (const s of series) {
    header.push(s.label);
    if (s.band) header.push(`${s.label} SE`);
  }
  const rows = xs.map((x) => {
    const row: (number | null)[] = [x];
    for (const s of series) {
      const p = s.points.find((q) => q.x === x);
      row.push(p?.y ?? null);
      if (s.band) row.push(p?.se ?? null);
    }
    return row;
  });
  return toCsv(header, rows);
}

export function barsToCsv(bars: readonly BarDatum[], labelName: string, valueName: string): string {
  return toCsv(
    [labelName, valueName],
    bars.map((b) => [b.label, b.value]),
  );
}
