// The worker task of one share: a tfjs backend in this thread (wasm: the sweep's own GEMM in
// the wasm heap), the share's three passes, and its sums back to the driver, which merges
// them exactly in share order.
import type { TaskFn } from '../jobs/task-context';
import { selectBackend, type BackendPreference } from '../model/backend';
import { createGemmEngine } from '../gradients/gradients-task';
import { buildTokenIndex, type ClassSpec } from '../gradients/class-index';
import { emptySums, summingSink, type AblationSums } from './accumulate';
import { runSharePasses, type ShareInput, type SharePhase, type ShareWork } from './share-passes';

/** The share's streams (ShareInput), with what its sums are grouped by and the backend to run on. */
export interface ShareTaskParams extends ShareInput {
  groups: number;
  classes: ClassSpec[];
  backend: BackendPreference;
  /** 'js' forces the reference loops (tests) */
  engine?: 'auto' | 'js';
}

export interface ShareTaskProgress {
  /** cell steps done by this share so far */
  cellSteps: number;
  /** the pass it is in */
  phase: SharePhase;
}

export interface ShareTaskResult {
  sums: AblationSums;
  work: ShareWork;
  /** compute time, excluding backend start-up */
  seconds: number;
  backend: string;
  engine: string;
}

const PROGRESS_EVERY_MS = 250;

export const ablateShare: TaskFn<ShareTaskParams, ShareTaskResult, ShareTaskProgress> = async (p, ctx) => {
  const info = await selectBackend(p.backend);
  const { engine } = createGemmEngine(p.engine ?? 'auto');
  const started = performance.now();
  const sums = emptySums(p.maxDelay, p.groups, p.classes.length);
  const index = buildTokenIndex(p.weights.vocabSize, p.classes, []);
  let cellSteps = 0;
  let phase: SharePhase = 'baseline';
  let last = 0;
  try {
    const work = runSharePasses(
      p,
      engine,
      summingSink(sums, p.tokens, p.streams, p.length, index),
      {
        isCancelled: () => ctx.cancel.cancelled,
        onWork: (pass, n) => {
          cellSteps += n;
          phase = pass;
          const now = performance.now();
          if (now - last < PROGRESS_EVERY_MS) return;
          last = now;
          ctx.progress({ cellSteps, phase });
        },
      },
    );
    ctx.progress({ cellSteps, phase });
    return { sums, work, seconds: (performance.now() - started) / 1000, backend: info.description, engine: engine.name };
  } finally {
    engine.dispose();
  }
};
