// One truncated-BPTT training step: forward and backward over one window, global-norm
// clipping, the parameter update. The window's objective is the sum over its steps of the
// batch-mean cross-entropy (Zaremba et al.), which lr 1 and clip 5 are tuned for.
//
// The step is two halves so that data-parallel training (data-parallel/) can run the first
// on each worker's share of the streams and the second once, on the summed gradients:
// windowGradients (the loss and the gradients of a window, scaled) and applyGradients
// (clip by the global norm, update).
import * as tf from '@tensorflow/tfjs';
import type { DropoutSpec, LmTensors, RnnState, Window } from './lstm-forward';
import { windowLoss } from './lstm-forward';
import type { Optimizer } from './optimizer';
import { clipByGlobalNorm } from './optimizer';

export interface StepResult {
  /** Mean cross-entropy per predicted token of the window (nats), before the update. */
  loss: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  /** State after the window, detached (plain arrays). */
  state: RnnState;
}

export type TrainableTensors = LmTensors & { variables: tf.Variable[] };

export interface WindowGradients {
  /** Mean cross-entropy per predicted token of the window (nats). */
  loss: number;
  /** Gradients of lossScale × that mean, by variable name; null when the loss is not finite. */
  grads: tf.NamedTensorMap | null;
  state: RnnState;
}

/**
 * The loss of a window and the gradients of lossScale × its mean loss. lossScale is the
 * window's steps for the whole batch; a worker holding N_w of the N rows uses steps·N_w/N,
 * so that the workers' gradients add up to the whole batch's.
 */
export function windowGradients(
  params: TrainableTensors,
  w: Window,
  state: RnnState,
  drop: DropoutSpec | null,
  lossScale: number,
): WindowGradients {
  let next = state;
  const { value, grads } = tf.variableGrads(() => {
    const r = windowLoss(params, w, state, drop, true);
    next = r.state;
    return tf.mul(r.loss, lossScale) as tf.Scalar;
  }, params.variables);
  const loss = (value.dataSync()[0] as number) / lossScale;
  value.dispose();
  if (!Number.isFinite(loss)) {
    tf.dispose(grads);
    return { loss, grads: null, state: next };
  }
  return { loss, grads, state: next };
}

/** Clips `grads` to the global norm clipNorm (0: no clipping) and applies one update; returns the norm before clipping. Does not dispose `grads`. */
export function applyGradients(
  variables: tf.Variable[],
  optimizer: Optimizer,
  grads: tf.NamedTensorMap,
  learningRate: number,
  clipNorm: number,
): number {
  const clipped = clipByGlobalNorm(grads, clipNorm);
  optimizer.apply(variables, clipped.grads, learningRate);
  if (clipped.scaled) tf.dispose(clipped.grads);
  return clipped.norm;
}

export function trainStep(
  params: TrainableTensors,
  optimizer: Optimizer,
  w: Window,
  state: RnnState,
  drop: DropoutSpec | null,
  learningRate: number,
  clipNorm: number,
): StepResult {
  const g = windowGradients(params, w, state, drop, w.steps);
  if (g.grads === null) return { loss: g.loss, gradNorm: NaN, state: g.state };
  const gradNorm = applyGradients(params.variables, optimizer, g.grads, learningRate, clipNorm);
  tf.dispose(g.grads);
  return { loss: g.loss, gradNorm, state: g.state };
}
