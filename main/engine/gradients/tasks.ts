// The worker task of gradients/ (bound to its code in worker/task-registry.ts): types only, light to import.
import { defineTask } from '../jobs/task-context';
import type { GradientsTaskParams, GradientsTaskProgress, GradientsTaskResult } from './gradients-task';
import type { TensorTaskParams, TensorTaskResult } from './tensor-path/tensor-task';

export const gradientsTasks = {
  /** one share of a sweep's streams (parallel-driver.ts starts one per worker) */
  gradients: defineTask<GradientsTaskParams, GradientsTaskResult, GradientsTaskProgress>('gradients'),
  /** the whole sweep on the tensor path, in the one worker that owns the device (tensor-path/tensor-task.ts) */
  tensorSweep: defineTask<TensorTaskParams, TensorTaskResult, GradientsTaskProgress>('gradients-tensor'),
};
