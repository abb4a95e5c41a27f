// The job manager: ids at once, progress with the id, exactly one end, cancel, failures
// with a message, listeners that fail or leave, history.
import { describe, expect, it, vi } from 'vitest';
import { JobManager, type JobContext, type JobRunner } from '../../../main/engine/jobs/job-manager';
import { UserError } from '../../../main/engine/errors';
import { estimateSecondsLeft } from '../../../main/engine/jobs/eta';
import type { EngineEvent, JobEndEvent } from '../../../shared/events';
import { gate } from './helpers';

/** Steps until cancelled or `steps` reached, reporting progress after each; waits on `hold` before starting. */
function stepper(steps: number, hold?: Promise<void>): JobRunner<{ label: string }, { steps: number }> {
  return async (params, ctx: JobContext) => {
    await hold;
    for (let i = 1; i <= steps; i++) {
      ctx.cancel.throwIfCancelled();
      await new Promise((r) => setImmediate(r));
      ctx.progress({ detail: { step: i }, fraction: i / steps, label: `${params.label} ${i}` });
      ctx.log(`step ${i}`);
    }
    return { steps };
  };
}

function recorder(manager: JobManager) {
  const events: EngineEvent[] = [];
  const off = manager.subscribe((e) => events.push(e));
  const ends = () => events.filter((e): e is { name: 'jobEnd'; payload: JobEndEvent } => e.name === 'jobEnd');
  return { events, off, ends };
}

describe('JobManager', () => {
  it('returns the id before the job runs, tags every event with it, and ends once as done', async () => {
    const hold = gate();
    const manager = new JobManager({ runners: { count: stepper(3, hold.opened) }, progressIntervalMs: 0 });
    const rec = recorder(manager);
    const jobId = manager.start('count', { label: 'counting' });
    expect(jobId).toMatch(/^job-[0-9a-f-]+$/);
    expect(manager.list().active.map((j) => [j.jobId, j.status])).toEqual([[jobId, 'running']]);
    expect(rec.events).toEqual([]);
    hold.open();
    const end = await manager.whenEnded(jobId);
    expect(end).toMatchObject({ jobId, kind: 'count', status: 'done', result: { steps: 3 } });
    const progress = rec.events.filter((e) => e.name === 'jobProgress').map((e) => e.payload);
    expect(progress.map((p) => (p as { fraction: number }).fraction)).toEqual([1 / 3, 2 / 3, 1]);
    expect(progress.every((p) => p.jobId === jobId)).toBe(true);
    expect(rec.events.filter((e) => e.name === 'jobLog').map((e) => e.payload)).toEqual([1, 2, 3].map((i) => ({ jobId, line: `step ${i}` })));
    expect(rec.events.at(-1)?.name).toBe('jobEnd');
    expect(rec.ends()).toHaveLength(1);
    expect(manager.list()).toMatchObject({ active: [], recent: [{ jobId, status: 'done', end: { status: 'done' } }] });
  });

  it('cancels a running job: it ends once, as cancelled, and a second cancel is refused', async () => {
    const manager = new JobManager({ runners: { count: stepper(1_000_000) }, progressIntervalMs: 0 });
    const rec = recorder(manager);
    const jobId = manager.start('count', { label: 'x' });
    await new Promise<void>((resolve) => {
      const off = manager.subscribe((e) => e.name === 'jobProgress' && (off(), resolve()));
    });
    expect(manager.cancel(jobId)).toBe(true);
    expect(manager.list().active[0].cancelRequested).toBe(true);
    expect(await manager.whenEnded(jobId)).toMatchObject({ jobId, status: 'cancelled' });
    expect(manager.cancel(jobId)).toBe(false);
    expect(manager.cancel('job-unknown')).toBe(false);
    expect(rec.ends()).toHaveLength(1);
  });

  it('reports a failure with the message, telling user errors from bugs', async () => {
    const manager = new JobManager({
      runners: {
        bad: async () => {
          throw new UserError('train.txt, line 3: empty line; the corpus file is damaged');
        },
        buggy: async () => {
          throw new RangeError('Invalid array length');
        },
      },
    });
    const a = manager.start('bad', {});
    const b = manager.start('buggy', {});
    expect(await manager.whenEnded(a)).toMatchObject({ status: 'failed', errorKind: 'user', error: 'train.txt, line 3: empty line; the corpus file is damaged' });
    expect(await manager.whenEnded(b)).toMatchObject({ status: 'failed', errorKind: 'internal', error: expect.stringMatching(/^internal error in job buggy: Invalid array length .*report/) });
  });

  it('keeps running when a listener throws, and tells onListenerError', async () => {
    const onListenerError = vi.fn();
    const manager = new JobManager({ runners: { count: stepper(2) }, progressIntervalMs: 0, onListenerError });
    manager.subscribe(() => {
      throw new Error('renderer gone');
    });
    manager.subscribe(async () => {
      throw new Error('async listener failed');
    });
    const rec = recorder(manager);
    const jobId = manager.start('count', { label: 'x' });
    expect(await manager.whenEnded(jobId)).toMatchObject({ status: 'done' });
    expect(rec.ends()).toHaveLength(1);
    await new Promise((r) => setImmediate(r));
    expect(onListenerError.mock.calls.map(([e]) => (e as Error).message)).toContain('renderer gone');
    expect(onListenerError.mock.calls.map(([e]) => (e as Error).message)).toContain('async listener failed');
  });

  it('delivers nothing to a listener after it unsubscribes, even mid-job', async () => {
    const hold = gate();
    const manager = new JobManager({ runners: { count: stepper(5, hold.opened) }, progressIntervalMs: 0 });
    const seen: EngineEvent[] = [];
    const off = manager.subscribe((e) => {
      seen.push(e);
      if (seen.length === 2) off();
    });
    expect(manager.listenerCount).toBe(1);
    const jobId = manager.start('count', { label: 'x' });
    hold.open();
    expect(await manager.whenEnded(jobId)).toMatchObject({ status: 'done' });
    expect(seen).toHaveLength(2);
    expect(manager.listenerCount).toBe(0);
    off(); // twice is harmless
    expect(manager.listenerCount).toBe(0);
  });

  it('throttles progress but always delivers the last one before the end', async () => {
    const manager = new JobManager({ runners: { count: stepper(50) }, progressIntervalMs: 60_000 });
    const rec = recorder(manager);
    const jobId = manager.start('count', { label: 'n' });
    await manager.whenEnded(jobId);
    const names = rec.events.filter((e) => e.name !== 'jobLog').map((e) => e.name);
    expect(names).toEqual(['jobProgress', 'jobProgress', 'jobEnd']);
    const last = rec.events.filter((e) => e.name === 'jobProgress').at(-1)?.payload;
    expect(last).toMatchObject({ fraction: 1, label: 'n 50', secondsLeft: 0 });
  });

  it('keeps a short history and forgets the oldest', async () => {
    const manager = new JobManager({ runners: { count: stepper(1) }, historySize: 2 });
    const ids = [manager.start('count', { label: 'a' }), manager.start('count', { label: 'b' }), manager.start('count', { label: 'c' })];
    await Promise.all(ids.map((id) => manager.whenEnded(id)));
    expect(manager.list().recent.map((j) => j.jobId).sort()).toEqual(ids.slice(1).sort());
    expect(manager.whenEnded(ids[0])).toBeUndefined();
  });

  it('close() cancels every running job and waits for each to end', async () => {
    const manager = new JobManager({ runners: { count: stepper(1_000_000) }, progressIntervalMs: 0 });
    const rec = recorder(manager);
    manager.start('count', { label: 'a' });
    manager.start('count', { label: 'b' });
    await manager.close();
    expect(manager.activeCount).toBe(0);
    expect(rec.ends().map((e) => e.payload.status)).toEqual(['cancelled', 'cancelled']);
  });

  it('refuses a kind it has no runner for', () => {
    const manager = new JobManager({ runners: {} });
    expect(() => manager.start('nothing', {})).toThrow(/no runner for job kind 'nothing'/);
  });
});

describe('estimateSecondsLeft', () => {
  it('extrapolates from the fraction done, and says nothing while too little is known', () => {
    expect(estimateSecondsLeft(0.25, 10)).toBeCloseTo(30);
    expect(estimateSecondsLeft(0.01, 10)).toBeNull();
    expect(estimateSecondsLeft(0.5, 0.2)).toBeNull();
    expect(estimateSecondsLeft(null, 10)).toBeNull();
    expect(estimateSecondsLeft(1, 10)).toBe(0);
  });
});
