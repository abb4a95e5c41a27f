// Token preprocessing of the PTB language-modelling setup: lowercase, numbers to 'N'.
// The end-of-sentence token is added when sentences are encoded (see encodeSplit).
import type { Preprocessing } from '../../../shared/schemas/corpus';

export const NUMBER_TOKEN = 'N';

// 3, -4, +2, 3.5, .5, 1,000, 1/2, 12:30, 3.5%: digits in groups joined by . , / :
const NUMBER = /^[+-]?(?:\d+(?:[.,/:]\d+)*|\.\d+)%?$/;

export function isNumberToken(token: string): boolean {
  // Cheap first-character check: most tokens start with a letter.
  const c = token.charCodeAt(0);
  if (!((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)) return false;
  return NUMBER.test(token);
}

/** With numbers on, 'N' itself is kept, so preprocessing twice gives the same as once. */
export function preprocessToken(token: string, p: Preprocessing): string {
  if (p.numbers && (token === NUMBER_TOKEN || isNumberToken(token))) return NUMBER_TOKEN;
  return p.lowercase ? token.toLowerCase() : token;
}

export function preprocessSentence(words: readonly string[], p: Preprocessing): string[] {
  return words.map((w) => preprocessToken(w, p));
}
