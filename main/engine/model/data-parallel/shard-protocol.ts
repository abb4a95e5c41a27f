// How the leader of data-parallel training and its workers talk: through shared memory,
// not messages, so a step costs no copies beyond the gradients and weights themselves.
//   control  Int32Array: [sequence, command, window, weights version, cancel, windows
//            evaluated]; the leader writes the fields, then bumps the sequence and
//            notifies; the workers count the validation windows they finish (progress).
//   done     Int32Array [W]: the last sequence worker w finished; it notifies on it.
//   results  Float64Array [W × RESULT_FIELDS]: per worker its summed loss, its row count,
//            1 when its gradients are finite (0: not finite, or evaluation stopped), and
//            the seconds the command took it (how evenly the work is shared).
//   gradients Float32Array [W × P]: each worker's gradients (flat-parameters.ts layout).
//   weights  Float32Array [P]: the weights after the leader's last update.
import type { Architecture } from '../../../../shared/schemas/model';
import type { BackendPreference } from '../backend';
import type { Batched } from '../batchify';
import type { InitOptions } from '../rnn-lm';
import type { FlatLayout } from './flat-parameters';

export const CONTROL = { sequence: 0, command: 1, window: 2, weightsVersion: 3, cancel: 4, windowsDone: 5 } as const;
export const CONTROL_FIELDS = 6;
export const COMMAND = { step: 1, evaluate: 2, stop: 3 } as const;
export const RESULT = { lossSum: 0, rows: 1, ok: 2, seconds: 3 } as const;
export const RESULT_FIELDS = 4;

export interface ShardBuffers {
  control: SharedArrayBuffer;
  done: SharedArrayBuffer;
  results: SharedArrayBuffer;
  gradients: SharedArrayBuffer;
  weights: SharedArrayBuffer;
}

export function shardBuffers(workers: number, parameters: number): ShardBuffers {
  return {
    control: new SharedArrayBuffer(CONTROL_FIELDS * 4),
    done: new SharedArrayBuffer(workers * 4),
    results: new SharedArrayBuffer(workers * RESULT_FIELDS * 8),
    gradients: new SharedArrayBuffer(workers * parameters * 4),
    weights: new SharedArrayBuffer(parameters * 4),
  };
}

/** Parameters of the `train-shard` worker task. */
export interface TrainShardParams {
  /** This worker's index w, 0-based. */
  index: number;
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
