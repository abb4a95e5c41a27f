// The parallel driver's side of the tensor path: the sweep's streams as one share, in one
// worker thread that owns the device, and what the run records about it. In the calling
// thread when that is the process's device worker (jobs/device-worker.ts: the sweep was sent
// there because its backend loads native TensorFlow) or with workers = 0 (tests).
import { CancelToken } from '../../cancel-token';
import { inProcessContext } from '../../jobs/task-context';
import { runInWorker } from '../../jobs/run-in-worker';
import { onDeviceThread } from '../../jobs/device-worker';
import type { GradientsTaskProgress, GradientsTaskResult } from '../gradients-task';
import { gradientsTasks } from '../tasks';
import type { SweepPath, SweepPathChoice } from './sweep-path';
import { tensorTask, type DeviceUse, type TensorTaskParams } from './tensor-task';

/** What a run says about the sweep path that made it (run.json software). */
export interface SweepPathRecord {
  path: SweepPath;
  reason: string;
  /** tensor path only */
  device: DeviceUse | null;
}

export async function runTensorShare(
  params: TensorTaskParams,
  report: (p: GradientsTaskProgress) => void,
  workers: number,
  cancel: CancelToken | undefined,
): Promise<GradientsTaskResult & { device: DeviceUse }> {
  if (workers === 0 || onDeviceThread()) {
    cancel?.throwIfCancelled();
    return tensorTask(params, inProcessContext(report, cancel));
  }
  return runInWorker(gradientsTasks.tensorSweep, params, { onProgress: report, cancel: cancel ?? CancelToken.create() });
}

export function sweepPathRecord(choice: SweepPathChoice | undefined, result: GradientsTaskResult | (GradientsTaskResult & { device: DeviceUse })): SweepPathRecord {
  const device = 'device' in result ? result.device : null;
  if (!choice) return { path: device ? 'tensor' : 'kernels', reason: 'chosen by the caller', device };
  return { path: choice.path, reason: choice.reason, device };
}
