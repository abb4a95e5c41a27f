// Per word type: its tag counts and most frequent tags (from the lexicon).
import type { Lexicon } from './lexicon';
import { readLexicon, sortedWords, topTag, totalCount } from './lexicon';
import { lexiconFile } from './corpus-files';

export interface WordTagProfile {
  word: string;
  total: number;
  fine: Map<string, number>;
  universal: Map<string, number>;
  /** Most frequent fine / universal tag (ties: alphabetically first); null when untagged. */
  topFine: string | null;
  topUniversal: string | null;
}

export function wordTagProfiles(lex: Lexicon): WordTagProfile[] {
  return sortedWords(lex).map((word) => {
    const e = lex.get(word)!;
    return { word, total: totalCount(e), fine: e.fine, universal: e.universal, topFine: topTag(e.fine), topUniversal: topTag(e.universal) };
  });
}

/** Profiles of every word type of the corpus in `dir`, most frequent first. */
export async function readWordTagProfiles(dir: string): Promise<WordTagProfile[]> {
  return wordTagProfiles(await readLexicon(lexiconFile(dir)));
}
