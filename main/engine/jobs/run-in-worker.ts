// Runs one named task in its own worker thread. The same code path serves Electron,
// the CLI, the server and the tests. Cancel sets a shared flag that the task checks
// between steps, so it stops cleanly even inside a synchronous compute loop.
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { WorkerMessage } from './protocol';
import { JobCancelledError, WorkerError } from './errors';

export interface RunOptions<P> {
  onProgress?: (progress: P) => void;
  onLog?: (line: string) => void;
  signal?: AbortSignal;
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
    // tsx-worker.mjs registers tsx, then loads worker-entry.ts (see there why not execArgv).
    return { file: path.join(path.dirname(here), 'tsx-worker.mjs'), execArgv: [] };
  }
  const candidates = bundledWorkerCandidates(here);
  const bundled = candidates.find((p) => existsSync(p));
  if (!bundled) throw new Error(`worker bundle missing (looked for ${candidates.join(', ')}): run 'npm run build'`);
  return { file: bundled, execArgv: [] };
}

export function runInWorker<Result = unknown, Progress = unknown>(
  task: string,
  params: unknown,
  opts: RunOptions<Progress> = {},
): Promise<Result> {
  const seq = nextSeq++;
  const cancelFlag = new SharedArrayBuffer(4);
  const flag = new Int32Array(cancelFlag);
  const { file, execArgv } = workerScript();
  const worker = new Worker(file, { execArgv });

  return new Promise<Result>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
      void worker.terminate();
    };
    const onAbort = () => Atomics.store(flag, 0, 1);
    if (opts.signal?.aborted) onAbort();
    opts.signal?.addEventListener('abort', onAbort);

    worker.on('message', (m: WorkerMessage) => {
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
    });
    worker.on('error', (err) => finish(() => reject(err)));
    worker.on('exit', (code) =>
      finish(() => reject(new Error(`worker for '${task}' exited with code ${code} before finishing`))),
    );
    worker.postMessage({ kind: 'start', seq, task, params, cancelFlag });
  });
}
