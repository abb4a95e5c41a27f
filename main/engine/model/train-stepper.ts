// What the training loop and the training benchmark drive: a step on window k of the
// training batch and an evaluation of the validation batch, either in this thread (one
// worker, and always on the tensorflow backends, where the device takes the whole batch at
// once) or data-parallel over worker threads (data-parallel/shard-pool.ts): each worker
// takes a contiguous share of the streams; their gradients are summed in a fixed order and
// the update is made by the workers, each on a slice of the weights in shared memory (the
// leader's variables then hold the weights only after syncWeights()). The same seed and
// worker count give the same weights; another worker count gives other dropout masks (each
// worker has its own generator) and sums the gradients in another order, so the weights
// differ slightly.
import os from 'node:os';
import type { CancelToken } from '../cancel-token';
import type { Architecture, TrainConfig } from '../../../shared/schemas/model';
import type { BackendPreference } from './backend';
import { windowAt, type Batched } from './batchify';
import { zeroState, type DropoutSpec, type RnnState } from './lstm-forward';
import type { Optimizer } from './optimizer';
import { streamLoss } from './perplexity';
import type { InitOptions } from './rnn-lm';
import { mulberry32 } from '../seeded-random';
import { trainStep, type TrainableTensors } from './train-step';
import { ShardPool } from './data-parallel/shard-pool';

export interface StepOutcome {
  /** Mean cross-entropy per predicted token of the window (nats), before the update. */
  loss: number;
  /** Global gradient norm before clipping (NaN when the loss was not finite and nothing was applied). */
  gradNorm: number;
}

export interface TrainStepper {
  /** Worker threads computing gradients; 1 means this thread. */
  readonly workers: number;
  /** One update from window k of the training batch; window 0 starts the streams from the zero state. */
  step(k: number, learningRate: number): Promise<StepOutcome>;
  /** Summed cross-entropy over the validation batch (dropout off, state carried); null when cancelled. */
  evaluate(cancel: CancelToken): Promise<{ nllSum: number; predicted: number } | null>;
  /**
   * Makes the training model's variables hold the current weights; call it before reading
   * them (saving, evaluating in this thread). Data-parallel steps update the workers' shared
   * weights only, so without it the variables are stale.
   */
  syncWeights(): void;
  close(): Promise<void>;
}

export interface StepperOptions {
  params: TrainableTensors;
  optimizer: Optimizer;
  config: Pick<TrainConfig, 'bptt' | 'clipNorm' | 'dropout' | 'embeddingDropout' | 'seed'>;
  arch: Architecture;
  init: InitOptions;
  train: Batched | null;
  valid: Batched | null;
  /** Backend the workers select: the one this thread runs. */
  backend: BackendPreference;
  workers: number;
}

/** The dropout generator's seed of single-thread training (kept from before data parallelism, so its results are unchanged). */
export function dropoutSeed(seed: number): number {
  return seed ^ 0x5bd1e995;
}

/**
 * Workers for data-parallel training: `asked` (null: every core), at most one per stream,
 * and 1 on the tensorflow backends (the device takes the whole batch in one thread).
 */
export function trainingWorkers(asked: number | null, backendName: string, streams: number): number {
  if (backendName.startsWith('tensorflow')) return 1;
  return Math.max(1, Math.min(asked ?? os.availableParallelism(), streams));
}

export function createStepper(o: StepperOptions): TrainStepper {
  return o.workers > 1 ? poolStepper(o) : localStepper(o);
}

function localStepper(o: StepperOptions): TrainStepper {
  const { params, optimizer, config } = o;
  const drop: DropoutSpec = { rng: mulberry32(dropoutSeed(config.seed)), embedding: config.embeddingDropout, output: config.dropout };
  let state: RnnState | null = null;
  return {
    workers: 1,
    async step(k, learningRate) {
      const train = o.train;
      if (!train) throw new Error('no training batch');
      if (k === 0 || state === null) state = zeroState(params, train.batch);
      const r = trainStep(params, optimizer, windowAt(train, config.bptt, k), state, drop, learningRate, config.clipNorm);
      state = r.state;
      return { loss: r.loss, gradNorm: r.gradNorm };
    },
    async evaluate(cancel) {
      if (!o.valid) return { nllSum: 0, predicted: 0 };
      try {
        return streamLoss(params, o.valid, config.bptt, () => cancel.cancelled);
      } catch (err) {
        if (cancel.cancelled) return null;
        throw err;
      }
    },
    syncWeights() {}, // the variables are updated in place
    async close() {},
  };
}

function poolStepper(o: StepperOptions): TrainStepper {
  const { params, optimizer, config } = o;
  const pool = new ShardPool({
    workers: o.workers,
    backend: o.backend,
    arch: o.arch,
    init: o.init,
    variables: params.variables,
    train: o.train,
    valid: o.valid,
    bptt: config.bptt,
    dropout: { seed: dropoutSeed(config.seed), embedding: config.embeddingDropout, output: config.dropout },
    optimizer: optimizer.spec,
  });
  return {
    workers: pool.workers,
    async step(k, learningRate) {
      const r = await pool.step(k, { learningRate, clipNorm: config.clipNorm });
      // A finite loss with gradients that are not is reported as NaN: the loop stops on it.
      if (!r.finite) return { loss: Number.isFinite(r.loss) ? NaN : r.loss, gradNorm: NaN };
      return { loss: r.loss, gradNorm: r.gradNorm };
    },
    evaluate: (cancel) => pool.evaluate(() => cancel.cancelled),
    syncWeights: () => pool.readWeights(params.variables),
    close: () => pool.close(),
  };
}
