// The Paper check (findings of a run, from runFindings / runCompare) as the views show it:
// each answer as a symbol and a word, never colour alone; the numbers as labelled values;
// and the Compare table, one row per finding and one cell per run.
import type { Finding, RunFindings } from '../../../../shared/schemas/findings';
import { CELL_LABELS } from '../../../../shared/schemas/model';
import { formatValue } from '../../../../shared/format';

export type VerdictTone = 'holds' | 'fails' | 'unknown';

export interface Verdict {
  /** ✓ holds, ✗ does not hold, ? cannot tell */
  symbol: '✓' | '✗' | '?';
  label: 'holds' | 'does not hold' | 'cannot tell';
  tone: VerdictTone;
}

export function verdictOf(holds: boolean | null): Verdict {
  if (holds === true) return { symbol: '✓', label: 'holds', tone: 'holds' };
  if (holds === false) return { symbol: '✗', label: 'does not hold', tone: 'fails' };
  return { symbol: '?', label: 'cannot tell', tone: 'unknown' };
}

export interface FindingRow {
  id: string;
  title: string;
  source: string;
  verdict: Verdict;
  /** why it cannot tell (null when it can) */
  reason: string | null;
  detail: string;
  test: string;
  /** the values the answer rests on, formatted; '—' where undefined */
  numbers: { key: string; value: string }[];
  /** one line for a tooltip: the verdict, what decided it and why it cannot tell */
  summary: string;
}

/** One line: 'cannot tell — reason; detail' or 'holds — detail'. */
export function findingSummary(f: Pick<Finding, 'holds' | 'reason' | 'detail'>): string {
  const v = verdictOf(f.holds);
  const parts = (f.holds === null ? [f.reason ?? '', f.detail] : [f.detail]).filter((s) => s !== '');
  return parts.length ? `${v.symbol} ${v.label}: ${parts.join('; ')}` : `${v.symbol} ${v.label}`;
}

export function findingRows(result: RunFindings): FindingRow[] {
  return result.findings.map((f) => ({
    id: f.id,
    title: f.title,
    source: f.source,
    verdict: verdictOf(f.holds),
    reason: f.holds === null ? f.reason : null,
    detail: f.detail,
    test: f.test,
    numbers: Object.entries(f.numbers).map(([key, value]) => ({ key, value: formatValue(value, 4) })),
    summary: findingSummary(f),
  }));
}

export interface FindingsTally {
  holds: number;
  fails: number;
  unknown: number;
}

export function findingsTally(result: RunFindings): FindingsTally {
  const count = (h: boolean | null) => result.findings.filter((f) => f.holds === h).length;
  return { holds: count(true), fails: count(false), unknown: count(null) };
}

/** '3 hold, 2 do not hold, 4 cannot tell' */
export function tallyText(t: FindingsTally): string {
  return `${t.holds} hold, ${t.fails} ${t.fails === 1 ? 'does' : 'do'} not hold, ${t.unknown} cannot tell`;
}

export interface CompareFindingsRow {
  id: string;
  title: string;
  source: string;
  test: string;
  /** one per run, in the order of the runs */
  cells: { run: string; verdict: Verdict; summary: string }[];
}

/**
 * One row per finding (in the order the first run lists them), one cell per run. A finding
 * missing from a run (an engine that knows fewer) is 'cannot tell'. The test shown is the
 * first run's: the wording depends on the run (its D, K, H, E) only in its numbers.
 */
export function compareFindingsRows(runs: readonly RunFindings[]): CompareFindingsRow[] {
  const ids: string[] = [];
  for (const r of runs) for (const f of r.findings) if (!ids.includes(f.id)) ids.push(f.id);
  return ids.map((id) => {
    const first = runs.flatMap((r) => r.findings).find((f) => f.id === id)!;
    return {
      id,
      title: first.title,
      source: first.source,
      test: first.test,
      cells: runs.map((r) => {
        const f = r.findings.find((x) => x.id === id);
        return f
          ? { run: r.run, verdict: verdictOf(f.holds), summary: findingSummary(f) }
          : { run: r.run, verdict: verdictOf(null), summary: '? cannot tell: this run was not checked for it' };
      }),
    };
  });
}

/** 'LSTM', 'GRU', … the cell of the layer a run analysed. */
export const findingsCellLabel = (r: Pick<RunFindings, 'cell'>): string => CELL_LABELS[r.cell];

/**
 * For Compare: which runs analysed a layer that is not an LSTM, and that the findings' expected
 * values come from LSTMs; null when every run is of an LSTM.
 */
export function compareCellCaveat(runs: readonly Pick<RunFindings, 'run' | 'cell'>[], labels: Record<string, string> = {}): string | null {
  const others = runs.filter((r) => r.cell !== 'lstm');
  if (others.length === 0) return null;
  const named = others.map((r) => `${labels[r.run] ?? r.run} (${CELL_LABELS[r.cell]})`).join(', ');
  return `The published findings were made on LSTMs, so their expected values come from an LSTM; ${named} ${others.length === 1 ? 'is' : 'are'} checked against them all the same.`;
}
