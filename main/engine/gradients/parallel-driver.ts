// accumulateStateGradients: the public entry of the accumulation. Lays the tokens out in
// streams (DESIGN §3), divides the streams into contiguous shares, sweeps each share in its
// own worker thread (one tfjs backend each), and merges the partial SUMS exactly.
import os from 'node:os';
import type { RnnLmWeights } from '../model/rnn-weights';
import { hasCellState } from '../model/rnn-weights';
import type { BackendPreference } from '../model/backend';
import { JobCancelledError, UserError } from '../errors';
import { CancelToken } from '../cancel-token';
import { inProcessContext } from '../jobs/task-context';
import { runInWorker } from '../jobs/run-in-worker';
import { countProgress } from '../jobs/eta';
import type { PhaseProgress } from '../../../shared/schemas/progress';
import { gradientsTasks } from './tasks';
import { classTotals, mergeSums, totalOverGroups, type GradientSums } from './accumulator';
import type { TargetState } from './chunk-sweep';
import type { ClassSpec } from './class-index';
import { gradientsTask, type GradientsTaskParams, type GradientsTaskProgress, type GradientsTaskResult } from './gradients-task';
import { validateJob, type SweepJob } from './run-sweep';
import { layoutStreams, samplePositions, shardRange, splitRange, type ShardSpec } from './stream-layout';
import type { SweepPathChoice } from './tensor-path/sweep-path';
import { runTensorShare, sweepPathRecord, type SweepPathRecord } from './tensor-path/tensor-share';

export interface StateGradientOptions {
  /** target state, default 'c' (the cell state, as in the paper) */
  state?: TargetState;
  /** 1-based recurrent layer, default the last */
  layer?: number;
  /** largest delay D, default 30 */
  maxDelay?: number;
  /** number of streams B, default 20 */
  streams?: number;
  /** analyse only the first N tokens */
  maxTokens?: number;
  /** quick estimate: only N uniformly sampled source positions start tangents */
  sample?: number;
  /** seed of the sample, default 1 */
  seed?: number;
  /** classes by source word: name → token ids (a token may be in several classes) */
  classes?: Record<string, Iterable<number>> | ClassSpec[];
  /** up to MAX_WORDS (shared/schemas/run.ts) token ids with their own accumulators */
  words?: number[];
  /** uncertainty groups K (time windows of every stream), default 10 */
  groups?: number;
  /**
   * bytes per worker that the accumulators may take when classes are kept per group (for
   * class standard errors), default CLASS_GROUP_BUDGET; above it classes are kept per class only
   */
  classGroupBudget?: number;
  /**
   * tfjs backend of each worker, default 'wasm': the fused SIMD kernels work in the wasm
   * heap; any other backend runs the GEMM there and the plain-JS kernels (much slower)
   */
  backend?: BackendPreference;
  /** streams swept together per worker; default from a memory budget */
  chunkStreams?: number;
  /** sources per GEMM block; default from the sizes */
  slotsPerBlock?: number;
  /** 'js' forces the reference loops (tests) */
  engine?: 'auto' | 'js';
  /** the sweep path and why (tensor-path/sweep-path.ts); default the kernel path on `backend` */
  sweepPath?: SweepPathChoice;
  /** tensor path: device memory in MiB to plan the chunk of streams for (default: nvidia-smi or a default) */
  deviceMemoryMB?: number;
  /**
   * sweep only this shard of the streams (shardRange): the layout, the sample and the groups are
   * those of the whole sweep, so the shards' sums add up to the whole sweep's
   */
  shard?: ShardSpec;
}

/** The accumulate phase of a sweep, as the job reports it (label: positions done and the rate). */
export type GradientProgress = PhaseProgress<'accumulate'>;

export interface RunControl {
  onProgress?: (p: GradientProgress) => void;
  /** the job's token: its flags go to every share's worker as they are */
  cancel?: CancelToken;
  /** worker threads, default all cores; 0 runs in the calling thread (tests, tiny jobs) */
  workers?: number;
}

export interface GradientBlockSums {
  /** [D+1, H, E] float64 sums of J over the counted pairs */
  sum: Float64Array;
  /** [D+1] number of (source, step) pairs */
  count: Float64Array;
}

export interface StateGradientResult extends GradientBlockSums {
  state: TargetState;
  layer: number;
  maxDelay: number;
  hiddenSize: number;
  inputSize: number;
  streams: number;
  length: number;
  /** [streams, length]: the tokens of the whole sweep's layout (a shard analyses the rows of its stream range) */
  tokens: Int32Array;
  /** the shard swept, or null for the whole sweep; its streams are [firstStream, firstStream + streams) */
  shard: (ShardSpec & { firstStream: number; streams: number }) | null;
  /** the raw partial sums everything above is read from ([H, E] blocks): what a partial run saves */
  sums: GradientSums;
  /** number of sampled source positions (of the shard, when sharded), or null for the full sweep */
  sampled: number | null;
  seed: number | null;
  groups: number;
  /** [groups, D+1, H, E] and [groups, D+1]; group k = steps [k·T/K, (k+1)·T/K) of every stream */
  groupSum: Float64Array;
  groupCount: Float64Array;
  /** whether classes were accumulated per (class, group): then each class has its group sums */
  classesPerGroup: boolean;
  /**
   * per class: totals [D+1, H, E] and [D+1]; with classesPerGroup also its sums over the
   * sources of each group, [groups, D+1, H, E] and [groups, D+1] (the totals are their sums)
   */
  classes: ({ name: string; groupSum: Float64Array | null; groupCount: Float64Array | null } & GradientBlockSums)[];
  words: ({ tokenId: number } & GradientBlockSums)[];
  /** nominal flops, 2·E·(G·H_m)·K_m per (source, step) and layer with G gate blocks (DESIGN §4's count for the LSTM's G = 4) */
  flops: number;
  /** flops the folded GEMMs actually executed (LSTM: about half of `flops`; GRU a third; RNN all) */
  gemmFlops: number;
  /** nominal flops / computeSeconds */
  gflops: number;
  /** sweep time of the slowest worker (excludes thread and backend start-up) */
  computeSeconds: number;
  /** sweep time of each worker, in share order (equal shares finish apart when the cores run at different speeds) */
  workerSeconds: number[];
  /** CPU time the sweeps got, summed over workers (Linux; null elsewhere): on a shared machine flops/cpuSeconds is the per-core speed */
  cpuSeconds: number | null;
  wallSeconds: number;
  workers: number;
  backend: string;
  engine: string;
  kernels: string;
  /** tangent values flushed to zero because |v| < 1e-30 (denormal guard) */
  flushedValues: number;
  /** (source, step) pairs accumulated */
  pairs: number;
  /** what the run should say about how it was accumulated (e.g. class SEs left out for memory) */
  warnings: string[];
  /** the sweep path that ran, why, and (tensor path) the device memory and chunk it chose; absent for a merge of shards */
  sweep?: SweepPathRecord;
}

/** Memory the sweep of one stream needs (the LSTM layers' dc ring + two generations of GEMM inputs), bytes. */
function bytesPerStream(w: RnnLmWeights, layer: number, maxDelay: number): number {
  let perRow = 0;
  for (let m = 0; m < layer; m++) {
    const l = w.layers[m];
    perRow += (hasCellState(l.cell) ? l.units : 0) + 2 * (m === 0 ? l.units : l.inputSize + l.units);
  }
  return (maxDelay + 1) * w.embeddingDim * perRow * 4;
}

const STREAM_MEMORY_BUDGET = 256 * 1024 * 1024;
/**
 * Streams swept together are chosen so their tangents fit in about this much memory, the
 * size of a last-level cache: the steps of a chunk then reuse the tangents from the cache,
 * and two workers do not evict each other's. Measured at H = E = 200: with a share's 10
 * streams in one 150 MB chunk, two workers used 12–14 % more CPU time for the same work than
 * one; with 2-stream chunks, 2–11 % in single pairs, and none over the three pairs of
 * `npm run bench -- gradients --sizes=200`. At most STREAM_MEMORY_BUDGET either way.
 */
const CHUNK_CACHE_BYTES = 32 * 1024 * 1024;
/** float64 accumulators per worker; beyond this a 32-bit wasm heap (4 GB) gets tight */
const ACCUMULATOR_LIMIT = 1.5 * 1024 ** 3;
/**
 * Classes are accumulated per (class, group), for standard errors of the class spectra, when
 * all of a worker's accumulators then take at most this many bytes: (groups + classes × groups
 * + words) × (D+1) × H × E float64. Beyond it they are accumulated per class only (as fits
 * ACCUMULATOR_LIMIT), the class SEs are left out and the run says so. With the tangents
 * (≤ STREAM_MEMORY_BUDGET) this keeps a worker well inside its 4 GB wasm heap.
 */
export const CLASS_GROUP_BUDGET = 2 * 1024 ** 3;

const gib = (bytes: number) => (bytes / 1024 ** 3).toFixed(bytes < 1024 ** 3 / 10 ? 3 : 1);

function classSpecs(classes: StateGradientOptions['classes']): ClassSpec[] {
  if (!classes) return [];
  if (Array.isArray(classes)) return classes.map((c) => ({ name: c.name, tokenIds: Int32Array.from(c.tokenIds) }));
  return Object.entries(classes).map(([name, ids]) => ({ name, tokenIds: Int32Array.from(ids) }));
}

export async function accumulateStateGradients(
  weights: RnnLmWeights,
  tokens: ArrayLike<number>,
  options: StateGradientOptions = {},
  control: RunControl = {},
): Promise<StateGradientResult> {
  const started = performance.now();
  const layer = options.layer ?? weights.layers.length;
  const maxDelay = options.maxDelay ?? 30;
  const groups = options.groups ?? 10;
  const words = options.words ?? [];
  const layout = layoutStreams(tokens, options.streams ?? 20, options.maxTokens);
  const { streams: B, length: T } = layout;
  const seed = options.sample !== undefined ? (options.seed ?? 1) : null;
  // The sample is drawn over the whole sweep, then a shard keeps the positions in its streams.
  const sample = options.sample !== undefined ? samplePositions(B * T, options.sample, seed ?? 1) : null;
  const [s0, s1] = options.shard ? shardRange(B, options.shard) : [0, B];
  const classes = classSpecs(options.classes);
  const base: SweepJob = {
    weights,
    tokens: layout.tokens,
    streams: B,
    length: T,
    firstStream: 0,
    target: options.state ?? 'c',
    layer,
    maxDelay,
    groups,
    classes,
    words,
    sample,
    chunkStreams: 1,
    slotsPerBlock: options.slotsPerBlock,
  };
  validateJob(base);
  const H = weights.layers[layer - 1].units;
  const blockBytes = (maxDelay + 1) * H * weights.embeddingDim * 8;
  const accBytes = (groups + classes.length + words.length) * blockBytes;
  const warnings: string[] = [];
  const classGroupBytes = (groups + classes.length * groups + words.length) * blockBytes;
  const classGroupBudget = options.classGroupBudget ?? CLASS_GROUP_BUDGET;
  const classesPerGroup = classes.length > 0 && groups >= 2 && classGroupBytes <= classGroupBudget;
  if (classes.length > 0 && groups >= 2 && !classesPerGroup) {
    warnings.push(
      `class standard errors not computed: accumulating the ${classes.length} classes per group (${groups} groups) ` +
        `would need ${gib(classGroupBytes)} GiB per worker, over the budget of ${gib(classGroupBudget)} GiB; ` +
        'the class spectra come from per-class sums (use fewer classes, groups or delays for class SEs)',
    );
  }
  base.classesPerGroup = classesPerGroup;
  if (accBytes > ACCUMULATOR_LIMIT) {
    throw new UserError(
      `the accumulators would need ${(accBytes / 1e9).toFixed(1)} GB per worker ((groups + classes + words) × ` +
        `(max delay + 1) × H × E float64); use fewer groups, classes, words or delays`,
    );
  }
  const chunkStreams =
    options.chunkStreams ?? Math.max(1, Math.floor(Math.min(CHUNK_CACHE_BYTES, STREAM_MEMORY_BUDGET) / bytesPerStream(weights, layer, maxDelay)));
  const nWorkers = control.workers ?? os.availableParallelism();
  // the tensor path sweeps every stream in the one worker that owns the device
  const tensor = options.sweepPath?.path === 'tensor';
  const shares = splitRange(s1 - s0, tensor ? 1 : Math.max(1, nWorkers)).map(([a, b]) => [s0 + a, s0 + b]);
  const jobs: GradientsTaskParams[] = shares.map(([b0, b1]) => ({
    job: {
      ...base,
      tokens: layout.tokens.slice(b0 * T, b1 * T),
      streams: b1 - b0,
      firstStream: b0,
      sample: sample ? sample.filter((p) => p >= b0 * T && p < b1 * T) : null,
      chunkStreams,
    },
    backend: options.backend ?? options.sweepPath?.backend ?? 'wasm',
    engine: options.engine ?? 'auto',
  }));

  // progress over all shares
  const done = new Array<number>(jobs.length).fill(0);
  const total = (s1 - s0) * T;
  const report = (i: number, p: GradientsTaskProgress) => {
    done[i] = p.positions;
    if (!control.onProgress) return;
    const positionsDone = done.reduce((a, b) => a + b, 0);
    control.onProgress(
      countProgress('accumulate', positionsDone, total, (performance.now() - started) / 1000, (rate) =>
        `accumulating: ${positionsDone}/${total} positions, ${rate >= 100 ? Math.round(rate) : rate.toFixed(1)}/s`,
      ),
    );
  };

  let results: GradientsTaskResult[];
  if (tensor) {
    const { job, backend } = jobs[0];
    results = [await runTensorShare({ job, backend, deviceMemoryMB: options.deviceMemoryMB }, (p) => report(0, p), nWorkers, control.cancel)];
  } else if (nWorkers === 0) {
    results = [];
    for (let i = 0; i < jobs.length; i++) {
      control.cancel?.throwIfCancelled();
      results.push(await gradientsTask(jobs[i], inProcessContext((p) => report(i, p), control.cancel)));
    }
  } else {
    results = await runShares(jobs, report, control.cancel ?? CancelToken.create());
  }

  // exact merge of partial sums (already in [H, E] layout), in share order
  const sums = results[0].sums;
  for (let i = 1; i < results.length; i++) mergeSums(sums, results[i].sums);
  const stats = results.map((r) => r.stats);
  const computeSeconds = Math.max(...results.map((r) => r.seconds));
  const result = resultFromSums(
    sums,
    {
      state: base.target,
      layer,
      streams: B,
      length: T,
      tokens: layout.tokens,
      shard: options.shard ? { ...options.shard, firstStream: s0, streams: s1 - s0 } : null,
      sampled: sample ? sample.filter((p) => p >= s0 * T && p < s1 * T).length : null,
      seed,
      classNames: classes.map((c) => c.name),
      words,
      warnings,
    },
    {
      flops: stats.reduce((a, s) => a + s.flops, 0),
      gemmFlops: stats.reduce((a, s) => a + s.gemmFlops, 0),
      computeSeconds,
      workerSeconds: results.map((r) => r.seconds),
      cpuSeconds: results.every((r) => r.cpuSeconds !== null) ? results.reduce((a, r) => a + (r.cpuSeconds ?? 0), 0) : null,
      wallSeconds: (performance.now() - started) / 1000,
      workers: nWorkers === 0 ? 0 : jobs.length,
      backend: results[0].backend,
      engine: results[0].engine,
      kernels: results[0].kernels,
      flushedValues: stats.reduce((a, s) => a + s.flushed, 0),
      pairs: stats.reduce((a, s) => a + s.pairs, 0),
    },
  );
  return { ...result, sweep: sweepPathRecord(options.sweepPath, results[0]) };
}

/** What a result says about how its sums were computed (summed over shards by a merge). */
export type AccumulationStats = Pick<
  StateGradientResult,
  | 'flops'
  | 'gemmFlops'
  | 'computeSeconds'
  | 'workerSeconds'
  | 'cpuSeconds'
  | 'wallSeconds'
  | 'workers'
  | 'backend'
  | 'engine'
  | 'kernels'
  | 'flushedValues'
  | 'pairs'
>;

/** What a result says about the sweep besides its sums and stats. */
export type AccumulationMeta = Pick<StateGradientResult, 'state' | 'layer' | 'streams' | 'length' | 'tokens' | 'shard' | 'sampled' | 'seed' | 'warnings'> & {
  classNames: string[];
  words: number[];
};

/**
 * The result of an accumulation from its merged partial sums ([H, E] blocks): the totals over
 * the groups and the class totals in a fixed order. The sweep and the merge of shards
 * (runs/merge-runs.ts) both end here, so both give the same arrays from the same sums.
 */
export function resultFromSums(sums: GradientSums, meta: AccumulationMeta, stats: AccumulationStats): StateGradientResult {
  const { sum, count } = totalOverGroups(sums);
  const cls = classTotals(sums);
  const nd = sums.maxDelay + 1;
  const blockLen = nd * sums.rows * sums.cols;
  const cg = sums.classGroups;
  const classesPerGroup = sums.classes > 0 && cg === sums.groups && cg > 1;
  const { classNames, words, ...rest } = meta;
  return {
    ...rest,
    maxDelay: sums.maxDelay,
    hiddenSize: sums.rows,
    inputSize: sums.cols,
    groups: sums.groups,
    sums,
    sum,
    count,
    groupSum: sums.group,
    groupCount: sums.groupCount,
    classesPerGroup,
    classes: classNames.map((name, i) => ({
      name,
      sum: cls.sum.subarray(i * blockLen, (i + 1) * blockLen),
      count: cls.count.subarray(i * nd, (i + 1) * nd),
      groupSum: classesPerGroup ? sums.cls.subarray(i * cg * blockLen, (i + 1) * cg * blockLen) : null,
      groupCount: classesPerGroup ? sums.clsCount.subarray(i * cg * nd, (i + 1) * cg * nd) : null,
    })),
    words: words.map((tokenId, i) => ({
      tokenId,
      sum: sums.word.slice(i * blockLen, (i + 1) * blockLen),
      count: sums.wordCount.slice(i * nd, (i + 1) * nd),
    })),
    ...stats,
    gflops: stats.computeSeconds > 0 ? stats.flops / stats.computeSeconds / 1e9 : 0,
  };
}

/** Runs every share in its own worker; on the first failure the others are cancelled (a child token, so the job's stays as it is). */
async function runShares(
  jobs: GradientsTaskParams[],
  report: (i: number, p: GradientsTaskProgress) => void,
  cancel: CancelToken,
): Promise<GradientsTaskResult[]> {
  const shares = cancel.child();
  try {
    const settled = await Promise.allSettled(
      jobs.map((params, i) =>
        runInWorker(gradientsTasks.gradients, params, {
          onProgress: (p) => report(i, p),
          cancel: shares,
        }).catch((err: unknown) => {
          shares.cancel();
          throw err;
        }),
      ),
    );
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected' && !(s.reason instanceof JobCancelledError));
    if (failed) throw failed.reason;
    if (settled.some((s) => s.status === 'rejected')) throw new JobCancelledError();
    return settled.map((s) => (s as PromiseFulfilledResult<GradientsTaskResult>).value);
  } finally {
    shares.release();
  }
}

/** Ḡ_τ for every delay as float32 [D+1, H, E] (the G.npy form); delays with count 0 stay zero. */
export function meanGradients(s: GradientBlockSums, hiddenSize: number, inputSize: number): Float32Array {
  const block = hiddenSize * inputSize;
  const out = new Float32Array(s.sum.length);
  for (let d = 0; d < s.count.length; d++) {
    const n = s.count[d];
    if (n === 0) continue;
    for (let i = 0; i < block; i++) out[d * block + i] = s.sum[d * block + i] / n;
  }
  return out;
}

/** The K group sums of class `i` of a result as separate blocks; null when classes were not kept per group. */
export function classGroupBlocks(r: StateGradientResult, i: number): GradientBlockSums[] | null {
  const c = r.classes[i];
  if (!c.groupSum || !c.groupCount) return null;
  const { groupSum, groupCount } = c;
  const nd = r.maxDelay + 1;
  const len = nd * r.hiddenSize * r.inputSize;
  return Array.from({ length: r.groups }, (_, g) => ({
    sum: groupSum.subarray(g * len, (g + 1) * len),
    count: groupCount.subarray(g * nd, (g + 1) * nd),
  }));
}

/** The K group sums of a result as separate blocks (for group-mean standard errors). */
export function groupBlocks(r: StateGradientResult): GradientBlockSums[] {
  const nd = r.maxDelay + 1;
  const len = nd * r.hiddenSize * r.inputSize;
  return Array.from({ length: r.groups }, (_, g) => ({
    sum: r.groupSum.subarray(g * len, (g + 1) * len),
    count: r.groupCount.subarray(g * nd, (g + 1) * nd),
  }));
}
