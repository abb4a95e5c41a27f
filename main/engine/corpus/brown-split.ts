// The fixed train/valid/test split of the built-in Brown corpus, by file.
import type { SplitName } from '../../../shared/schemas/corpus';

/**
 * The rule, in words (quoted in corpus.json and the README). Counting from the end of
 * each genre rather than its start gives the two smallest genres (humor: 9 files,
 * science fiction: 6) a file in every split. Result: 392 / 54 / 54 files and
 * 78.5 / 10.7 / 10.8 % of the 1,161,192 tokens.
 */
export const BROWN_SPLIT_RULE =
  'Within each of the 15 genres of cats.txt, take the files in sorted order (i = 0..n-1) and count ' +
  'from the last one, r = n-1-i: r % 10 == 0 goes to test, r % 10 == 1 to valid, every other file to train.';

/** Split of the file at position `index` (0-based, sorted) in a genre of `genreSize` files. */
export function brownSplitOf(index: number, genreSize: number): SplitName {
  const r = (genreSize - 1 - index) % 10;
  return r === 0 ? 'test' : r === 1 ? 'valid' : 'train';
}

/** Split of every file, given each file's genre. */
export function assignBrownSplits(files: ReadonlyArray<{ id: string; genre: string }>): Map<string, SplitName> {
  const byGenre = new Map<string, string[]>();
  for (const f of files) {
    const list = byGenre.get(f.genre) ?? [];
    list.push(f.id);
    byGenre.set(f.genre, list);
  }
  const out = new Map<string, SplitName>();
  for (const ids of byGenre.values()) {
    ids.sort();
    ids.forEach((id, i) => out.set(id, brownSplitOf(i, ids.length)));
  }
  return out;
}
