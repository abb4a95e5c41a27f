// computeAblation: lays the split out in streams exactly as a sweep does (layoutStreams),
// draws the replacements for the whole layout, splits the streams into contiguous shares
// (splitRange, as the sweep's driver), runs each share in its own worker thread (or all in
// this thread with workers = 0) and merges the sums in share order.
import os from 'node:os';
import type { RnnLmWeights } from '../model/rnn-weights';
import type { BackendPreference } from '../model/backend';
import { CancelToken } from '../cancel-token';
import { JobCancelledError, UserError } from '../errors';
import { inProcessContext } from '../jobs/task-context';
import { runInWorker } from '../jobs/run-in-worker';
import { countProgress } from '../jobs/eta';
import type { PhaseProgress } from '../../../shared/schemas/progress';
import { layoutStreams, splitRange, type StreamLayout } from '../gradients/stream-layout';
import type { ClassSpec } from '../gradients/class-index';
import type { AblationMode } from '../../../shared/schemas/ablation';
import { mergeAblationSums, type AblationSums } from './accumulate';
import { drawReplacements } from './replacements';
import { plannedCellSteps, type SharePhase } from './share-passes';
import { ablateShare, type ShareTaskParams, type ShareTaskProgress, type ShareTaskResult } from './share-task';
import { ablationTasks } from './tasks';

export interface AblationOptions {
  maxDelay: number;
  streams: number;
  maxTokens?: number;
  groups: number;
  classes: ClassSpec[];
  mode: AblationMode;
  unkId: number;
  /** unigram counts of the training split (random mode) */
  unigram?: ArrayLike<number>;
  seed: number;
  backend?: BackendPreference;
  engine?: 'auto' | 'js';
  rowsPerBatch?: number;
}

/** The passes as the job reports them: `phase` is the earliest pass any share is in, `fraction` is of all three passes. */
export type AblationProgress = PhaseProgress<SharePhase>;

const PASS_LABELS: Record<SharePhase, string> = { baseline: 'baseline losses', ablate: 'ablated continuations', truncate: 'truncated contexts' };
const cellSteps = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(0)}k` : String(n));

export interface AblationControl {
  /** worker threads, default all cores; 0 runs in the calling thread */
  workers?: number;
  cancel?: CancelToken;
  onProgress?: (p: AblationProgress) => void;
}

export interface AblationComputed {
  layout: StreamLayout;
  sums: AblationSums;
  cellSteps: number;
  outputRows: number;
  /** the slowest share's compute time */
  computeSeconds: number;
  workers: number;
  backend: string;
  engine: string;
}

export async function computeAblation(
  weights: RnnLmWeights,
  splitTokens: ArrayLike<number>,
  opts: AblationOptions,
  control: AblationControl = {},
): Promise<AblationComputed> {
  const started = performance.now();
  const layout = layoutStreams(splitTokens, opts.streams, opts.maxTokens);
  const { streams: B, length: L } = layout;
  if (L < 2) throw new UserError(`streams of ${L} token have no next word to predict: use fewer streams or more tokens`);
  for (const v of layout.tokens) if (v < 0 || v >= weights.vocabSize) throw new UserError(`token id ${v} is outside the model's vocabulary (0..${weights.vocabSize - 1})`);
  const replacements = drawReplacements(layout.tokens, B, L, { mode: opts.mode, unkId: opts.unkId, unigram: opts.unigram, seed: opts.seed });
  const nWorkers = control.workers ?? os.availableParallelism();
  const shares = splitRange(B, Math.max(1, nWorkers));
  const jobs: ShareTaskParams[] = shares.map(([b0, b1]) => ({
    weights,
    tokens: layout.tokens.slice(b0 * L, b1 * L),
    replacements: replacements.slice(b0 * L, b1 * L),
    streams: b1 - b0,
    length: L,
    maxDelay: opts.maxDelay,
    groups: opts.groups,
    classes: opts.classes,
    backend: opts.backend ?? 'wasm',
    engine: opts.engine ?? 'auto',
    rowsPerBatch: opts.rowsPerBatch,
  }));
  const planned = plannedCellSteps(B, L, opts.maxDelay);
  const total = planned.baseline + planned.ablate + planned.truncate;
  const done = new Array<number>(jobs.length).fill(0);
  const PASSES: SharePhase[] = ['baseline', 'ablate', 'truncate'];
  const phases = new Array<number>(jobs.length).fill(0);
  const report = (i: number, p: ShareTaskProgress) => {
    done[i] = p.cellSteps;
    phases[i] = PASSES.indexOf(p.phase);
    if (!control.onProgress) return;
    const cellStepsDone = done.reduce((a, b) => a + b, 0);
    const phase = PASSES[Math.min(...phases)];
    // of all three passes: the shares run them one after the other, each at its own pace
    control.onProgress(
      countProgress(phase, cellStepsDone, total, (performance.now() - started) / 1000, () =>
        `${PASS_LABELS[phase]}: ${cellSteps(cellStepsDone)}/${cellSteps(total)} cell steps in all`,
      ),
    );
  };
  const cancel = control.cancel ?? CancelToken.create();
  let results: ShareTaskResult[];
  if (nWorkers === 0) {
    results = [];
    for (let i = 0; i < jobs.length; i++) {
      if (cancel.cancelled) throw new JobCancelledError();
      results.push(await ablateShare(jobs[i], inProcessContext((p) => report(i, p), cancel)));
    }
  } else {
    results = await runShares(jobs, report, cancel);
  }
  const sums = results[0].sums;
  for (let i = 1; i < results.length; i++) mergeAblationSums(sums, results[i].sums);
  return {
    layout,
    sums,
    cellSteps: results.reduce((a, r) => a + r.work.cellSteps, 0),
    outputRows: results.reduce((a, r) => a + r.work.outputRows, 0),
    computeSeconds: Math.max(...results.map((r) => r.seconds)),
    workers: nWorkers === 0 ? 0 : jobs.length,
    backend: results[0].backend,
    engine: results[0].engine,
  };
}

/** Every share in its own worker; the first failure cancels the others (a child token of the caller's). */
async function runShares(jobs: ShareTaskParams[], report: (i: number, p: ShareTaskProgress) => void, cancel: CancelToken): Promise<ShareTaskResult[]> {
  const inner = cancel.child();
  try {
    const settled = await Promise.allSettled(
      jobs.map((params, i) =>
        runInWorker(ablationTasks.ablateShare, params, { onProgress: (p) => report(i, p), cancel: inner }).catch((err: unknown) => {
          inner.cancel();
          throw err;
        }),
      ),
    );
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected' && !(s.reason instanceof JobCancelledError));
    if (failed) throw failed.reason;
    if (settled.some((s) => s.status === 'rejected')) throw new JobCancelledError();
    return settled.map((s) => (s as PromiseFulfilledResult<ShareTaskResult>).value);
  } finally {
    inner.release();
  }
}
