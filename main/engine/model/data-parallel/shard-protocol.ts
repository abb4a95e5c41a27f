// How the leader of data-parallel training and its workers talk: through shared memory,
// not messages, so a step costs no copies beyond the gradients and weights themselves.
//   control  Int32Array: [sequence, command, window, weights version, cancel, windows
//            evaluated, arrivals]; the leader writes the fields, then bumps the sequence
//            and notifies; the workers count the validation windows they finish
//            (progress) and their arrivals at the barriers within a step.
//   done     Int32Array [W]: the last sequence worker w finished; it notifies on it.
//   results  Float64Array [W × RESULT_FIELDS]: per worker its summed loss, its row count,
//            1 when its gradients are finite (0: not finite, or evaluation stopped), the
//            seconds its share of the forward and backward took (how evenly the work is
//            shared), and the sum of squares of the summed gradients over its slice.
//   update   Float64Array [UPDATE_FIELDS]: the step's learning rate, clip norm and Adam
//            step count, written by the leader before it issues the step.
//   flat     a shared WebAssembly.Memory (flat-update.ts), holding each worker's gradients
//            (flat-parameters.ts layout; after a step slot 0 holds their sum), the current
//            weights, and Adam's moments.
// A step: every worker writes its gradients; barrier; each sums the slots over its slice of
// the parameters and writes the slice's sum of squares; barrier; each takes the global norm
// from all slices and updates its slice of the weights (flat-update.ts). Nothing big runs
// on the leader.
import type { Architecture } from '../../../../shared/schemas/model';
import type { BackendPreference } from '../backend';
import type { Batched } from '../batchify';
import type { InitOptions } from '../rnn-lm';
import type { OptimizerSpec } from '../optimizer';
import type { FlatLayout } from './flat-parameters';
import { flatRegions, type FlatRegions } from './flat-update';

export const CONTROL = { sequence: 0, command: 1, window: 2, weightsVersion: 3, cancel: 4, windowsDone: 5, arrivals: 6 } as const;
export const CONTROL_FIELDS = 7;
export const COMMAND = { step: 1, evaluate: 2, stop: 3 } as const;
export const RESULT = { lossSum: 0, rows: 1, ok: 2, seconds: 3, squares: 4 } as const;
export const RESULT_FIELDS = 5;
export const UPDATE = { learningRate: 0, clipNorm: 1, t: 2 } as const;
export const UPDATE_FIELDS = 3;

export interface ShardBuffers {
  control: SharedArrayBuffer;
  done: SharedArrayBuffer;
  results: SharedArrayBuffer;
  update: SharedArrayBuffer;
  flat: FlatRegions;
}

export function shardBuffers(workers: number, parameters: number, optimizer: OptimizerSpec | null): ShardBuffers {
  return {
    control: new SharedArrayBuffer(CONTROL_FIELDS * 4),
    done: new SharedArrayBuffer(workers * 4),
    results: new SharedArrayBuffer(workers * RESULT_FIELDS * 8),
    update: new SharedArrayBuffer(UPDATE_FIELDS * 8),
    flat: flatRegions(workers, parameters, optimizer),
  };
}

export interface StepTotals {
  /** Summed cross-entropy over every worker's rows. */
  lossSum: number;
  rows: number;
  /** Every worker's result was finite (a step's gradients, or an evaluation not stopped). */
  ok: boolean;
  /** ok and a finite loss: a step whose update is made. */
  finite: boolean;
  /** Global norm of the summed gradients (meaningful after a step whose results were ok). */
  norm: number;
}

/** The workers' results added up in worker order: the leader and every worker get the same numbers. */
export function stepTotals(results: Float64Array, workers: number): StepTotals {
  let lossSum = 0;
  let rows = 0;
  let ok = true;
  let squares = 0;
  for (let w = 0; w < workers; w++) {
    const at = w * RESULT_FIELDS;
    lossSum += results[at + RESULT.lossSum];
    rows += results[at + RESULT.rows];
    ok &&= results[at + RESULT.ok] === 1;
    squares += results[at + RESULT.squares];
  }
  return { lossSum, rows, ok, finite: ok && Number.isFinite(lossSum), norm: Math.sqrt(squares) };
}

/** Parameters of the `train-shard` worker task. */
export interface TrainShardParams {
  /** This worker's index w, 0-based. */
  index: number;
  /** All workers W: each updates its slice of the parameters, and the barriers wait for all of them. */
  workers: number;
  /** The update the workers make after a step; null for a pool that only evaluates. */
  optimizer: OptimizerSpec | null;
  backend: BackendPreference;
  arch: Architecture;
  init: InitOptions;
  layout: FlatLayout;
  /** This worker's training streams, or null when it only evaluates. */
  train: Batched | null;
  /** All training streams B: a worker with B_w of them scales its loss by B_w/B. */
  trainStreams: number;
  /** This worker's validation streams, or null when it has none. */
  valid: Batched | null;
  bptt: number;
  /** Dropout rates and the seed of this worker's own mask generator. */
  dropout: { seed: number; embedding: number; output: number };
  buffers: ShardBuffers;
}

export interface TrainShardSummary {
  steps: number;
  evaluations: number;
}
