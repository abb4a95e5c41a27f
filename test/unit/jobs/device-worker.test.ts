// The device worker (main/engine/jobs/device-worker.ts): tasks that would load native
// TensorFlow run one after the other in ONE long-lived worker thread per process (tfjs-node
// fails in a second thread: tensorflow/tfjs#8388). Which tasks go there is a pure decision
// (jobs/device-route.ts), tested on its own; the queue is tested with real tasks on the tfjs
// `cpu` backend sent there directly (no tfjs-node here, and none is faked): a tensor sweep and
// the backend probe of `info`.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { CancelToken } from '../../../main/engine/cancel-token';
import { JobCancelledError } from '../../../main/engine/errors';
import { closeDeviceWorker, runOnDevice } from '../../../main/engine/jobs/device-worker';
import { WORKER_SCRIPT_ENV } from '../../../main/engine/jobs/run-in-worker';
import { needsDevice, sweepNeedsDevice } from '../../../main/engine/jobs/device-route';
import { modelTasks } from '../../../main/engine/model/tasks';
import { gradientsTasks } from '../../../main/engine/gradients/tasks';
import type { SweepJob } from '../../../main/engine/gradients/run-sweep';
import type { TensorTaskParams } from '../../../main/engine/gradients/tensor-path/tensor-task';
import { randomCellModel } from '../gradients/reference-cells';
import { randomTokens } from '../gradients/reference-lstm';

describe('device route: which tasks need the device worker', () => {
  it('a tensorflow backend by name always; auto only where a tfjs-node package is installed; wasm and cpu never', () => {
    for (const installed of [false, true]) {
      expect(needsDevice('tensorflow', installed)).toBe(true);
      expect(needsDevice('tensorflow-gpu', installed)).toBe(true);
      expect(needsDevice('wasm', installed)).toBe(false);
      expect(needsDevice('cpu', installed)).toBe(false);
      expect(needsDevice('auto', installed)).toBe(installed);
      expect(needsDevice(undefined, installed)).toBe(installed);
    }
  });

  it('a sweep only on the tensor path: the kernel path keeps its pool of workers', () => {
    expect(sweepNeedsDevice({ path: 'tensor', backend: 'tensorflow-gpu', reason: '' }, true)).toBe(true);
    expect(sweepNeedsDevice({ path: 'tensor', backend: 'cpu', reason: '' }, true)).toBe(false);
    expect(sweepNeedsDevice({ path: 'tensor', backend: 'auto', reason: '' }, false)).toBe(false);
    expect(sweepNeedsDevice({ path: 'kernels', backend: 'tensorflow', reason: '' }, true)).toBe(false);
  });
});

/** A tensor sweep long enough on the cpu backend to be cancelled or overtaken mid-way (seconds, not milliseconds). */
function sweepParams(length: number): TensorTaskParams {
  const streams = 4;
  const job: SweepJob = {
    weights: randomCellModel(7, 11, 8, [12], ['lstm'], 'sigmoid', 0.6),
    tokens: randomTokens(8, streams * length, 11),
    streams,
    length,
    firstStream: 0,
    target: 'h',
    layer: 1,
    maxDelay: 6,
    groups: 2,
    classes: [],
    classesPerGroup: false,
    words: [],
    sample: null,
    chunkStreams: streams,
  };
  return { job, backend: 'cpu', deviceMemoryMB: 256 };
}

const probe = () => runOnDevice(modelTasks.probeBackend, { backend: 'cpu' });

describe('device worker: one thread, one task at a time', () => {
  afterAll(() => closeDeviceWorker());

  it('tasks sent together run in the same worker thread, in order: a quick one waits for the long one before it', async () => {
    const ended: string[] = [];
    const sweep = runOnDevice(gradientsTasks.tensorSweep, sweepParams(60)).then((r) => {
      ended.push('sweep');
      return r;
    });
    const first = probe().then((r) => {
      ended.push('probe');
      return r;
    });
    const [swept, probed] = await Promise.all([sweep, first]);
    // the probe alone takes milliseconds: run beside the sweep it would have ended first
    expect(ended).toEqual(['sweep', 'probe']);
    expect(swept.stats.positions).toBe(4 * 60);
    expect(probed.info.name).toBe('cpu');
    expect(probed.threadId).not.toBe(threadId);
    const again = await probe();
    expect(again.threadId).toBe(probed.threadId);
  }, 120_000);

  it('a cancelled task ends as cancelled, one cancelled while waiting ends at once, and the queue goes on in the same thread', async () => {
    const before = await probe();
    const cancel = CancelToken.create();
    const waitingCancel = CancelToken.create();
    let sweepEnded = false;
    let progressSeen = false;
    const sweep = runOnDevice(gradientsTasks.tensorSweep, sweepParams(4000), {
      cancel,
      onProgress: () => {
        progressSeen = true;
        cancel.cancel();
      },
    }).finally(() => {
      sweepEnded = true;
    });
    const waiting = runOnDevice(modelTasks.probeBackend, { backend: 'cpu' }, { cancel: waitingCancel });
    const after = probe();
    waitingCancel.cancel();
    // the waiting task is dropped before the sweep ends, without starting
    await expect(waiting).rejects.toBeInstanceOf(JobCancelledError);
    expect(sweepEnded).toBe(false);
    await expect(sweep).rejects.toBeInstanceOf(JobCancelledError);
    expect(progressSeen).toBe(true);
    const next = await after;
    expect(next.threadId).toBe(before.threadId);
  }, 120_000);

  it('a task that does not stop within its grace has the thread terminated; the next task gets a new one', async () => {
    const before = await probe();
    const cancelled = CancelToken.create();
    cancelled.cancel();
    // cancelled before it was queued: it never starts, and the thread stays
    await expect(runOnDevice(gradientsTasks.tensorSweep, sweepParams(4000), { cancel: cancelled })).rejects.toBeInstanceOf(JobCancelledError);
    expect((await probe()).threadId).toBe(before.threadId);
    // a device worker whose task never answers nor checks its flag (cancel-grace.test.ts's stuck script)
    await closeDeviceWorker();
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mnemo-device-'));
    const stuck = path.join(dir, 'stuck-worker.mjs');
    await fs.writeFile(stuck, "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => {});\nsetInterval(() => {}, 1000);\n");
    process.env[WORKER_SCRIPT_ENV] = stuck;
    const late = CancelToken.create();
    const killed = runOnDevice(modelTasks.probeBackend, { backend: 'cpu' }, { cancel: late, cancelGraceMs: 50 });
    delete process.env[WORKER_SCRIPT_ENV];
    const queued = probe();
    late.cancel();
    await expect(killed).rejects.toThrow(/did not stop within 50 ms/);
    const next = await queued;
    expect(next.threadId).not.toBe(before.threadId);
    expect(next.info.name).toBe('cpu');
    await fs.rm(dir, { recursive: true, force: true });
  }, 120_000);

  it('closing ends the thread once its queue is empty; a later task starts a new one', async () => {
    const before = await probe();
    const pending = probe();
    await closeDeviceWorker();
    expect((await pending).threadId).toBe(before.threadId);
    expect((await probe()).threadId).not.toBe(before.threadId);
  }, 120_000);
});
