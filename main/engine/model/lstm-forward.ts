// The forward pass of the language model over the model's own weight tensors:
// embedding lookup → LSTM layers → dropout → Dense → softmax cross-entropy. Training
// differentiates it with tf.variableGrads; evaluation runs it without a tape. Windows are
// time-major: row t·B + b holds stream b at step t. The carried state is kept in plain
// arrays, so it leaves the gradient tape at every window boundary by construction.
import * as tf from '@tensorflow/tfjs';
import type { RecurrentActivation } from './rnn-weights';
import type { Rng } from './seeded-random';
import { dropoutMask } from './seeded-random';
import { embeddingLookup } from './embedding-lookup';
import { lstmLayer } from './lstm-layer-op';
import { logitsOf, softmaxCrossEntropy } from './softmax-xent';

/** Weight tensors (variables while training, constants when evaluating). */
export interface LmTensors {
  embedding: tf.Tensor; // [V, E]
  layers: { kernel: tf.Tensor; recurrentKernel: tf.Tensor; bias: tf.Tensor; recurrentActivation: RecurrentActivation }[];
  outputKernel: tf.Tensor; // [H, V]
  outputBias: tf.Tensor; // [V]
}

/** Per-layer hidden and cell state, each [B·H] row-major. */
export interface LstmState {
  h: Float32Array[];
  c: Float32Array[];
}

/** One truncated-BPTT window, time-major: inputs[t·B + b] predicts targets[t·B + b]. */
export interface Window {
  inputs: Int32Array;
  targets: Int32Array;
  steps: number;
  batch: number;
}

export interface DropoutSpec {
  rng: Rng;
  /** On the embedding output. */
  embedding: number;
  /** On every LSTM layer's output. */
  output: number;
}

function applyDropout(x: tf.Tensor, rate: number, drop: DropoutSpec | null): tf.Tensor {
  if (!drop || rate <= 0) return x;
  return tf.mul(x, tf.tensor(dropoutMask(drop.rng, x.size, rate), x.shape));
}

export function zeroState(p: LmTensors, batch: number): LstmState {
  const sizes = p.layers.map((l) => batch * (l.recurrentKernel.shape[0] as number));
  return { h: sizes.map((n) => new Float32Array(n)), c: sizes.map((n) => new Float32Array(n)) };
}

/** The top LSTM layer's outputs [T·B, H] (after output dropout) and the state after the window. */
export function windowHidden(
  p: LmTensors,
  w: Window,
  state: LstmState,
  drop: DropoutSpec | null,
): { hidden: tf.Tensor2D; state: LstmState } {
  let x: tf.Tensor = applyDropout(embeddingLookup(p.embedding, w.inputs), drop?.embedding ?? 0, drop);
  const next: LstmState = { h: [], c: [] };
  p.layers.forEach((layer, l) => {
    const run = lstmLayer(
      x,
      layer.kernel,
      layer.recurrentKernel,
      layer.bias,
      state.h[l],
      state.c[l],
      w.steps,
      w.batch,
      layer.recurrentActivation,
    );
    next.h.push(run.h);
    next.c.push(run.c);
    x = applyDropout(run.out, drop?.output ?? 0, drop);
  });
  return { hidden: x as tf.Tensor2D, state: next };
}

/** Mean cross-entropy over the window's predictions, and the state after it. */
export function windowLoss(
  p: LmTensors,
  w: Window,
  state: LstmState,
  drop: DropoutSpec | null,
): { loss: tf.Scalar; state: LstmState } {
  const { hidden, state: next } = windowHidden(p, w, state, drop);
  return { loss: softmaxCrossEntropy(hidden, p.outputKernel, p.outputBias, w.targets), state: next };
}

/** Logits [T·B, V] of a window (dropout off); for tests and tools. */
export function windowLogits(p: LmTensors, w: Window, state: LstmState): { logits: tf.Tensor2D; state: LstmState } {
  const { hidden, state: next } = windowHidden(p, w, state, null);
  return { logits: logitsOf(hidden, p.outputKernel, p.outputBias), state: next };
}
