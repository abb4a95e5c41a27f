// Cutting a token stream into B parallel streams and truncated-BPTT windows, the PTB
// language-modelling convention (Zaremba et al.; the TensorFlow PTB reader):
// - N tokens give B contiguous streams of L = ⌊N/B⌋ tokens; stream b is tokens
//   [b·L, (b+1)·L); the last N − B·L tokens are dropped.
// - Each stream predicts its own tokens 1..L−1 from the tokens before them, with the LSTM
//   state starting at zero at the stream's start and carried through the whole stream;
//   so B·(L−1) tokens are predicted.
// - Windows of T steps: window k feeds positions kT .. min(kT+T, L−1)−1 and predicts the
//   next token at each; the last window may be shorter. State is carried between windows
//   (and, in training, detached: gradients stop at window boundaries).
import { UserError } from '../errors';
import type { Window } from './lstm-forward';

export interface Batched {
  batch: number;
  /** Tokens per stream (L). */
  length: number;
  /** Row-major [B, L]. */
  data: Int32Array;
  dropped: number;
}

/** `what` names the stream in error messages (e.g. "the valid split"). */
export function batchify(tokens: Int32Array, batch: number, vocabSize: number, what: string): Batched {
  const length = Math.floor(tokens.length / batch);
  if (length < 2) {
    throw new UserError(
      `${what} has ${tokens.length} tokens: too few for ${batch} parallel streams (each needs at least 2 tokens); use a smaller batch size`,
    );
  }
  const used = length * batch;
  for (let i = 0; i < used; i++) {
    const id = tokens[i];
    if (!(id >= 0 && id < vocabSize)) throw new UserError(`${what}: token id ${id} at position ${i} is outside the vocabulary (size ${vocabSize})`);
  }
  return { batch, length, data: tokens.subarray(0, used), dropped: tokens.length - used };
}

export function predictedTokens(b: Batched): number {
  return b.batch * (b.length - 1);
}

export function windowCount(b: Batched, bptt: number): number {
  return Math.ceil((b.length - 1) / bptt);
}

/** Window k of T steps, time-major (row t·B + s is stream s at step t). */
export function windowAt(b: Batched, bptt: number, k: number): Window {
  const start = k * bptt;
  const steps = Math.min(bptt, b.length - 1 - start);
  const B = b.batch;
  const inputs = new Int32Array(steps * B);
  const targets = new Int32Array(steps * B);
  for (let t = 0; t < steps; t++) {
    for (let s = 0; s < B; s++) {
      const at = s * b.length + start + t;
      inputs[t * B + s] = b.data[at];
      targets[t * B + s] = b.data[at + 1];
    }
  }
  return { inputs, targets, steps, batch: B };
}

/** Predicted tokens (rows) of window k: B × its steps. */
export function windowRows(b: Batched, bptt: number, k: number): number {
  return b.batch * Math.min(bptt, b.length - 1 - k * bptt);
}
