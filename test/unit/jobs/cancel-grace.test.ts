// A cancelled job always ends: a task that does not stop by itself within the grace time
// (stuck in a system call, or in a long step) has its worker terminated, and the run ends
// as cancelled. The stuck task is a worker script that never answers.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobCancelledError } from '../../../main/engine/errors';
import { CANCEL_GRACE_ENV, CANCEL_GRACE_MS, WORKER_SCRIPT_ENV, cancelGraceMs, runInWorker } from '../../../main/engine/jobs/run-in-worker';
import { CancelToken } from '../../../main/engine/cancel-token';
import { defineTask } from '../../../main/engine/jobs/task-context';

let dir: string;
let stuck: string;

/** Sets environment variables while `fn` runs. */
async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const set = (v: Record<string, string | undefined>) => {
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined) delete process.env[k];
      else process.env[k] = x;
    }
  };
  set(vars);
  try {
    return await fn();
  } finally {
    set(before);
  }
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mnemo-grace-'));
  stuck = path.join(dir, 'stuck-worker.mjs');
  // Takes the start message and never answers, nor checks the cancel flag.
  await fs.writeFile(stuck, "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => {});\nsetInterval(() => {}, 1000);\n");
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('cancelling a task that does not stop', () => {
  it('terminates its worker after the grace time and ends the run as cancelled', async () => {
    const cancel = CancelToken.create();
    const started = Date.now();
    const run = withEnv({ [WORKER_SCRIPT_ENV]: stuck }, async () => {
      const p = runInWorker(defineTask<object, unknown>('import-model'), {}, { cancel, cancelGraceMs: 200 });
      setTimeout(() => cancel.cancel(), 100);
      return p;
    });
    const err = await run.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(JobCancelledError);
    expect((err as Error).message).toMatch(/'import-model' did not stop within 200 ms, so its worker was terminated/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('takes the grace time from MNEMOSCOPE_CANCEL_GRACE_MS, ignoring a value that is not a number', async () => {
    await withEnv({ [CANCEL_GRACE_ENV]: '250' }, async () => expect(cancelGraceMs()).toBe(250));
    await withEnv({ [CANCEL_GRACE_ENV]: 'soon' }, async () => expect(cancelGraceMs()).toBe(CANCEL_GRACE_MS));
    await withEnv({ [CANCEL_GRACE_ENV]: undefined }, async () => expect(cancelGraceMs()).toBe(CANCEL_GRACE_MS));
  });
});
