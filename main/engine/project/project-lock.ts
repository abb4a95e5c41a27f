// The cross-process write lock: a project.lock file holding who owns it, created whole: the
// record is written to a file of its own and hard-linked into place (link fails when the lock
// exists), so a process killed mid-creation never leaves an empty lock that blocks the next
// one (kill -9 between an O_EXCL open and its write did). Where links are not supported it
// falls back to an O_EXCL open. A lock whose process is gone (same host, pid not alive) is taken over;
// a live one makes the caller wait a little and then fail with a UserError naming it.
import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { randomBytes } from 'node:crypto';
import { UserError } from '../errors';
import { openRegularFile, readRegularTextFile } from './safe-open';
import { ProjectLockSchema, type ProjectLock } from '../../../shared/schemas/project';

/** A lock file with unreadable contents younger than this may be mid-creation by its owner. */
const UNREADABLE_GRACE_MS = 10_000;
const POLL_MS = 50;

/** Lock files this thread holds, so a lock with our own pid and thread id that is not here is a leftover. */
const heldHere = new Map<string, ProjectLock>();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether a process with this pid exists on this machine (EPERM: it exists, owned by someone else). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

type Observed =
  | { state: 'absent' }
  | { state: 'held'; lock: ProjectLock; raw: string }
  | { state: 'unreadable'; raw: string; ageMs: number };

async function observe(file: string): Promise<Observed> {
  let raw: string;
  let mtimeMs: number;
  try {
    // Opened non-blocking and checked to be a regular file: a FIFO here must not hang the open.
    const { handle } = await openRegularFile(file, { what: 'project lock file' });
    try {
      raw = await handle.readFile('utf8');
      mtimeMs = (await handle.stat()).mtimeMs;
    } finally {
      await handle.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'absent' };
    throw err;
  }
  try {
    const parsed = ProjectLockSchema.safeParse(JSON.parse(raw));
    if (parsed.success) return { state: 'held', lock: parsed.data, raw };
  } catch {
    // fall through: unreadable
  }
  return { state: 'unreadable', raw, ageMs: Date.now() - mtimeMs };
}

function isStale(file: string, seen: Observed): boolean {
  if (seen.state === 'unreadable') return seen.ageMs > UNREADABLE_GRACE_MS;
  if (seen.state !== 'held') return false;
  const { lock } = seen;
  if (lock.hostname !== hostname()) return false; // cannot check another machine's processes
  if (lock.pid === process.pid) {
    // Another thread of this process may hold it legitimately; this thread's own
    // record that is not in heldHere is a leftover of a failed release.
    return (lock.threadId ?? 0) === threadId && !heldHere.has(file);
  }
  return !pidAlive(lock.pid);
}

/** Suffix of the whole record written before it is linked into place as the lock. */
const PENDING_SUFFIX = '.pending';
const pendingName = (file: string) => `${file}.${process.pid}-${threadId}-${randomBytes(4).toString('hex')}${PENDING_SUFFIX}`;
const LINK_UNSUPPORTED = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

async function tryCreate(file: string, lock: ProjectLock): Promise<boolean> {
  const pending = pendingName(file);
  await fs.writeFile(pending, JSON.stringify(lock) + '\n', { flag: 'wx' });
  try {
    const handle = await fs.open(pending, 'r');
    await handle.sync().finally(() => handle.close());
    await fs.link(pending, file);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code && LINK_UNSUPPORTED.has(code)) return tryCreateExclusive(file, lock);
    throw err;
  } finally {
    await fs.rm(pending, { force: true });
  }
}

/** Records left by a process killed between writing its record and linking it (the pid is gone); the project's tidy-up on open calls this. */
export async function removeDeadPending(file: string): Promise<void> {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}.`;
  for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
    if (!name.startsWith(prefix) || !name.endsWith(PENDING_SUFFIX)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !pidAlive(pid)) await fs.rm(path.join(dir, name), { force: true });
  }
}

async function tryCreateExclusive(file: string, lock: ProjectLock): Promise<boolean> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    await handle.writeFile(JSON.stringify(lock) + '\n');
    await handle.sync();
    await handle.close();
  } catch (err) {
    await handle.close().catch(() => {});
    await fs.rm(file, { force: true });
    throw err;
  }
  return true;
}

// Two processes may both judge the same dead lock stale. Each moves it aside under a
// unique name and checks that what it moved is what it judged; if it moved a newer,
// live lock instead, it puts that back (link fails if a third one got in first).
async function takeOver(file: string, judged: string): Promise<void> {
  const aside = `${file}.${randomBytes(6).toString('hex')}.stale`;
  try {
    await fs.rename(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const moved = await readRegularTextFile(aside, { what: 'project lock file' }).catch(() => judged);
  if (moved !== judged) await fs.link(aside, file).catch(() => {});
  await fs.rm(aside, { force: true });
}

function describeHolder(lock: ProjectLock): string {
  const where = lock.hostname === hostname() ? 'on this computer' : `on host ${lock.hostname}`;
  const thread = lock.pid === process.pid ? ' (another thread of this process)' : '';
  return `pid ${lock.pid}${thread} ${where}, since ${lock.created}`;
}

export interface AcquireOptions {
  /** How long to wait for a live holder to finish before failing. */
  waitMs: number;
  /** Folder named in error messages. */
  projectDir: string;
}

/** Take the lock file or throw a UserError naming the holder. Returns the record written. */
export async function acquireLockFile(file: string, opts: AcquireOptions): Promise<ProjectLock> {
  const start = Date.now();
  for (;;) {
    const mine: ProjectLock = { pid: process.pid, hostname: hostname(), created: new Date().toISOString(), threadId };
    if (await tryCreate(file, mine)) {
      heldHere.set(file, mine);
      return mine;
    }
    const seen = await observe(file);
    if (seen.state === 'absent') continue; // released between our attempt and the read
    if (isStale(file, seen)) {
      await takeOver(file, seen.raw);
      continue;
    }
    if (Date.now() - start >= opts.waitMs) {
      const who =
        seen.state === 'held'
          ? `another Mnemoscope process is writing to it (${describeHolder(seen.lock)})`
          : 'its lock file is being created by another process';
      throw new UserError(
        `Project ${opts.projectDir} is locked: ${who}. Wait for it to finish; if no such process is running, delete ${file}.`,
      );
    }
    await sleep(POLL_MS);
  }
}

/** Remove the lock file if it is still the one we wrote. */
export async function releaseLockFile(file: string): Promise<void> {
  const mine = heldHere.get(file);
  heldHere.delete(file);
  if (!mine) return;
  const seen = await observe(file);
  if (seen.state === 'held' && seen.lock.pid === mine.pid && seen.lock.threadId === mine.threadId && seen.lock.created === mine.created) {
    await fs.rm(file, { force: true });
  }
}
