// Which tasks run in the process's device worker (jobs/device-worker.ts): those that load
// native TensorFlow (tfjs-node, tfjs-node-gpu), which fails in a second thread of a process
// (tensorflow/tfjs#8388). That is a `tensorflow*` backend asked for by name, or `auto` where
// a tfjs-node package is installed (auto tries it first: model/backend.ts). The sweep needs
// the device on the tensor path only: the kernel path's workers run on wasm unless told
// otherwise.
import type { SweepEngine, SweepPathChoice } from '../gradients/tensor-path/sweep-path';
import { packageInstalled } from '../package-installed';
import type { BackendPreference } from '../model/backend';
import type { TaskRef } from './task-context';
import { runInWorker, type RunOptions } from './run-in-worker';
import { runOnDevice } from './device-worker';

/** Whether a task on `backend` (undefined: auto) would load native TensorFlow, given whether a tfjs-node package is installed. */
export function needsDevice(backend: BackendPreference | undefined, nativeInstalled: boolean): boolean {
  if (backend === 'tensorflow' || backend === 'tensorflow-gpu') return true;
  return (backend === undefined || backend === 'auto') && nativeInstalled;
}

/** A sweep needs the device when it takes the tensor path on a backend that needs it. */
export function sweepNeedsDevice(choice: SweepPathChoice, nativeInstalled: boolean): boolean {
  return choice.path === 'tensor' && needsDevice(choice.backend, nativeInstalled);
}

/**
 * Whether an analysis with this engine and backend runs in the device worker. The sweep path
 * module loads TensorFlow.js (not tfjs-node), so it is loaded only where native TensorFlow could run.
 */
export async function analyzeNeedsDevice(engine: SweepEngine, backend: BackendPreference | undefined): Promise<boolean> {
  const installed = nativeTensorflowInstalled();
  if (!installed && backend !== 'tensorflow' && backend !== 'tensorflow-gpu') return false;
  const { chooseSweepPath } = await import('../gradients/tensor-path/sweep-path');
  return sweepNeedsDevice(chooseSweepPath(engine, backend), installed);
}

/** Whether @tensorflow/tfjs-node or -gpu is installed here (resolved, not loaded). */
export function nativeTensorflowInstalled(): boolean {
  return packageInstalled('@tensorflow/tfjs-node') || packageInstalled('@tensorflow/tfjs-node-gpu');
}

/** Runs the task in the device worker when `device`, else in a worker of its own. */
export function runRouted<Params, Result, Progress>(
  device: boolean,
  ref: TaskRef<Params, Result, Progress>,
  params: Params,
  opts: RunOptions<Progress> = {},
): Promise<Result> {
  return device ? runOnDevice(ref, params, opts) : runInWorker(ref, params, opts);
}
