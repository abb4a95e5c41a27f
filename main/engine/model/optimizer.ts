// Parameter updates with a learning rate that can change every epoch (the PTB schedule),
// and global-norm gradient clipping. Written over plain ops rather than tf.train's
// optimizers so the schedule applies to Adam as well, without reaching into their fields.
import * as tf from '@tensorflow/tfjs';

/** What an optimizer is, for code that runs its update elsewhere (data-parallel/flat-update.ts, over flat arrays). */
export type OptimizerSpec = { kind: 'sgd' } | { kind: 'adam'; beta1: number; beta2: number; epsilon: number };

export interface Optimizer {
  readonly spec: OptimizerSpec;
  /** Applies one update with grads already scaled by the clipping factor. */
  apply(vars: tf.Variable[], grads: tf.NamedTensorMap, learningRate: number): void;
  dispose(): void;
}

export function sgd(): Optimizer {
  return {
    spec: { kind: 'sgd' },
    apply(vars, grads, lr) {
      tf.tidy(() => {
        for (const v of vars) v.assign(tf.sub(v, tf.mul(grads[v.name], lr)));
      });
    },
    dispose() {},
  };
}

/** Adam (Kingma & Ba) with bias correction; β1 0.9, β2 0.999, ε 1e-8 as usual. */
export function adam(beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8): Optimizer {
  const m = new Map<string, tf.Variable>();
  const s = new Map<string, tf.Variable>();
  let t = 0;
  return {
    spec: { kind: 'adam', beta1, beta2, epsilon },
    apply(vars, grads, lr) {
      t++;
      const c1 = 1 - beta1 ** t;
      const c2 = 1 - beta2 ** t;
      tf.tidy(() => {
        for (const v of vars) {
          const g = grads[v.name];
          if (!m.has(v.name)) {
            m.set(v.name, tf.variable(tf.zerosLike(v), false));
            s.set(v.name, tf.variable(tf.zerosLike(v), false));
          }
          const mv = m.get(v.name) as tf.Variable;
          const sv = s.get(v.name) as tf.Variable;
          mv.assign(tf.add(tf.mul(mv, beta1), tf.mul(g, 1 - beta1)));
          sv.assign(tf.add(tf.mul(sv, beta2), tf.mul(tf.square(g), 1 - beta2)));
          const step = tf.div(tf.div(mv, c1), tf.add(tf.sqrt(tf.div(sv, c2)), epsilon));
          v.assign(tf.sub(v, tf.mul(step, lr)));
        }
      });
    },
    dispose() {
      for (const v of [...m.values(), ...s.values()]) v.dispose();
      m.clear();
      s.clear();
    },
  };
}

/**
 * Global L2 norm of all gradients, and grads scaled so that norm ≤ maxNorm (maxNorm 0: no
 * clipping). When they need no scaling, `grads` itself comes back (`scaled` false): a copy
 * of every gradient costs a pass over the parameters on wasm. Otherwise new tensors, which
 * the caller disposes.
 */
export function clipByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number): { grads: tf.NamedTensorMap; norm: number; scaled: boolean } {
  const names = Object.keys(grads);
  const norm = tf.tidy(() => tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads[n]))))).dataSync()[0]);
  const scale = clipScale(norm, maxNorm);
  if (scale === 1) return { grads, norm, scaled: false };
  const out: tf.NamedTensorMap = {};
  for (const n of names) out[n] = tf.mul(grads[n], scale);
  return { grads: out, norm, scaled: true };
}

/** The factor that brings a global norm down to maxNorm (1 when it is not above it, or maxNorm is 0). */
export function clipScale(norm: number, maxNorm: number): number {
  return maxNorm > 0 && norm > maxNorm ? maxNorm / norm : 1;
}
