// Runs one named task in its own worker thread. The same code path serves Electron,
// the CLI, the server and the tests. The caller's CancelToken goes to the worker as it is
// (shared flags that the task checks between steps), so a cancel stops it cleanly even
// inside a synchronous compute loop, and reaches any worker that task starts in turn.
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { WorkerMessage } from './protocol';
import { JobCancelledError, WorkerError } from '../errors';
import { CancelToken } from '../cancel-token';
import { keepFloat32OnGpu } from '../float32-gpu';
import type { TaskRef } from './task-context';

export interface RunOptions<P> {
  onProgress?: (progress: P) => void;
  onLog?: (line: string) => void;
  /** Stops the task, and every worker it starts in turn: its flags go to the worker as they are. */
  cancel?: CancelToken;
  /**
   * After a cancel, how long the task has to stop by itself (it checks between steps)
   * before its worker is terminated and the run ends as cancelled anyway (default
   * cancelGraceMs()): a cancelled job always ends, even when its task is stuck.
   */
  cancelGraceMs?: number;
}

/** Default time a cancelled task has to stop on its own before its worker is terminated. */
export const CANCEL_GRACE_MS = 15_000;
/** Environment variable overriding CANCEL_GRACE_MS (milliseconds), e.g. for a training whose steps are very long. */
export const CANCEL_GRACE_ENV = 'MNEMOSCOPE_CANCEL_GRACE_MS';

/** The grace a cancelled task gets: $MNEMOSCOPE_CANCEL_GRACE_MS when it is a non-negative number, else CANCEL_GRACE_MS. */
export function cancelGraceMs(): number {
  const raw = process.env[CANCEL_GRACE_ENV];
  const ms = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
  return Number.isFinite(ms) && ms >= 0 ? ms : CANCEL_GRACE_MS;
}

let nextSeq = 1;

/**
 * Where the bundled worker may be for a bundle at `bundleFile`: the bundles are
 * dist/main/cli.js and dist/main/electron/main.js, the worker is dist/main/worker.js.
 * In a packaged app the worker is unpacked beside the asar archive (electron-builder.yml).
 */
export function bundledWorkerCandidates(bundleFile: string): string[] {
  const dir = path.dirname(bundleFile);
  const unpacked = (p: string) => p.replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
  return [path.join(dir, 'worker.js'), path.join(dir, '..', 'worker.js')].map(unpacked);
}

/** Environment variable naming the worker script to run, e.g. the benchmark's freshly built bundle. */
export const WORKER_SCRIPT_ENV = 'MNEMOSCOPE_WORKER_SCRIPT';

/**
 * Where the worker script is: $MNEMOSCOPE_WORKER_SCRIPT if set, else the bundled
 * dist/main/worker.js, or the TS source run through tsx when this module is the TS source.
 */
export function workerScript(): { file: string; execArgv: string[] } {
  const override = process.env[WORKER_SCRIPT_ENV];
  if (override) {
    if (!existsSync(override)) throw new Error(`${WORKER_SCRIPT_ENV} names a file that does not exist: ${override}`);
    return { file: override, execArgv: [] };
  }
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    // worker/tsx-worker.mjs registers tsx, then loads worker-entry.ts (see there why not execArgv).
    return { file: path.join(path.dirname(here), '..', 'worker', 'tsx-worker.mjs'), execArgv: [] };
  }
  const candidates = bundledWorkerCandidates(here);
  const bundled = candidates.find((p) => existsSync(p));
  if (!bundled) throw new Error(`worker bundle missing (looked for ${candidates.join(', ')}): run 'npm run build'`);
  return { file: bundled, execArgv: [] };
}

/** Runs `ref`'s task (main/engine/worker/task-registry.ts) in a new worker thread; the types follow from the ref. */
export function runInWorker<Params, Result, Progress>(
  ref: TaskRef<Params, Result, Progress>,
  params: Params,
  opts: RunOptions<Progress> = {},
): Promise<Result> {
  const { file, execArgv } = workerScript();
  keepFloat32OnGpu(); // before any worker may load TensorFlow (float32-gpu.ts)
  const worker = new Worker(file, { execArgv });
  // Not awaited: a worker whose thread waits in a system call may take long to go.
  return driveTask(worker, ref, params, opts, () => void worker.terminate().catch(() => {}));
}

/**
 * Starts `ref`'s task on `worker` and follows it to its end: progress, log lines, and after a
 * cancel the grace period. `release(dead)` is called once when the task has ended; `dead`
 * says the worker cannot run another task (it was terminated after the grace, failed or
 * exited), so an owner that keeps its worker (device-worker.ts) must start a new one.
 */
export function driveTask<Params, Result, Progress>(
  worker: Worker,
  ref: TaskRef<Params, Result, Progress>,
  params: Params,
  opts: RunOptions<Progress>,
  release: (dead: boolean) => void,
): Promise<Result> {
  const task = ref.name;
  const seq = nextSeq++;
  const cancel = opts.cancel ?? CancelToken.create();

  return new Promise<Result>((resolve, reject) => {
    const grace = opts.cancelGraceMs ?? cancelGraceMs();
    const graceText = grace < 1000 ? `${grace} ms` : `${Math.round(grace / 1000)} s`;
    let settled = false;
    let forceTimer: ReturnType<typeof setTimeout> | null = null;
    const finish = (fn: () => void, dead = false) => {
      if (settled) return;
      settled = true;
      if (forceTimer !== null) clearTimeout(forceTimer);
      unsubscribe();
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      fn();
      if (dead) void worker.terminate().catch(() => {});
      release(dead);
    };
    // The worker sees the flag by itself; this thread only starts the grace period.
    const onCancel = () => {
      forceTimer ??= setTimeout(
        () => finish(() => reject(new JobCancelledError(`cancelled; '${task}' did not stop within ${graceText}, so its worker was terminated`)), true),
        grace,
      );
    };
    const unsubscribe = cancel.onCancel(onCancel);
    if (cancel.cancelled) onCancel();

    const onMessage = (m: WorkerMessage) => {
      if (m.seq !== seq) return;
      switch (m.kind) {
        case 'progress':
          opts.onProgress?.(m.progress as Progress);
          break;
        case 'log':
          opts.onLog?.(m.line);
          break;
        case 'done':
          finish(() => resolve(m.result as Result));
          break;
        case 'cancelled':
          finish(() => reject(new JobCancelledError('cancelled', m.result)));
          break;
        case 'failed':
          finish(() => reject(new WorkerError(m.error.name, m.error.message, m.error.stack)));
          break;
      }
    };
    const onError = (err: Error) => finish(() => reject(err), true);
    const onExit = (code: number) => finish(() => reject(new Error(`worker for '${task}' exited with code ${code} before finishing`)), true);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ kind: 'start', seq, task, params, cancelFlags: cancel.shared });
  });
}
