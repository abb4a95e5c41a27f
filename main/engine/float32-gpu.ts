// Keeps float32 matmuls float32 on NVIDIA GPUs. libtensorflow (tfjs-node-gpu) lets cuBLAS and
// cuDNN use TF32 on Ampere and newer GPUs, which rounds the inputs of every product to a
// 10-bit mantissa: the sweep's sums would then no longer agree with the kernel path's within
// float32 rounding. NVIDIA_TF32_OVERRIDE=0 turns that off for the whole process, but the
// NVIDIA libraries read it from the process environment, which only the main thread can set
// (a worker thread's process.env is its own copy). So it is set here, on the main thread,
// before any worker starts (run-in-worker.ts) or TensorFlow loads (model/backend.ts). A value
// the user set is left as it is.
import { isMainThread } from 'node:worker_threads';

export const TF32_ENV = 'NVIDIA_TF32_OVERRIDE';

export function keepFloat32OnGpu(): void {
  if (isMainThread && process.env[TF32_ENV] === undefined) process.env[TF32_ENV] = '0';
}
