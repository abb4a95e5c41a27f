// User-defined classes from a word list: one word per line (all in one class), or
// `word<TAB>class` lines (any number of classes); blank lines and '#' comments skipped.
// Words are preprocessed like the corpus (lowercased, numbers to N), so the classes
// match the corpus's word forms.
import path from 'node:path';
import { CLASS_SET_SCHEMA_VERSION, type ClassSet, type Preprocessing } from '../../../shared/schemas/corpus';
import { UserError } from '../errors';
import { preprocessToken } from './preprocess';
import { readLineBatches } from './text-lines';

export interface WordListOptions {
  id: string;
  name?: string;
  /** Class of one-column lines (default: the file name without extension). */
  defaultClass?: string;
  /** The corpus's preprocessing (corpus.json preprocessing). */
  preprocessing: Preprocessing;
}

export async function classSetFromWordList(file: string, options: WordListOptions): Promise<ClassSet> {
  const defaultClass = options.defaultClass ?? path.basename(file).replace(/\.[^.]*$/, '');
  const classes = new Map<string, Set<string>>();
  for await (const batch of readLineBatches(file)) {
    batch.lines.forEach((raw, i) => {
      const where = `${file}, line ${batch.firstLine + i}`;
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const cols = line.split('\t').map((c) => c.trim());
      if (cols.length > 2) throw new UserError(`${where}: expected 'word' or 'word<TAB>class', found ${cols.length} columns`);
      const [word, cls = defaultClass] = cols;
      if (/\s/.test(word) || word === '') throw new UserError(`${where}: '${word}' is not a single word (no spaces allowed)`);
      if (cls === '') throw new UserError(`${where}: empty class name`);
      const set = classes.get(cls) ?? new Set<string>();
      set.add(preprocessToken(word, options.preprocessing));
      classes.set(cls, set);
    });
  }
  if (classes.size === 0) throw new UserError(`${file}, line 1: no words in the word list`);
  return {
    schemaVersion: CLASS_SET_SCHEMA_VERSION,
    id: options.id,
    name: options.name ?? path.basename(file),
    source: `wordlist:${path.basename(file)}`,
    description: `Word list ${path.basename(file)}`,
    classes: Object.fromEntries([...classes.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([c, s]) => [c, [...s].sort()])),
  };
}
