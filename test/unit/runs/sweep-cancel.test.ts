// A cancel reaches the innermost workers of a sweep by itself: the job's CancelToken goes to
// the 'analyze' worker and, as the same shared flag, on to its 'gradients' workers (two
// levels of threads, no relay). The sweep ends as cancelled within seconds, long before the
// grace after which a stuck worker would be terminated, and leaves no run behind.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelToken } from '../../../main/engine/cancel-token';
import { JobCancelledError } from '../../../main/engine/errors';
import { runInWorker } from '../../../main/engine/jobs/run-in-worker';
import { runTasks, parseAnalyzeParams } from '../../../main/engine/runs';
import { makeRunProject, type RunProject } from './helpers';

let p: RunProject;

beforeAll(async () => {
  // Large enough that the accumulation takes many seconds when left alone.
  p = await makeRunProject({ sentences: 6000, models: [{ id: 'big', embeddingDim: 64, units: [128] }] });
}, 120_000);
afterAll(async () => {
  await p.cleanup();
});

describe('cancelling a sweep', () => {
  it('stops the gradient workers through the shared flag, well inside the grace, and keeps nothing', async () => {
    const cancel = CancelToken.create();
    let cancelledAt = 0;
    const phases = new Set<string>();
    let accumulated = 0;
    const err = await runInWorker(
      runTasks.sweep,
      parseAnalyzeParams({ project: p.dir, model: 'big', corpus: 'c', id: 'stopped', streams: 4, maxDelay: 30, groups: 2, workers: 2 }),
      {
        cancel,
        // Long: a cancel that needed the worker to be terminated would show in the time and the message.
        cancelGraceMs: 120_000,
        onProgress: (x) => {
          phases.add(x.phase);
          if (x.phase === 'accumulate') accumulated = Math.max(accumulated, x.fraction);
          if (x.phase === 'accumulate' && x.fraction > 0 && cancelledAt === 0) {
            cancelledAt = performance.now();
            cancel.cancel();
          }
        },
      },
    ).then(
      () => null,
      (e: unknown) => e,
    );
    const stopSeconds = (performance.now() - cancelledAt) / 1000;
    expect(phases.has('accumulate')).toBe(true);
    expect(err).toBeInstanceOf(JobCancelledError);
    expect((err as Error).message).toBe('cancelled');
    expect(stopSeconds).toBeLessThan(20);
    expect(phases.has('summarise')).toBe(false);
    // The gradient workers stopped partway: had they not seen the flag, they would have
    // finished their shares (and reported fraction 1) before the task's own check after them.
    expect(accumulated).toBeGreaterThan(0);
    expect(accumulated).toBeLessThan(1);
    const runs = await fs.readdir(path.join(p.dir, 'runs')).catch(() => []);
    expect(runs).toEqual([]);
    expect(await fs.readdir(path.join(p.dir, '.staging'))).toEqual([]);
  }, 180_000);
});
