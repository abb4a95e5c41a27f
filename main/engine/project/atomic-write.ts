// Atomic file writes: write a temporary file beside the target, flush it to disk,
// then rename it over the target. A crash or an error half-way leaves the old file intact.
import { constants as fsConstants, promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/** Whole contents, or chunks produced as they are computed (large arrays, streamed exports). */
export type AtomicData = string | Uint8Array | Iterable<Uint8Array | string> | AsyncIterable<Uint8Array | string>;

function tempPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** True for the temporary files writeFileAtomic leaves behind if its process dies. */
export function isAtomicTempName(name: string, forTarget?: string): boolean {
  const prefix = forTarget === undefined ? '.' : `.${forTarget}.`;
  return name.startsWith(prefix) && /\.\d+\.[0-9a-f]{8}\.tmp$/.test(name);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// On Windows a rename over a file that a virus scanner or indexer has just opened fails
// briefly with EPERM/EACCES/EBUSY; a few short retries are what other tools do too.
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.rename(from, to);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const transient = process.platform === 'win32' && (code === 'EPERM' || code === 'EACCES' || code === 'EBUSY');
      if (!transient || attempt >= 8) throw err;
      await sleep(20 * (attempt + 1));
    }
  }
}

/** Flush a directory entry change (the rename) to disk; not possible on Windows, harmless to skip. */
export async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  let handle: fs.FileHandle | undefined;
  try {
    // Non-blocking and folders only: a FIFO in a folder's place must not hang the open.
    handle = await fs.open(dir, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0) | (fsConstants.O_DIRECTORY ?? 0));
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on directories; the data itself is already synced.
  } finally {
    await handle?.close().catch(() => {});
  }
}

async function writeAll(handle: fs.FileHandle, data: AtomicData): Promise<void> {
  if (typeof data === 'string' || data instanceof Uint8Array) {
    await handle.writeFile(data);
    return;
  }
  for await (const chunk of data) await handle.write(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
}

export interface AtomicWriteOptions {
  /** Permission bits of the new file (e.g. those of the file it replaces); default 0o666 less the umask. */
  mode?: number;
  /** Runs after the data is on disk, just before the rename; throwing discards the temporary file. */
  beforeRename?: () => Promise<void>;
}

export async function writeFileAtomic(target: string, data: AtomicData, options: AtomicWriteOptions = {}): Promise<void> {
  const tmp = tempPathFor(target);
  const handle = await fs.open(tmp, 'w');
  try {
    await writeAll(handle, data);
    if (options.mode !== undefined) await handle.chmod(options.mode);
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => {});
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await options.beforeRename?.();
    await renameWithRetry(tmp, target);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await syncDir(path.dirname(target));
}

export async function writeJsonAtomic(target: string, value: unknown): Promise<void> {
  await writeFileAtomic(target, JSON.stringify(value, null, 2) + '\n');
}
