// LatestRequest keeps the answer of the newest request only: a slower, older answer or error
// that arrives afterwards is dropped, and so is anything that arrives after clear().
import { describe, expect, it } from 'vitest';
import { LatestRequest } from '../../../renderer/src/lib/state/latest-request.svelte';

/** A promise settled by hand, to make answers arrive in the order a test chooses. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('LatestRequest', () => {
  it('keeps the newer answer when an older request resolves last', async () => {
    const latest = new LatestRequest<string>();
    const older = deferred<string>();
    const newer = deferred<string>();
    const kept: string[] = [];
    const first = latest.run(() => older.promise, (v) => kept.push(v));
    const second = latest.run(() => newer.promise, (v) => kept.push(v));
    expect(latest.loading).toBe(true);
    newer.resolve('new');
    await second;
    expect(latest.value).toBe('new');
    expect(latest.loading).toBe(false);
    older.resolve('old');
    await first;
    expect(latest.value).toBe('new');
    expect(latest.loading).toBe(false);
    expect(kept).toEqual(['new']);
  });

  it('ignores the error of a stale request', async () => {
    const latest = new LatestRequest<string>();
    const older = deferred<string>();
    const newer = deferred<string>();
    const first = latest.run(() => older.promise);
    const second = latest.run(() => newer.promise);
    newer.resolve('new');
    await second;
    older.reject(new Error('too late'));
    await first;
    expect(latest.error).toBeNull();
    expect(latest.value).toBe('new');
  });

  it('shows the error of the newest request and drops the old value', async () => {
    const latest = new LatestRequest<string>();
    await latest.run(() => Promise.resolve('first'));
    expect(latest.value).toBe('first');
    await latest.run(() => Promise.reject(new Error('no such run')));
    expect(latest.error).toContain('no such run');
    expect(latest.value).toBeNull();
    expect(latest.loading).toBe(false);
  });

  it('drops an answer that arrives after clear()', async () => {
    const latest = new LatestRequest<string>();
    const pending = deferred<string>();
    const kept: string[] = [];
    const run = latest.run(() => pending.promise, (v) => kept.push(v));
    latest.clear();
    expect(latest.loading).toBe(false);
    pending.resolve('late');
    await run;
    expect(latest.value).toBeNull();
    expect(kept).toEqual([]);
  });
});
