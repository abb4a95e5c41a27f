// The worker task of the tensor path: the one thread that owns the device. It selects the
// backend (tfjs-node-gpu must be loaded in a single thread of the process, see
// sweep-path.ts), sizes the chunk of streams from the device's memory, sweeps every stream of
// the job and returns the partial sums in the public [H, E] layout, as gradients-task.ts does.
import { UserError } from '../../errors';
import type { TaskFn } from '../../jobs/task-context';
import { selectBackend, type BackendPreference } from '../../model/backend';
import { transposeSums } from '../accumulator';
import { buildTokenIndex } from '../class-index';
import { positionReporter, type GradientsTaskProgress, type GradientsTaskResult } from '../gradients-task';
import { jobSumsShape, type SweepJob } from '../run-sweep';
import { deviceSumsShape } from './device-sums';
import { threadCpuSeconds } from '../thread-cpu';
import { deviceMemory, gpuFreeMemoryMB, planChunk, type DeviceMemorySource } from './device-memory';
import { runTensorSweep } from './run-tensor-sweep';

export interface TensorTaskParams {
  /** its chunkStreams is ignored: the chunk comes from the device's memory */
  job: SweepJob;
  backend: BackendPreference;
  /** device memory in MiB to plan for (--device-memory); default: nvidia-smi or DEFAULT_DEVICE_MEMORY_MB */
  deviceMemoryMB?: number;
}

export interface DeviceUse {
  /** memory planned for, MiB, and where that figure came from */
  memoryMB: number;
  memorySource: DeviceMemorySource;
  /** streams swept at once */
  chunkStreams: number;
}

export interface TensorTaskResult extends GradientsTaskResult {
  device: DeviceUse;
  /** seconds the sweep waited for read-backs of the accumulators */
  readBackSeconds: number;
}

export const TENSOR_ENGINE = 'tfjs tensor ops (batched matMul, scatter-add; tangents and sums on the device)';

export const tensorTask: TaskFn<TensorTaskParams, TensorTaskResult, GradientsTaskProgress> = async (params, ctx) => {
  // the GPU's free memory before TensorFlow starts and reserves it (device-memory.ts)
  const gpuFree = params.deviceMemoryMB === undefined && params.backend !== 'cpu' && params.backend !== 'wasm' ? gpuFreeMemoryMB() : null;
  // fresh: in the device worker this thread has already read the weights on cpu (load-weights.ts)
  const info = await selectBackend(params.backend, { fresh: true });
  const { job } = params;
  const onGpu = info.name === 'tensorflow' && info.description.includes('GPU');
  const memory = deviceMemory(params.deviceMemoryMB, onGpu ? gpuFree : null);
  const index = buildTokenIndex(job.weights.vocabSize, job.classes, job.words);
  let memberships = 0;
  for (let v = 0; v < job.weights.vocabSize; v++) memberships = Math.max(memberships, index.offsets[v + 1] - index.offsets[v]);
  const plan = planChunk(
    job.weights,
    job.layer,
    deviceSumsShape(jobSumsShape(job), job.length),
    memberships,
    job.streams,
    memory,
  );
  if (!plan.fits) {
    const need = Math.ceil((plan.bytesPerStream + plan.fixedBytes) / 0.7 / 1024 ** 2);
    throw new UserError(
      `the tensor path needs about ${need} MiB of device memory for one stream, and ${memory.megabytes} MiB are available (${memory.source}): ` +
        'use fewer delays, classes or words, give more with --device-memory, or use --engine kernels',
    );
  }
  const started = performance.now();
  const cpu0 = threadCpuSeconds();
  const reporter = positionReporter(ctx);
  const { sums, stats } = runTensorSweep({ ...job, chunkStreams: plan.streams }, { cancel: ctx.cancel, onStep: reporter.onStep });
  reporter.flush();
  const cpu1 = threadCpuSeconds();
  const { readBackSeconds, ...sweepStats } = stats;
  return {
    sums: transposeSums(sums),
    stats: sweepStats,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null,
    backend: info.description,
    engine: TENSOR_ENGINE,
    kernels: 'tensor ops',
    device: { memoryMB: memory.megabytes, memorySource: memory.source, chunkStreams: plan.streams },
    readBackSeconds,
  };
};
