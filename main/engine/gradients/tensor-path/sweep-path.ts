// Which sweep runs, and why: the kernel path (one worker per core, our wasm SIMD GEMM and
// kernels) or the tensor path (one worker that owns the device, tensor ops; tensor-sweep.ts).
// `auto` takes the tensor path only where it is meant to win, tfjs-node-gpu on an NVIDIA GPU,
// and decides that without loading TensorFlow in this thread: tfjs-node loaded in a second
// worker thread of a process fails (tensorflow/tfjs#8388), and the process's device worker
// (jobs/device-worker.ts) must be the one that loads it.
import { UserError } from '../../errors';
import { cudaStatus, type BackendPreference } from '../../model/backend';
import { packageInstalled } from '../../package-installed';

export const SWEEP_ENGINES = ['auto', 'tensor', 'kernels'] as const;
export type SweepEngine = (typeof SWEEP_ENGINES)[number];
export type SweepPath = 'tensor' | 'kernels';

export interface SweepPathChoice {
  path: SweepPath;
  /** the backend the path's worker(s) ask for */
  backend: BackendPreference;
  reason: string;
}

/** Backend of the kernel path when none is asked for: its SIMD kernels work in the wasm heap. */
export const KERNEL_PATH_BACKEND: BackendPreference = 'wasm';

/** Whether tfjs-node-gpu can run on a GPU here, and if not why (without loading it). */
export function gpuTensorflow(): { usable: boolean; why: string } {
  if (!packageInstalled('@tensorflow/tfjs-node-gpu')) return { usable: false, why: '@tensorflow/tfjs-node-gpu is not installed' };
  const cuda = cudaStatus();
  const missing = [
    !cuda.driver && 'no NVIDIA driver (nvidia-smi not found)',
    !cuda.cudart11 && 'no CUDA 11.2 runtime (libcudart.so.11.0)',
    !cuda.cudnn8 && 'no cuDNN 8 (libcudnn.so.8)',
  ].filter((m): m is string => Boolean(m));
  if (missing.length) return { usable: false, why: missing.join(', ') };
  return { usable: true, why: `tfjs-node-gpu with ${cuda.driver}` };
}

export function chooseSweepPath(engine: SweepEngine, backend: BackendPreference | undefined, gpu: () => { usable: boolean; why: string } = gpuTensorflow): SweepPathChoice {
  // 'auto' would have every worker of the pool try tfjs-node; the kernel path's own backend is wasm
  const kernelBackend = backend === undefined || backend === 'auto' ? KERNEL_PATH_BACKEND : backend;
  // A native TensorFlow backend lives in the process's one device worker; the kernel path's
  // pool would load tfjs-node once per core, which fails (tensorflow/tfjs#8388).
  const native = backend === 'tensorflow' || backend === 'tensorflow-gpu';
  if (engine === 'kernels' && native) {
    throw new UserError(
      `the kernel path runs one worker per core and cannot use backend ${backend}: TensorFlow loads in one thread of a process only. Use --engine tensor (or auto) for ${backend}, or --backend wasm for the kernel path.`,
    );
  }
  if (engine === 'kernels') return { path: 'kernels', backend: kernelBackend, reason: `kernel path asked for (engine kernels), backend ${kernelBackend}` };
  if (engine === 'tensor') {
    return { path: 'tensor', backend: backend ?? 'auto', reason: `tensor path asked for (engine tensor)${backend ? `, backend ${backend}` : ''}` };
  }
  if (backend === 'tensorflow') {
    return { path: 'tensor', backend, reason: 'engine auto: backend tensorflow runs in the device worker, so the tensor path' };
  }
  if (backend !== undefined && backend !== 'auto' && backend !== 'tensorflow-gpu') {
    return { path: 'kernels', backend, reason: `engine auto: backend ${backend} is not tensorflow-gpu, so the kernel path` };
  }
  const g = gpu();
  if (g.usable) return { path: 'tensor', backend: 'tensorflow-gpu', reason: `engine auto: ${g.why}, so the tensor path on the GPU` };
  if (backend === 'tensorflow-gpu') return { path: 'tensor', backend, reason: `backend tensorflow-gpu asked for (${g.why}), so the tensor path` };
  return { path: 'kernels', backend: KERNEL_PATH_BACKEND, reason: `engine auto: no GPU for the tensor path (${g.why}), so the kernel path on wasm` };
}
