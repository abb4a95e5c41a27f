// `mkdir -p` for folders a user names. Node's fs.mkdir(p, { recursive: true }) never returns
// for a path under /proc (libuv sees ENOENT for the child, finds the parent present and tries
// again, forever): a project at /proc/x hung the app at full CPU. Here each missing level is
// made once, and the first failure is thrown as it is (EACCES, ENOTDIR, ENOENT, …).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors';

const errorCode = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | null)?.code;

/** Makes `dir` and every missing folder above it; refuses when the nearest existing one is not a folder. */
export async function makeFolders(dir: string): Promise<void> {
  const missing: string[] = [];
  let current = path.resolve(dir);
  for (;;) {
    try {
      const stats = await fs.stat(current);
      if (!stats.isDirectory()) throw new UserError(`${current} exists and is not a folder; choose another path.`);
      break;
    } catch (err) {
      if (errorCode(err) !== 'ENOENT') throw err;
      missing.push(current);
      const parent = path.dirname(current);
      if (parent === current) break;
      current = parent;
    }
  }
  for (const folder of missing.reverse()) {
    try {
      await fs.mkdir(folder);
    } catch (err) {
      // Another process made it between our stat and mkdir: fine if it is a folder.
      if (errorCode(err) !== 'EEXIST' || !(await fs.stat(folder)).isDirectory()) throw err;
    }
  }
}
