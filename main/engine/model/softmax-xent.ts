// The output layer and its loss as one op: mean softmax cross-entropy of the logits
// (h ⊙ mask)·W + b against the targets, the mask being the top layer's dropout, with a
// hand-written gradient. At V = 10k this op is most of a training step. On wasm it runs on
// Mnemoscope's own kernels (output-layer-wasm.ts: dropped units skipped, G formed in place,
// blocked products); elsewhere on tfjs ops, the mask applied first, with explicit transposes
// where a transposed-operand matMul would be slow.
import * as tf from '@tensorflow/tfjs';
import { heapKernels, heapMatMul, heapBackend, type HeapKernels } from './heap-gemm';
import { outputLayerPass } from './output-layer-wasm';

/** Logits h·W + b, [N, V]. */
export function logitsOf(h: tf.Tensor, W: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  if (heapBackend()) return tf.add(heapMatMul(h as tf.Tensor2D, W as tf.Tensor2D), b) as tf.Tensor2D;
  return tf.fused.matMul({ a: h as tf.Tensor2D, b: W as tf.Tensor2D, bias: b }) as tf.Tensor2D;
}

/**
 * −log p_y per row computed as (max − logit_y) − log p_max: p_max ≥ 1/V never
 * underflows, so this is exact without a separate log-sum-exp pass.
 */
function rowNll(logits: tf.Tensor2D, p: tf.Tensor2D, flat: Int32Array): tf.Tensor1D {
  const picked = tf.gather(tf.reshape(logits, [-1]), tf.tensor1d(flat, 'int32'));
  return tf.sub(tf.sub(tf.max(logits, 1), picked), tf.log(tf.max(p, 1))) as tf.Tensor1D;
}

/** p − onehot(targets), [N, V], on a copy (the cpu backend hands out its own storage; others a fresh copy). */
function softmaxGradient(p: tf.Tensor2D, flat: Int32Array): tf.Tensor2D {
  const raw = p.dataSync() as Float32Array;
  const g = tf.getBackend() === 'cpu' ? Float32Array.from(raw) : raw;
  for (let n = 0; n < flat.length; n++) g[flat[n]] -= 1;
  return tf.tensor2d(g, p.shape);
}

/** The op on wasm's kernels; without gradients the pass keeps nothing. */
function heapSoftmaxCrossEntropy(
  k: HeapKernels,
  h: tf.Tensor,
  W: tf.Tensor,
  b: tf.Tensor,
  targets: Int32Array,
  mask: Float32Array | null,
  withGradients: boolean,
): tf.Scalar {
  const N = targets.length;
  const op = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [hh, ww, bb] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
    const pass = outputLayerPass(k, hh, ww, bb, targets, mask, withGradients);
    return {
      value: tf.scalar(pass.loss),
      gradFunc: (dy: tf.Tensor) => pass.gradients((dy.dataSync()[0] as number) / N),
    };
  }) as Parameters<typeof tf.customGrad>[0]);
  return op(h, W, b) as tf.Scalar;
}

export interface OutputLayerOptions {
  /** The dropout of h: 0 or 1/keep per unit, [N·H] (default none). */
  mask?: Float32Array | null;
  /** False (evaluation) lets the wasm kernels keep nothing for a gradient pass that will not come (default true). */
  withGradients?: boolean;
}

/** Mean cross-entropy of softmax((h ⊙ mask)·W + b) against `targets`. */
export function softmaxCrossEntropy(h: tf.Tensor, W: tf.Tensor, b: tf.Tensor, targets: Int32Array, options: OutputLayerOptions = {}): tf.Scalar {
  const mask = options.mask ?? null;
  const k = heapKernels();
  if (k && h.dtype === 'float32' && W.dtype === 'float32' && b.dtype === 'float32') {
    return heapSoftmaxCrossEntropy(k, h, W, b, targets, mask, options.withGradients ?? true);
  }
  if (mask) h = tf.mul(h, tf.tensor(mask, h.shape));
  const N = targets.length;
  const V = W.shape[1] as number;
  const flat = new Int32Array(N);
  for (let n = 0; n < N; n++) flat[n] = n * V + targets[n];
  const op = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [hh, ww, bb, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    const logits = logitsOf(hh, ww, bb);
    const p = tf.softmax(logits);
    save([hh, ww, p]);
    return {
      value: tf.mean(rowNll(logits, p, flat)),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sh, sw, sp] = saved as tf.Tensor2D[];
        const G = softmaxGradient(sp, flat);
        const s = tf.div(dy, N);
        // [h, 1]ᵀ·G gives dW and, in its last row, db (the column sums of G) in one GEMM,
        // computed as (Gᵀ·[h, 1])ᵀ and scaled on the small side.
        const hAug = tf.concat([sh, tf.ones([N, 1])], 1);
        const H = sh.shape[1];
        const dWb = tf.transpose(tf.matMul(tf.transpose(G), tf.mul(hAug, s))) as tf.Tensor2D;
        return [
          tf.mul(tf.matMul(G, tf.transpose(sw)), s),
          tf.slice(dWb, [0, 0], [H, V]),
          tf.reshape(tf.slice(dWb, [H, 0], [1, V]), [V]),
        ];
      },
    };
  }) as Parameters<typeof tf.customGrad>[0]);
  return op(h, W, b) as tf.Scalar;
}
