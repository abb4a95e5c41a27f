// The forward pass of the language model over the model's own weight tensors:
// embedding lookup → recurrent layers (LSTM, GRU or RNN, one op per layer:
// lstm-layer-op.ts, gru-layer-op.ts, rnn-layer-op.ts) → dropout → Dense → softmax
// cross-entropy. Training
// differentiates it with tf.variableGrads; evaluation runs it without a tape. Windows are
// time-major: row t·B + b holds stream b at step t. The carried state is kept in plain
// arrays, so it leaves the gradient tape at every window boundary by construction.
import * as tf from '@tensorflow/tfjs';
import type { Cell, RecurrentActivation } from './rnn-weights';
import { hasCellState } from './rnn-weights';
import type { Rng } from '../seeded-random';
import { dropoutMask } from './dropout-mask';
import { embeddingLookup } from './embedding-lookup';
import type { LayerRun } from './recurrent-op-util';
import { lstmLayer } from './lstm-layer-op';
import { gruLayer } from './gru-layer-op';
import { rnnLayer } from './rnn-layer-op';
import { logitsOf, softmaxCrossEntropy } from './softmax-xent';

/** One recurrent layer's weight tensors; layouts per cell in rnn-weights.ts. */
export interface LayerTensors {
  cell: Cell;
  kernel: tf.Tensor; // [in, G·H]
  recurrentKernel: tf.Tensor; // [H, G·H]
  /** [G·H]; for 'gru' [2, 3H]: row 0 the input bias, row 1 the recurrent bias (Keras' reset_after layout). */
  bias: tf.Tensor;
  recurrentActivation: RecurrentActivation;
}

/** Weight tensors (variables while training, constants when evaluating). */
export interface LmTensors {
  embedding: tf.Tensor; // [V, E]
  layers: LayerTensors[];
  outputKernel: tf.Tensor; // [H, V]
  outputBias: tf.Tensor; // [V]
}

/** Per-layer hidden state and (LSTM only) cell state, each [B·H] row-major; c is empty for other cells. */
export interface RnnState {
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
  /** On every recurrent layer's output. */
  output: number;
}

function applyDropout(x: tf.Tensor, rate: number, drop: DropoutSpec | null): tf.Tensor {
  if (!drop || rate <= 0) return x;
  return tf.mul(x, tf.tensor(dropoutMask(drop.rng, x.size, rate), x.shape));
}

export function zeroState(p: LmTensors, batch: number): RnnState {
  const sizes = p.layers.map((l) => batch * (l.recurrentKernel.shape[0] as number));
  return {
    h: sizes.map((n) => new Float32Array(n)),
    c: sizes.map((n, i) => new Float32Array(hasCellState(p.layers[i].cell) ? n : 0)),
  };
}

/** One layer over a window, by cell. */
export function layerRun(layer: LayerTensors, x: tf.Tensor, h0: Float32Array, c0: Float32Array, steps: number, batch: number): LayerRun {
  const { kernel: W, recurrentKernel: U, bias: b } = layer;
  switch (layer.cell) {
    case 'lstm':
      return lstmLayer(x, W, U, b, h0, c0, steps, batch, layer.recurrentActivation);
    case 'gru':
    case 'gru-classic':
      return gruLayer(x, W, U, b, h0, steps, batch, layer.recurrentActivation, layer.cell === 'gru');
    case 'rnn-tanh':
    case 'rnn-relu':
      return rnnLayer(x, W, U, b, h0, steps, batch, layer.cell === 'rnn-tanh' ? 'tanh' : 'relu');
  }
}

/**
 * The top recurrent layer's outputs [T·B, H] and the state after the window. The output
 * dropout of every layer but the top is applied here; the top layer's mask is drawn in the
 * same order but returned (null without dropout), for the output layer to apply: on wasm it
 * skips the dropped units' products and gradients.
 */
export function windowHidden(
  p: LmTensors,
  w: Window,
  state: RnnState,
  drop: DropoutSpec | null,
): { hidden: tf.Tensor2D; mask: Float32Array | null; state: RnnState } {
  let x: tf.Tensor = applyDropout(embeddingLookup(p.embedding, w.inputs), drop?.embedding ?? 0, drop);
  const next: RnnState = { h: [], c: [] };
  const rate = drop?.output ?? 0;
  let mask: Float32Array | null = null;
  p.layers.forEach((layer, l) => {
    const run = layerRun(layer, x, state.h[l], state.c[l], w.steps, w.batch);
    next.h.push(run.h);
    next.c.push(run.c);
    if (l < p.layers.length - 1) x = applyDropout(run.out, rate, drop);
    else {
      x = run.out;
      if (drop && rate > 0) mask = dropoutMask(drop.rng, x.size, rate);
    }
  });
  return { hidden: x as tf.Tensor2D, mask, state: next };
}

/** Mean cross-entropy over the window's predictions, and the state after it; withGradients false when no gradient pass follows (evaluation). */
export function windowLoss(
  p: LmTensors,
  w: Window,
  state: RnnState,
  drop: DropoutSpec | null,
  withGradients: boolean,
): { loss: tf.Scalar; state: RnnState } {
  const { hidden, mask, state: next } = windowHidden(p, w, state, drop);
  return { loss: softmaxCrossEntropy(hidden, p.outputKernel, p.outputBias, w.targets, { mask, withGradients }), state: next };
}

/** Logits [T·B, V] of a window (dropout off); for tests and tools. */
export function windowLogits(p: LmTensors, w: Window, state: RnnState): { logits: tf.Tensor2D; state: RnnState } {
  const { hidden, state: next } = windowHidden(p, w, state, null);
  return { logits: logitsOf(hidden, p.outputKernel, p.outputBias), state: next };
}
