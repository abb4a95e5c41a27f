// The worker task: one tfjs backend in this thread, one share of the streams, partial
// SUMS back to the driver (which merges them exactly; see parallel-driver.ts).
import * as tf from '@tensorflow/tfjs';
import type { TaskContext, TaskFn } from '../jobs/task-context';
import { selectBackend, type BackendPreference } from '../model/backend';
import { transposeSums, type GradientSums } from './accumulator';
import type { SweepStats } from './chunk-sweep';
import { JsGemmEngine, TfCopyGemmEngine, type GemmEngine } from './gemm-engine';
import { runSweep, type SweepJob } from './run-sweep';
import { jsKernels, type TangentKernels } from './tangent-step';
import { WasmGemmEngine } from './wasm-gemm-engine';
import { createWasmKernels } from './wasm-kernels';
import { threadCpuSeconds } from './thread-cpu';

export interface GradientsTaskParams {
  job: SweepJob;
  /** tfjs backend for this worker; 'auto' picks the best available */
  backend: BackendPreference;
  /** 'js' forces the reference loops (tests); 'auto' uses the backend's GEMM and, on wasm, the SIMD kernels */
  engine?: 'auto' | 'js';
}

export interface GradientsTaskProgress {
  /** positions (stream steps) done so far by this task */
  positions: number;
}

export interface GradientsTaskResult {
  /** in the public [H, E] block layout: each worker transposes its own share, in parallel */
  sums: GradientSums;
  stats: SweepStats;
  /** time spent sweeping, excluding backend start-up */
  seconds: number;
  /** CPU time this thread got while sweeping (Linux), null if unknown */
  cpuSeconds: number | null;
  backend: string;
  engine: string;
  kernels: string;
}

const PROGRESS_EVERY_MS = 250;

/** A sweep's onStep that reports the positions done at most every PROGRESS_EVERY_MS, and `flush` for the last count. */
export function positionReporter(ctx: Pick<TaskContext<GradientsTaskProgress>, 'progress'>): { onStep: (n: number) => void; flush: () => void } {
  let positions = 0;
  let lastReport = 0;
  return {
    onStep: (n) => {
      positions += n;
      const now = performance.now();
      if (now - lastReport >= PROGRESS_EVERY_MS) {
        lastReport = now;
        ctx.progress({ positions });
      }
    },
    flush: () => ctx.progress({ positions }),
  };
}

/** The sweep's GEMM engine and tangent kernels for the current tfjs backend ('js': the reference loops). */
export function createGemmEngine(kind: 'auto' | 'js'): { engine: GemmEngine; kernels: TangentKernels } {
  if (kind === 'js') return { engine: new JsGemmEngine(), kernels: jsKernels };
  if (tf.getBackend() === 'wasm') {
    const engine = new WasmGemmEngine();
    return { engine, kernels: createWasmKernels(engine.memory, engine.space) };
  }
  return { engine: new TfCopyGemmEngine(), kernels: jsKernels };
}

export const gradientsTask: TaskFn<GradientsTaskParams, GradientsTaskResult, GradientsTaskProgress> = async (params, ctx) => {
  const info = await selectBackend(params.backend);
  const { engine, kernels } = createGemmEngine(params.engine ?? 'auto');
  const started = performance.now();
  const cpu0 = threadCpuSeconds();
  const reporter = positionReporter(ctx);
  try {
    const { sums, stats } = runSweep(params.job, engine, kernels, { cancel: ctx.cancel, onStep: reporter.onStep });
    reporter.flush();
    const cpu1 = threadCpuSeconds();
    const seconds = (performance.now() - started) / 1000;
    return {
      sums: transposeSums(sums),
      stats,
      seconds,
      cpuSeconds: cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null,
      backend: info.description,
      engine: engine.name,
      kernels: kernels.name,
    };
  } finally {
    engine.dispose();
  }
};
