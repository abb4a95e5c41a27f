// Adding a user's class set (from a word list) to a corpus: the `classSetAdd` procedure and
// `mnemoscope corpus classes`. A set id the corpus already has is refused unless the caller
// asks to replace it, and the built-in sets are never replaced: a sweep's default
// properties are defined on them, so overwriting one would silently change every later
// analysis, with no way back short of re-importing the corpus.
import { promises as fs } from 'node:fs';
import type { ClassSet } from '../../../shared/schemas/corpus';
import { UserError } from '../errors';
import { PAPER_CLASS_SET_ID, UPOS_CLASS_SET_ID } from './builtin-class-sets';
import { FREQUENCY_CLASS_SET_ID } from './frequency-class-set';
import { readClassSet, writeClassSet } from './class-set-store';
import { classSetFile } from './corpus-files';

/** The ids of the built-in class sets (computed at import or when a corpus is opened). */
export const BUILTIN_CLASS_SET_IDS: readonly string[] = [UPOS_CLASS_SET_ID, PAPER_CLASS_SET_ID, FREQUENCY_CLASS_SET_ID];

export interface AddClassSetOptions {
  /** Replace a user set of the same id (never a built-in one). */
  replace: boolean;
  withWriteLock<T>(fn: () => Promise<T>): Promise<T>;
}

/**
 * Why `id` cannot be written to the corpus in `corpusDir` now, or null when it can. Ids are
 * compared with the built-in ones without regard to case, since on a case-insensitive file
 * system `Paper.json` is `paper.json`; for the same reason a stored set is read back to see
 * whether it is a built-in one.
 */
export async function classSetIdProblem(corpusDir: string, corpus: string, id: string, replace: boolean): Promise<string | null> {
  if (BUILTIN_CLASS_SET_IDS.includes(id.toLowerCase())) {
    return (
      `'${id}' is a built-in class set of corpus '${corpus}' (the built-in sets ${BUILTIN_CLASS_SET_IDS.join(', ')} ` +
      `are never replaced); choose another id`
    );
  }
  const file = classSetFile(corpusDir, id);
  const existing = await fs.lstat(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (existing === null) return null;
  if (!existing.isFile()) return `${file} exists and is not a regular file; move it away or choose another id`;
  const stored = await readClassSet(corpusDir, id).catch(() => null);
  if (stored?.source.startsWith('builtin:')) {
    return `'${id}' is the built-in class set '${stored.id}' of corpus '${corpus}', which is never replaced; choose another id`;
  }
  if (!replace) {
    return `corpus '${corpus}' already has a class set '${id}'; choose another id, or replace it (--replace on the command line)`;
  }
  return null;
}

/**
 * Store `set` with the corpus, under the project's write lock, after checking its id again
 * there (another writer may have added the same id meanwhile). Returns whether a set was replaced.
 */
export async function addUserClassSet(
  corpusDir: string,
  corpus: string,
  set: ClassSet,
  options: AddClassSetOptions,
): Promise<{ replaced: boolean }> {
  return options.withWriteLock(async () => {
    const problem = await classSetIdProblem(corpusDir, corpus, set.id, options.replace);
    if (problem) throw new UserError(problem);
    const replaced = await fs.lstat(classSetFile(corpusDir, set.id)).then(
      () => true,
      () => false,
    );
    await writeClassSet(corpusDir, set);
    return { replaced };
  });
}
