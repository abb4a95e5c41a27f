// One worker's share of an analysis: a contiguous range of streams, swept chunk by chunk
// (at most `chunkStreams` streams at a time, which bounds the tangent memory) into one
// set of partial sums. Pure with respect to threads: the task and the tests call it.
import type { Cell, RnnLmWeights } from '../model/rnn-weights';
import { hasCellState } from '../model/rnn-weights';
import { CELL_LABELS } from '../../../shared/schemas/model';
import { UserError } from '../errors';
import { createSumBuffers, exportSums, type GradientSums, type SumsShape } from './accumulator';
import { ChunkSweep, type Chunk, type SweepHooks, type SweepStats, type TargetState } from './chunk-sweep';
import { buildTokenIndex, type ClassSpec } from './class-index';
import type { GemmEngine } from './gemm-engine';
import { jsKernels, type TangentKernels } from './tangent-step';

export interface SweepJob {
  weights: RnnLmWeights;
  /** tokens of this job's streams, [streams, length] row-major */
  tokens: Int32Array;
  streams: number;
  length: number;
  /** global index of this job's first stream (positions in `sample` are global) */
  firstStream: number;
  target: TargetState;
  /** 1-based */
  layer: number;
  maxDelay: number;
  groups: number;
  classes: ClassSpec[];
  /** one accumulator per (class, group) instead of per class (default false; see accumulator.ts) */
  classesPerGroup?: boolean;
  words: number[];
  /** sorted global positions (stream·length + step) that start tangents; null = all */
  sample: Int32Array | null;
  /** streams swept together (memory bound) */
  chunkStreams: number;
  /** sources per GEMM block; 0/undefined = automatic */
  slotsPerBlock?: number;
}

/**
 * Refuses target c on a layer without a memory cell (GRU, RNN). Called where an analysis is
 * asked for (prepareRun, from the model's architecture) and where a sweep enters (validateJob).
 */
export function checkTargetState(target: TargetState, layer: number, cell: Cell): void {
  if (target !== 'c' || hasCellState(cell)) return;
  const label = CELL_LABELS[cell];
  const article = label.startsWith('R') ? 'an' : 'a'; // "an RNN", "a GRU"
  throw new UserError(`the state c exists only in LSTM layers; layer ${layer} is ${article} ${label}: use --state h`);
}

/** The state a sweep targets when none is asked for: the LSTM's cell state c, the only state h of the other cells. */
export function defaultTargetState(cell: Cell): TargetState {
  return hasCellState(cell) ? 'c' : 'h';
}

/**
 * The sweep's own edge (accumulateStateGradients): refuses with a message a person can act on
 * what the request asks for (delays, groups, state, layer) and tokens outside the model's
 * vocabulary (the corpus and the model are read from disk). A share's sweep then only asserts.
 */
export function validateJob(job: SweepJob): void {
  const { weights: w } = job;
  if (!Number.isInteger(job.maxDelay) || job.maxDelay < 0) throw new UserError(`max delay must be ≥ 0, got ${job.maxDelay}`);
  if (!Number.isInteger(job.groups) || job.groups < 1) throw new UserError(`groups must be ≥ 1, got ${job.groups}`);
  if (job.target !== 'c' && job.target !== 'h') throw new UserError(`state must be 'c' or 'h', got '${String(job.target)}'`);
  if (!Number.isInteger(job.layer) || job.layer < 1 || job.layer > w.layers.length) {
    throw new UserError(`layer ${job.layer} does not exist: the model has ${w.layers.length} recurrent layer(s)`);
  }
  checkTargetState(job.target, job.layer, w.layers[job.layer - 1].cell);
  if (job.tokens.length !== job.streams * job.length) throw new Error('token array does not match streams × length');
  for (let i = 0; i < job.tokens.length; i++) {
    const v = job.tokens[i];
    if (v < 0 || v >= w.vocabSize) throw new UserError(`token id ${v} is outside the model's vocabulary (0..${w.vocabSize - 1})`);
  }
}

/**
 * What a share's sweep relies on, checked cheaply (no pass over the tokens): the job was
 * validated where it entered (validateJob), so a failure here is a bug, not a user's mistake.
 */
export function assertSweepJob(job: SweepJob): void {
  const { weights: w, layer } = job;
  const fail = (what: string) => {
    throw new Error(`sweep job: ${what} (it should have been refused by validateJob)`);
  };
  if (!Number.isInteger(job.maxDelay) || job.maxDelay < 0 || !Number.isInteger(job.groups) || job.groups < 1) fail(`max delay ${job.maxDelay}, groups ${job.groups}`);
  if (!Number.isInteger(layer) || layer < 1 || layer > w.layers.length) fail(`layer ${layer} of ${w.layers.length}`);
  if (job.target !== 'h' && !(job.target === 'c' && hasCellState(w.layers[layer - 1].cell))) fail(`state ${String(job.target)} on a ${w.layers[layer - 1].cell} layer`);
  if (job.tokens.length !== job.streams * job.length) fail('token array does not match streams × length');
}

/** Sweeps the job's streams; `kernels` must work in `engine.space` (JS kernels work anywhere). */
export function runSweep(
  job: SweepJob,
  engine: GemmEngine,
  kernels: TangentKernels = jsKernels,
  hooks: SweepHooks = {},
): { sums: GradientSums; stats: SweepStats } {
  assertSweepJob(job);
  const { weights } = job;
  const sums = createSumBuffers(engine.space, jobSumsShape(job));
  const index = buildTokenIndex(weights.vocabSize, job.classes, job.words);
  const sweep = new ChunkSweep(
    weights,
    engine,
    kernels,
    { target: job.target, layer: job.layer, maxDelay: job.maxDelay, groups: job.groups, slotsPerBlock: job.slotsPerBlock },
    index,
    sums,
  );
  for (const chunk of jobChunks(job)) {
    try {
      sweep.run(chunk, hooks);
    } catch (err) {
      sweep.dispose();
      exportSums(engine.space, sums);
      throw err;
    }
  }
  sweep.dispose();
  return { sums: exportSums(engine.space, sums), stats: { ...sweep.stats } };
}

/** The accumulators of a job in the sweep's [E, H] block layout. */
export function jobSumsShape(job: SweepJob): SumsShape {
  return {
    rows: job.weights.embeddingDim,
    cols: job.weights.layers[job.layer - 1].units,
    maxDelay: job.maxDelay,
    groups: job.groups,
    classes: job.classes.length,
    classGroups: job.classesPerGroup ? job.groups : 1,
    words: job.words.length,
  };
}

/** The job's streams in chunks of at most `chunkStreams`, each with its sample mask (positions in `sample` are global). */
export function* jobChunks(job: SweepJob): Generator<Chunk> {
  const { streams, length: T } = job;
  const S = Math.max(1, Math.floor(job.chunkStreams));
  for (let b0 = 0; b0 < streams; b0 += S) {
    const b1 = Math.min(streams, b0 + S);
    let mask: Uint8Array | null = null;
    if (job.sample) {
      mask = new Uint8Array((b1 - b0) * T);
      const lo = (job.firstStream + b0) * T;
      const hi = (job.firstStream + b1) * T;
      for (const p of job.sample) if (p >= lo && p < hi) mask[p - lo] = 1;
    }
    yield { tokens: job.tokens.subarray(b0 * T, b1 * T), streams: b1 - b0, length: T, sampleMask: mask };
  }
}
