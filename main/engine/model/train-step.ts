// One truncated-BPTT training step: forward and backward over one window, global-norm
// clipping, the parameter update. The window's objective is the sum over its steps of the
// batch-mean cross-entropy (Zaremba et al.), which lr 1 and clip 5 are tuned for.
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

export function trainStep(
  params: LmTensors & { variables: tf.Variable[] },
  optimizer: Optimizer,
  w: Window,
  state: RnnState,
  drop: DropoutSpec | null,
  learningRate: number,
  clipNorm: number,
): StepResult {
  let next = state;
  const { value, grads } = tf.variableGrads(() => {
    const r = windowLoss(params, w, state, drop);
    next = r.state;
    return tf.mul(r.loss, w.steps) as tf.Scalar;
  }, params.variables);
  const loss = (value.dataSync()[0] as number) / w.steps;
  value.dispose();
  if (!Number.isFinite(loss)) {
    tf.dispose(grads);
    return { loss, gradNorm: NaN, state: next };
  }
  const clipped = clipByGlobalNorm(grads, clipNorm);
  tf.dispose(grads);
  optimizer.apply(params.variables, clipped.grads, learningRate);
  tf.dispose(clipped.grads);
  return { loss, gradNorm: clipped.norm, state: next };
}
