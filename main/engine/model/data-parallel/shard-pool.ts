// The leader's side of data-parallel training: starts one `train-shard` worker per share of
// the streams and issues commands through shared memory (shard-protocol.ts). The workers
// also make the update, each on its slice of the flat weights (flat-update.ts): the leader
// only adds up their losses and norms. Gradients are summed in worker order, so the same
// seed and worker count give the same weights bit for bit.
import type * as tf from '@tensorflow/tfjs';
import type { Architecture } from '../../../../shared/schemas/model';
import { CancelToken } from '../../cancel-token';
import { runInWorker } from '../../jobs/run-in-worker';
import { modelTasks } from '../tasks';
import type { BackendPreference } from '../backend';
import type { Batched } from '../batchify';
import type { InitOptions } from '../rnn-lm';
import type { OptimizerSpec } from '../optimizer';
import { assignVariables, flatLayout, writeVariables, type FlatLayout } from './flat-parameters';
import { flatViews } from './flat-update';
import {
  COMMAND,
  CONTROL,
  RESULT,
  RESULT_FIELDS,
  UPDATE,
  shardBuffers,
  stepTotals,
  type ShardBuffers,
  type TrainShardParams,
  type TrainShardSummary,
} from './shard-protocol';
import { streamShares, streamsOf, type StreamShare } from './stream-shares';

export interface ShardPoolOptions {
  workers: number;
  backend: BackendPreference;
  arch: Architecture;
  init: InitOptions;
  /** The leader's variables: their order and shapes fix the flat layout, their values the workers' first weights. */
  variables: readonly tf.Variable[];
  train: Batched | null;
  valid: Batched | null;
  bptt: number;
  dropout: { seed: number; embedding: number; output: number };
  /** The update the workers make after each step; absent for a pool that only evaluates. */
  optimizer?: OptimizerSpec;
}

export interface PoolStep {
  /** Mean cross-entropy per predicted token of the window over all streams. */
  loss: number;
  /** False when any worker's loss or gradients were not finite: then no update was made. */
  finite: boolean;
  /** Global norm of the summed gradients before clipping (NaN when not finite). */
  gradNorm: number;
  /** The summed gradients before clipping, flat (when finite; valid until the next step). */
  gradients: Float32Array;
}

export interface PoolUpdate {
  learningRate: number;
  /** Global-norm clipping threshold (0: none). */
  clipNorm: number;
}

/** The dropout seed of worker w: its own generator, derived from the run's. */
export function workerDropoutSeed(seed: number, worker: number): number {
  return (seed + Math.imul(worker + 1, 0x9e3779b9)) >>> 0;
}

export class ShardPool {
  readonly layout: FlatLayout;
  readonly workers: number;
  private readonly buffers: ShardBuffers;
  private readonly control: Int32Array;
  private readonly done: Int32Array;
  private readonly results: Float64Array;
  private readonly update: Float64Array;
  private readonly summed: Float32Array;
  private readonly weights: Float32Array;
  private readonly optimizer: OptimizerSpec | null;
  /** Updates made: Adam's step count. */
  private updates = 0;
  private readonly running: Promise<TrainShardSummary>[];
  private readonly failure: Promise<never>;
  /** Stops the workers outright when they do not go on COMMAND.stop (close()). */
  private readonly stopWorkers = CancelToken.create();
  private sequence = 0;
  private closed = false;
  /** Set once a worker has ended unasked: the waits stop polling. */
  private broken = false;

  constructor(opts: ShardPoolOptions) {
    this.layout = flatLayout(opts.variables);
    const trainShares = opts.train ? streamShares(opts.train.batch, opts.workers) : [];
    const validShares = opts.valid ? streamShares(opts.valid.batch, opts.workers) : [];
    this.workers = Math.max(trainShares.length, validShares.length);
    this.optimizer = opts.optimizer ?? null;
    this.buffers = shardBuffers(this.workers, this.layout.size, this.optimizer);
    this.control = new Int32Array(this.buffers.control);
    this.done = new Int32Array(this.buffers.done);
    this.results = new Float64Array(this.buffers.results);
    this.update = new Float64Array(this.buffers.update);
    const flat = flatViews(this.buffers.flat);
    this.summed = flat.slots.subarray(0, this.layout.size);
    this.weights = flat.weights;
    writeVariables(opts.variables, this.layout, this.weights);
    const share = (b: Batched | null, shares: StreamShare[], w: number) => (b && shares[w] ? streamsOf(b, shares[w]) : null);
    this.running = Array.from({ length: this.workers }, (_, w) => {
      const params: TrainShardParams = {
        index: w,
        workers: this.workers,
        optimizer: this.optimizer,
        backend: opts.backend,
        arch: opts.arch,
        init: opts.init,
        layout: this.layout,
        train: share(opts.train, trainShares, w),
        trainStreams: opts.train?.batch ?? 0,
        valid: share(opts.valid, validShares, w),
        bptt: opts.bptt,
        dropout: { ...opts.dropout, seed: workerDropoutSeed(opts.dropout.seed, w) },
        buffers: this.buffers,
      };
      return runInWorker(modelTasks.trainShard, params, { cancel: this.stopWorkers });
    });
    // The first worker to fail fails every wait; the others are then stopped by close().
    this.failure = Promise.race(this.running).then(() => {
      throw new Error('a training worker stopped before it was told to');
    });
    this.failure.catch(() => {
      this.broken = true;
    });
  }

  /** Sets the variables to the current weights (the workers update them; the leader's copies are not kept up to date). */
  readWeights(variables: readonly tf.Variable[]): void {
    assignVariables(variables, this.layout, this.weights);
  }

  /**
   * One training step on window k of every worker's streams (k = 0 restarts them from the
   * zero state) and the update from their summed gradients, made by the workers.
   */
  async step(k: number, update: PoolUpdate): Promise<PoolStep> {
    if (!this.optimizer) throw new Error('this worker pool was started without an optimizer: it only evaluates');
    Atomics.store(this.control, CONTROL.window, k);
    this.update[UPDATE.learningRate] = update.learningRate;
    this.update[UPDATE.clipNorm] = update.clipNorm;
    this.update[UPDATE.t] = this.updates + 1;
    await this.command(COMMAND.step, () => false);
    const totals = stepTotals(this.results, this.workers);
    if (totals.finite) {
      this.updates++;
      // The workers load the new weights before their next command.
      Atomics.add(this.control, CONTROL.weightsVersion, 1);
    }
    return {
      loss: totals.lossSum / totals.rows,
      finite: totals.finite,
      gradNorm: totals.finite ? totals.norm : NaN,
      gradients: this.summed,
    };
  }

  /**
   * Summed cross-entropy over every worker's validation streams; null when cancelled.
   * onWindows gets the validation windows the workers have finished, while they run.
   */
  async evaluate(isCancelled: () => boolean, onWindows?: (done: number) => void): Promise<{ nllSum: number; predicted: number } | null> {
    Atomics.store(this.control, CONTROL.cancel, 0);
    Atomics.store(this.control, CONTROL.windowsDone, 0);
    await this.command(COMMAND.evaluate, () => {
      onWindows?.(Atomics.load(this.control, CONTROL.windowsDone));
      return isCancelled();
    });
    const { lossSum, rows, ok } = stepTotals(this.results, this.workers);
    return ok ? { nllSum: lossSum, predicted: rows } : null;
  }

  /** Seconds each worker spent on the last command's forward and backward (or evaluation): the rest of a step is the update and waiting. */
  workerSeconds(): number[] {
    return Array.from({ length: this.workers }, (_, w) => this.results[w * RESULT_FIELDS + RESULT.seconds]);
  }

  /** Stops the workers (and waits for them to go); safe to call more than once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.issue(COMMAND.stop);
    const stopped = await Promise.race([
      Promise.allSettled(this.running),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 5000)),
    ]);
    if (stopped === null) this.stopWorkers.cancel();
  }

  private issue(command: number): number {
    Atomics.store(this.control, CONTROL.command, command);
    this.sequence = Atomics.add(this.control, CONTROL.sequence, 1) + 1;
    Atomics.notify(this.control, CONTROL.sequence);
    return this.sequence;
  }

  /** Issues a command and waits until every worker has done it; isCancelled is polled and raises the cancel field. */
  private async command(command: number, isCancelled: () => boolean): Promise<void> {
    if (this.closed) throw new Error('the training workers were stopped');
    const sequence = this.issue(command);
    const all = (async () => {
      for (let w = 0; w < this.workers; w++) {
        for (;;) {
          const at = Atomics.load(this.done, w);
          if (at === sequence) break;
          // After a failure the race below has already settled: stop polling rather than forever.
          if (this.broken || this.closed) return;
          const wait = Atomics.waitAsync(this.done, w, at, 200);
          if (wait.async) await wait.value;
          if (isCancelled()) Atomics.store(this.control, CONTROL.cancel, 1);
        }
      }
    })();
    await Promise.race([all, this.failure]);
  }
}
