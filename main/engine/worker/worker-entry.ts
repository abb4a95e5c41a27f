// Entry point of a job worker thread: waits for one start message, runs that task,
// reports progress, and ends with exactly one of done / cancelled / failed. The device
// worker (jobs/device-worker.ts) runs task after task in the same thread instead.
import { parentPort } from 'node:worker_threads';
import type { StartMessage, WorkerMessage } from '../jobs/protocol';
import { serializeError, transferablesOf } from '../jobs/protocol';
import { CancelToken } from '../cancel-token';
import { JobCancelledError } from '../errors';
import { loadTask } from './task-registry';
import { onDeviceThread } from '../jobs/device-worker';

if (!parentPort) throw new Error('worker-entry must run in a worker thread');
const port = parentPort;
const post = (m: WorkerMessage) => port.postMessage(m);
/** Posts a result, handing over the buffers it owns; falls back to a copy if one cannot be moved. */
const postResult = (m: WorkerMessage & { result?: unknown }) => {
  try {
    port.postMessage(m, transferablesOf(m.result));
  } catch {
    post(m);
  }
};

const serve = onDeviceThread();

const runTask = async (msg: StartMessage) => {
  const { seq, task, params } = msg;
  try {
    const fn = await loadTask(task);
    const result = await fn(params, {
      progress: (progress) => post({ kind: 'progress', seq, progress }),
      log: (line) => post({ kind: 'log', seq, line }),
      cancel: CancelToken.fromShared(msg.cancelFlags),
    });
    postResult({ kind: 'done', seq, result });
  } catch (err) {
    if (err instanceof JobCancelledError) postResult({ kind: 'cancelled', seq, result: err.partial });
    else post({ kind: 'failed', seq, error: serializeError(err) });
  } finally {
    if (!serve) port.close();
  }
};

if (serve) {
  // one task at a time, in the order they came (the owner sends the next only after the last ended)
  let last = Promise.resolve();
  port.on('message', (msg: StartMessage) => {
    last = last.then(() => runTask(msg));
  });
} else {
  port.once('message', runTask);
}
