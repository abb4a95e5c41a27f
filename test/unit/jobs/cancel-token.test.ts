// CancelToken: one flag set in any thread is seen by every token that shares it; a child's
// own cancel does not reach its parent; listeners run for in-thread cancels only, once.
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { CancelToken } from '../../../main/engine/cancel-token';
import { JobCancelledError } from '../../../main/engine/errors';

describe('CancelToken', () => {
  it('a child is cancelled with its parent, but not the other way round', () => {
    const parent = CancelToken.create();
    const a = parent.child();
    const b = parent.child();
    a.cancel();
    expect([parent.cancelled, a.cancelled, b.cancelled]).toEqual([false, true, false]);
    parent.cancel();
    expect([parent.cancelled, b.cancelled]).toEqual([true, true]);
    expect(CancelToken.create().child().cancelled).toBe(false);
    const late = parent.child();
    expect(late.cancelled).toBe(true);
  });

  it('runs its listeners once, for its own cancel and an ancestor\'s, until released', () => {
    const parent = CancelToken.create();
    const child = parent.child();
    const seen: string[] = [];
    parent.onCancel(() => seen.push('parent'));
    const off = child.onCancel(() => seen.push('child'));
    parent.cancel();
    parent.cancel();
    expect(seen.sort()).toEqual(['child', 'parent']);
    off();

    const p2 = CancelToken.create();
    const c2 = p2.child();
    let called = 0;
    c2.onCancel(() => called++);
    c2.release();
    p2.cancel();
    expect(called).toBe(0);
    expect(c2.cancelled).toBe(true); // the shared flag still says so
  });

  it('throwIfCancelled throws JobCancelledError with the partial result', () => {
    const t = CancelToken.create();
    expect(() => t.throwIfCancelled()).not.toThrow();
    t.cancel();
    const err = (() => {
      try {
        t.throwIfCancelled('stopped', { kept: 3 });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(JobCancelledError);
    expect((err as JobCancelledError).message).toBe('stopped');
    expect((err as JobCancelledError).partial).toEqual({ kept: 3 });
  });

  it('fromSignal follows an AbortSignal, aborted before or after', () => {
    const before = new AbortController();
    before.abort();
    expect(CancelToken.fromSignal(before.signal).cancelled).toBe(true);
    const after = new AbortController();
    const t = CancelToken.fromSignal(after.signal);
    expect(t.cancelled).toBe(false);
    after.abort();
    expect(t.cancelled).toBe(true);
    expect(CancelToken.fromSignal(undefined).cancelled).toBe(false);
  });

  it('a worker thread sees a cancel set in this thread through the shared flags, with no message', async () => {
    const parent = CancelToken.create();
    const child = parent.child();
    // The worker spins on the flags (blocking its event loop, so no message could reach it).
    const src = `
      const { parentPort, workerData } = require('node:worker_threads');
      const flags = workerData.map((b) => new Int32Array(b));
      parentPort.postMessage('spinning');
      const t0 = Date.now();
      while (!flags.some((f) => Atomics.load(f, 0) !== 0)) if (Date.now() - t0 > 20000) break;
      parentPort.postMessage(flags.map((f) => Atomics.load(f, 0)).join(','));
    `;
    const worker = new Worker(src, { eval: true, workerData: child.shared });
    const seen = await new Promise<string>((resolve, reject) => {
      worker.on('error', reject);
      worker.on('message', (m: string) => {
        if (m === 'spinning') parent.cancel();
        else resolve(m);
      });
    });
    await worker.terminate();
    // The parent's flag was set by parent.cancel(); the child's own by its listener.
    expect(seen).toBe('1,1');
  });

  it('fromShared rebuilds the same token from its buffers', () => {
    const t = CancelToken.create().child();
    const copy = CancelToken.fromShared(t.shared);
    expect(copy.cancelled).toBe(false);
    t.cancel();
    expect(copy.cancelled).toBe(true);
    expect(() => CancelToken.fromShared([])).toThrow(/at least one flag/);
  });
});
