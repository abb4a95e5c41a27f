import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createProject, openProject } from '../../../main/engine/project/project-store';
import { pidAlive } from '../../../main/engine/project/project-lock';
import { UserError } from '../../../main/engine/errors';
import { tempDir } from './helpers/temp-dirs';
import { spawnHelper } from './helpers/child';

const addCorpus = (store: Awaited<ReturnType<typeof openProject>>, id: string) =>
  store.stageItem('corpus', id, async (d) => fs.writeFile(path.join(d, 'corpus.json'), '{}'));

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

const lockRecord = (pid: number, host = hostname(), threadId?: number) =>
  JSON.stringify({ pid, hostname: host, created: new Date().toISOString(), ...(threadId !== undefined && { threadId }) });

describe('the write lock against a real second process', () => {
  it('a live holder blocks writes (naming its pid) but not reads; a waiting writer proceeds once it is released', async () => {
    const dir = await tempDir();
    await createProject(dir, 'P');
    const child = spawnHelper('hold-lock.ts', [dir]);
    try {
      await child.waitFor('locked');
      const lock = JSON.parse(await fs.readFile(path.join(dir, 'project.lock'), 'utf8'));
      expect(lock).toMatchObject({ pid: child.proc.pid, hostname: hostname() });

      const impatient = await openProject(dir, { lockWaitMs: 100 });
      const err = await rejection(addCorpus(impatient, 'c1'));
      expect(err).toBeInstanceOf(UserError);
      expect(err.message).toMatch(
        new RegExp(`^Project .* is locked: another Mnemoscope process is writing to it \\(pid ${child.proc.pid} on this computer, since .*\\)\\. .*delete .*project\\.lock\\.$`),
      );
      expect(await impatient.list('corpus')).toEqual([]); // reads need no lock
      expect(await fs.readdir(path.join(dir, '.staging'))).toEqual([]); // the failed stage was cleaned up

      const patient = await openProject(dir, { lockWaitMs: 20_000 });
      const pending = addCorpus(patient, 'c2');
      await new Promise((r) => setTimeout(r, 150));
      child.proc.stdin.write('release\n');
      await child.waitFor('released');
      await pending;
      expect((await patient.list('corpus')).map((e) => e.id)).toEqual(['c2']);
    } finally {
      child.proc.kill('SIGKILL');
      await child.exited;
    }
  });

  it('the lock of a process killed while holding it is taken over', async () => {
    const dir = await tempDir();
    await createProject(dir, 'P');
    const child = spawnHelper('hold-lock.ts', [dir]);
    await child.waitFor('locked');
    const pid = child.proc.pid!;
    child.proc.kill('SIGKILL');
    await child.exited;
    expect(pidAlive(pid)).toBe(false);
    expect(JSON.parse(await fs.readFile(path.join(dir, 'project.lock'), 'utf8')).pid).toBe(pid);

    const store = await openProject(dir, { lockWaitMs: 0 });
    await addCorpus(store, 'after');
    expect((await store.list('corpus')).map((e) => e.id)).toEqual(['after']);
    await expect(fs.access(path.join(dir, 'project.lock'))).rejects.toThrow();
  });
});

describe('lock files left by others', () => {
  async function projectWithLock(content: string) {
    const dir = await tempDir();
    await createProject(dir, 'P');
    const file = path.join(dir, 'project.lock');
    await fs.writeFile(file, content);
    return { dir, file, store: await openProject(dir, { lockWaitMs: 0 }) };
  }

  it('a dead pid on this host is stale', async () => {
    const { dir, store } = await projectWithLock(lockRecord(deadPid()));
    await addCorpus(store, 'c');
    await expect(fs.access(path.join(dir, 'project.lock'))).rejects.toThrow();
  });

  it('a lock from another host is respected, since its pid cannot be checked', async () => {
    const { file, store } = await projectWithLock(lockRecord(deadPid(), 'some-other-machine'));
    expect((await rejection(addCorpus(store, 'c'))).message).toMatch(/\(pid \d+ on host some-other-machine, since /);
    expect(JSON.parse(await fs.readFile(file, 'utf8')).hostname).toBe('some-other-machine');
  });

  it("another thread of this process is a live holder; this thread's own leftover is not", async () => {
    const other = await projectWithLock(lockRecord(process.pid, hostname(), 4242));
    expect((await rejection(addCorpus(other.store, 'c'))).message).toMatch(/another thread of this process/);
    const own = await projectWithLock(lockRecord(process.pid, hostname(), 0));
    await addCorpus(own.store, 'c');
  });

  it('a record a killed process wrote but never linked into place blocks nothing and is cleared by the next writer', async () => {
    const dir = await tempDir();
    await createProject(dir, 'P');
    const dead = deadPid();
    const leftover = path.join(dir, `project.lock.${dead}-0-0a1b2c3d.pending`);
    const live = path.join(dir, `project.lock.${process.pid}-99-0a1b2c3d.pending`);
    await fs.writeFile(leftover, lockRecord(dead));
    await fs.writeFile(live, lockRecord(process.pid));
    const store = await openProject(dir, { lockWaitMs: 0 });
    await addCorpus(store, 'c');
    const names = await fs.readdir(dir);
    expect(names).not.toContain(path.basename(leftover));
    // A record of a live process (here: another thread of this one) may be about to become the lock.
    expect(names).toContain(path.basename(live));
    expect(names.filter((n) => n.startsWith('project.lock'))).toEqual([path.basename(live)]);
  });

  it('an unreadable lock is waited for while fresh and taken over when old', async () => {
    const { file, store } = await projectWithLock('');
    expect((await rejection(addCorpus(store, 'c'))).message).toMatch(/its lock file is being created by another process/);
    const old = new Date(Date.now() - 60_000);
    await fs.utimes(file, old, old);
    await addCorpus(store, 'c');
  });
});

describe('in one process', () => {
  it('withWriteLock is re-entrant and serialises writers', async () => {
    const dir = await tempDir();
    const store = await createProject(dir, 'P');
    const order: string[] = [];
    const first = store.withWriteLock(async () => {
      order.push('first:start');
      await addCorpus(store, 'nested'); // takes the lock again inside: must not deadlock
      await new Promise((r) => setTimeout(r, 30));
      order.push('first:end');
    });
    const second = store.withWriteLock(async () => {
      order.push('second');
    });
    await Promise.all([first, second]);
    expect(order).toEqual(['first:start', 'first:end', 'second']);
    expect((await store.list('corpus')).map((e) => e.id)).toEqual(['nested']);
  });

  it('the lock is released when the locked function throws', async () => {
    const dir = await tempDir();
    const store = await createProject(dir, 'P');
    await expect(store.withWriteLock(async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    await expect(fs.access(path.join(dir, 'project.lock'))).rejects.toThrow();
    await addCorpus(store, 'c');
  });
});

describe('two paths to one project', () => {
  it('a symlinked path shares the lock instead of stealing it', async () => {
    const dir = await tempDir();
    const link = path.join(await tempDir(), 'link');
    await fs.symlink(dir, link);
    const a = await createProject(dir, 'P');
    const b = await openProject(link, { lockWaitMs: 0 });
    let release!: () => void;
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holding = a.withWriteLock(async () => {
      locked();
      await new Promise<void>((r) => (release = r));
    });
    await isLocked;
    let bDone = false;
    let written!: () => void;
    const bWritten = new Promise<void>((r) => (written = r));
    const pending = b.stageItem('corpus', 'via-link', async () => written()).then(() => (bDone = true));
    await bWritten; // b is now at its commit, which needs the lock
    await new Promise((r) => setTimeout(r, 150));
    expect(bDone).toBe(false); // queued behind a, not let in
    release();
    await holding;
    await pending;
    expect((await a.list('corpus')).map((e) => e.id)).toEqual(['via-link']);
  });
});
