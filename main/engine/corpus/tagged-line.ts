// `word/TAG` lines: whitespace-separated tokens, each split at its LAST slash, so words
// may contain slashes ('and/or/CC').
import { UserError } from '../errors';

export interface TaggedLine {
  words: string[];
  tags: string[];
}

// Any whitespace but the plain space, and a run of two spaces: the cases the fast path skips.
const UNUSUAL_SPACE = /[^\S ]| {2}/;

/** Whitespace-separated tokens of a line (empty for a blank line). */
export function splitTokens(line: string): string[] {
  const t = line.trim();
  if (t === '') return [];
  // Fast path for the common case of single spaces (a regex split costs 3x more).
  return UNUSUAL_SPACE.test(t) ? t.split(/\s+/) : t.split(' ');
}

/** Index of the slash that separates word and tag, or -1 if the token has no valid split. */
export function tagSlash(token: string): number {
  const slash = token.lastIndexOf('/');
  return slash > 0 && slash < token.length - 1 ? slash : -1;
}

export function parseTaggedLine(line: string, file: string, lineNo: number): TaggedLine | null {
  const tokens = splitTokens(line);
  if (tokens.length === 0) return null;
  const words: string[] = [];
  const tags: string[] = [];
  for (const tok of tokens) {
    const slash = tagSlash(tok);
    if (slash < 0) {
      throw new UserError(`${file}, line ${lineNo}: token '${tok}' is not word/TAG (expected a word, a slash and a tag)`);
    }
    words.push(tok.slice(0, slash));
    tags.push(tok.slice(slash + 1));
  }
  return { words, tags };
}
