// Guessing a user file's format from its first non-empty lines.
import type { UserFormat } from '../../../shared/schemas/corpus';
import { splitTokens, tagSlash } from './tagged-line';
import { firstNonEmptyLines } from './text-lines';

/** How many non-empty lines are looked at. */
export const DETECT_LINES = 200;
/** Share of rows (CoNLL-U) or tokens (word/TAG) that must fit for a format to be chosen. */
const MIN_SHARE = 0.9;

const CONLLU_ID = /^[1-9]\d*(?:-[1-9]\d*|\.[1-9]\d*)?$/;

/**
 * CoNLL-U when at least 90 % of the non-comment lines are 10-column rows with a token ID;
 * word/TAG when at least 90 % of the tokens have a slash with text on both sides; else plain.
 */
export function detectFormat(lines: readonly string[]): UserFormat {
  // '#' lines are comments in CoNLL-U only; in word/TAG text '#/#' is an ordinary token.
  const rows = lines.filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const conllu = rows.filter((l) => {
    const cols = l.split('\t');
    return cols.length === 10 && CONLLU_ID.test(cols[0]);
  }).length;
  if (rows.length > 0 && conllu >= MIN_SHARE * rows.length) return 'conllu';
  let tokens = 0;
  let tagged = 0;
  for (const l of lines) {
    for (const t of splitTokens(l)) {
      tokens += 1;
      if (tagSlash(t) >= 0) tagged += 1;
    }
  }
  return tokens > 0 && tagged >= MIN_SHARE * tokens ? 'tagged' : 'plain';
}

export async function detectFileFormat(file: string): Promise<UserFormat> {
  return detectFormat(await firstNonEmptyLines(file, DETECT_LINES));
}
