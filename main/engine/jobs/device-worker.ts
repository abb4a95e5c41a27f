// The one thread of the process that owns the native TensorFlow device. tfjs-node fails when
// a second worker thread of a process loads it (tensorflow/tfjs#8388), so every task that
// needs a `tensorflow*` backend (jobs/device-route.ts says which) runs here, one after
// the other, in one long-lived worker thread started on first use; wasm and cpu tasks keep
// their own workers (run-in-worker.ts). A task is driven as runInWorker drives one (progress,
// logs, the cancel flags as they are, the grace after a cancel); a task cancelled while it
// waits for its turn ends at once without starting. If the worker has to be terminated (a
// task that did not stop within its grace) or dies, the next task starts a new one.
import { Worker, isMainThread, workerData } from 'node:worker_threads';
import { CancelToken } from '../cancel-token';
import { JobCancelledError } from '../errors';
import { keepFloat32OnGpu } from '../float32-gpu';
import { driveTask, workerScript, type RunOptions } from './run-in-worker';
import type { TaskRef } from './task-context';

/** workerData key marking the device worker (worker-entry.ts then serves task after task). */
export const DEVICE_WORKER_KEY = 'mnemoscopeDeviceWorker';

/** True in the device worker's thread: what needs the device runs in this thread, not in a further worker. */
export function onDeviceThread(): boolean {
  return !isMainThread && (workerData as Record<string, unknown> | null | undefined)?.[DEVICE_WORKER_KEY] === true;
}

class DeviceWorker {
  private worker: Worker | null = null;
  private readonly queue: (() => Promise<void>)[] = [];
  private busy = false;
  private idleWaiters: (() => void)[] = [];

  run<Params, Result, Progress>(ref: TaskRef<Params, Result, Progress>, params: Params, opts: RunOptions<Progress>): Promise<Result> {
    const cancel = opts.cancel ?? CancelToken.create();
    return new Promise<Result>((resolve, reject) => {
      let started = false;
      let dropped = false;
      const notStarted = () => new JobCancelledError(`cancelled before '${ref.name}' started (it waited for the device worker)`);
      if (cancel.cancelled) {
        reject(notStarted());
        return;
      }
      const unsubscribe = cancel.onCancel(() => {
        if (started) return;
        dropped = true;
        unsubscribe();
        reject(notStarted());
      });
      this.queue.push(async () => {
        if (dropped) return;
        started = true;
        unsubscribe();
        const worker = this.thread();
        await driveTask(worker, ref, params, { ...opts, cancel }, (dead) => {
          if (dead && this.worker === worker) this.worker = null;
        }).then(resolve, reject);
      });
      void this.pump();
    });
  }

  /** Waits for the queue to empty, then ends the thread. */
  async close(): Promise<void> {
    if (this.busy) await new Promise<void>((r) => this.idleWaiters.push(r));
    const w = this.worker;
    this.worker = null;
    await w?.terminate();
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        this.worker?.ref();
        await next();
      }
    } finally {
      this.busy = false;
      // idle: the thread waits for the next task without keeping the process alive
      this.worker?.unref();
      for (const r of this.idleWaiters.splice(0)) r();
    }
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const { file, execArgv } = workerScript();
    keepFloat32OnGpu(); // before the worker may load TensorFlow (float32-gpu.ts)
    const w = new Worker(file, { execArgv, workerData: { [DEVICE_WORKER_KEY]: true } });
    w.on('exit', () => {
      if (this.worker === w) this.worker = null;
    });
    // a failure between tasks is reported by the next task's 'exit'; this keeps it from being unhandled
    w.on('error', () => {});
    this.worker = w;
    return w;
  }
}

let device: DeviceWorker | null = null;

/**
 * Runs `ref`'s task in the process's device worker, after the tasks queued before it. Only
 * the main thread owns that worker; in the device worker itself, run the work in-thread.
 */
export function runOnDevice<Params, Result, Progress>(ref: TaskRef<Params, Result, Progress>, params: Params, opts: RunOptions<Progress> = {}): Promise<Result> {
  if (!isMainThread) throw new Error(`'${ref.name}' needs the device worker, which only the main thread can reach`);
  device ??= new DeviceWorker();
  return device.run(ref, params, opts);
}

/** Ends the device worker once its queue is empty (the engine's close). A later task starts a new one. */
export async function closeDeviceWorker(): Promise<void> {
  const d = device;
  device = null;
  await d?.close();
}
