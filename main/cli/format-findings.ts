// The text of `mnemoscope findings`: a header, then one line per finding with its answer,
// what decided it (its key numbers) and, when it cannot tell, why. Names in the text (run
// ids, property and class names) may come from users, so control characters are escaped.
import type { Finding, RunFindings } from '../../shared/schemas/findings';
import { CELL_LABELS } from '../../shared/schemas/model';

/** Control, line-separator and bidirectional-override characters as \uXXXX, so a name cannot move the cursor or reorder the line. */
export function escapeControl(text: string): string {
  return text.replace(/[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export const VERDICT_TEXT = { true: '✓ holds', false: '✗ does not hold', null: '? cannot tell' } as const;

export function verdictText(f: Pick<Finding, 'holds'>): string {
  return VERDICT_TEXT[String(f.holds) as keyof typeof VERDICT_TEXT];
}

const ID_WIDTH = Math.max(...['rare-remembered-longer', 'selectivity-increases'].map((s) => s.length));
const VERDICT_WIDTH = Math.max(...Object.values(VERDICT_TEXT).map((s) => s.length));

export function formatFindingLine(f: Finding): string {
  // Cannot tell: why first, then what is known; otherwise what decided it.
  const parts = (f.holds === null ? [f.reason ?? '', f.detail] : [f.detail]).filter((s) => s !== '');
  return escapeControl(`${f.id.padEnd(ID_WIDTH)}  ${verdictText(f).padEnd(VERDICT_WIDTH)}  ${parts.join('; ')}`);
}

export function formatFindings(result: RunFindings): string {
  const count = (h: boolean | null) => result.findings.filter((f) => f.holds === h).length;
  const head =
    `Run '${result.run}' against the published findings (Verwimp et al. 2018, 2020): ` +
    `${count(true)} hold, ${count(false)} do not hold, ${count(null)} cannot tell` +
    (result.analysisVersion < 2 ? ' (an analysis-version-1 run: re-run the sweep for the missing statistics)' : '');
  const cell = `Analysed layer: ${CELL_LABELS[result.cell]}${result.caveat ? `. ${result.caveat}` : ''}`;
  return [escapeControl(head), escapeControl(cell), ...result.findings.map(formatFindingLine), '(each test, and the numbers: --json; see the README, "Checking a run against the paper")'].join('\n');
}
