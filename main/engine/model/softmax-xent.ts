// The output layer and its loss as one op: mean softmax cross-entropy of the logits
// h·W + b against the targets, with a hand-written gradient. At V = 10k this op is most of a
// training step, so on wasm the loss and the gradient p − onehot are read and formed in p's
// own heap storage (no [N, V] one-hot, no copies out and back), and the matMul gradients
// use explicit transposes (tfjs's transposed-operand matMul is ~10× slower on wasm).
import * as tf from '@tensorflow/tfjs';
import { heapBackend, heapMatMul } from './heap-gemm';

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

/**
 * The mean of −log p_y over the rows. On wasm it is read from p's storage in the heap: one
 * value per row, instead of three reductions over [N, V]; a p_y below 1e-30 (where float32
 * loses digits or underflows) is computed from its row of logits as log-sum-exp − logit_y.
 */
function meanNll(logits: tf.Tensor2D, p: tf.Tensor2D, flat: Int32Array): tf.Scalar {
  const heap = heapBackend();
  if (!heap) return tf.mean(rowNll(logits, p, flat));
  const N = flat.length;
  const V = p.shape[1];
  const pv = heap.typedArrayFromHeap(p) as Float32Array;
  const lv = heap.typedArrayFromHeap(logits) as Float32Array;
  let sum = 0;
  for (let n = 0; n < N; n++) {
    const py = pv[flat[n]];
    if (py >= 1e-30) {
      sum -= Math.log(py);
      continue;
    }
    let max = -Infinity;
    for (let v = n * V; v < (n + 1) * V; v++) max = Math.max(max, lv[v]);
    let z = 0;
    for (let v = n * V; v < (n + 1) * V; v++) z += Math.exp(lv[v] - max);
    sum += max + Math.log(z) - lv[flat[n]];
  }
  return tf.scalar(sum / N);
}

/**
 * p − onehot(targets), [N, V]. On wasm, p's own storage is changed in place through the
 * heap view (p is the op's private softmax, read by nothing after this): a [N, V] copy out
 * and back in costs about a tenth of a training step at V = 10k. Elsewhere, on a copy.
 */
function softmaxGradient(p: tf.Tensor2D, flat: Int32Array): tf.Tensor2D {
  const heap = heapBackend();
  if (heap) {
    const g = heap.typedArrayFromHeap(p) as Float32Array;
    for (let n = 0; n < flat.length; n++) g[flat[n]] -= 1;
    // p itself, not a clone: a clone is a copy on wasm; the gradient pass disposes p after.
    return p;
  }
  // The cpu backend hands out its own storage; other backends return a fresh copy.
  const raw = p.dataSync() as Float32Array;
  const g = tf.getBackend() === 'cpu' ? Float32Array.from(raw) : raw;
  for (let n = 0; n < flat.length; n++) g[flat[n]] -= 1;
  return tf.tensor2d(g, p.shape);
}

/** Floats of G up to which dW is formed from G as it lies (measured: faster at [500, 10k], slower at [1000, 10k]). */
const PACKED_G_LIMIT = 6_000_000;

export function softmaxCrossEntropy(h: tf.Tensor, W: tf.Tensor, b: tf.Tensor, targets: Int32Array): tf.Scalar {
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
      value: meanNll(logits, p, flat),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sh, sw, sp] = saved as tf.Tensor2D[];
        const G = softmaxGradient(sp, flat);
        const s = tf.div(dy, N);
        if (heapBackend()) {
          // dh = G·Wᵀ, db = s·(column sums of G), and dW = (s·h)ᵀ·G with G as it lies while its
          // packed copy stays small: the GEMM streams all of it once per 4 rows of hᵀ, so a
          // larger G (one worker's whole batch) goes as (Gᵀ·s·h)ᵀ, the small s·h packed instead.
          const sh2 = tf.mul(sh, s) as tf.Tensor2D;
          const dW = N * V <= PACKED_G_LIMIT ? heapMatMul(tf.transpose(sh2) as tf.Tensor2D, G) : tf.transpose(heapMatMul(tf.transpose(G) as tf.Tensor2D, sh2));
          return [tf.mul(heapMatMul(G, tf.transpose(sw) as tf.Tensor2D), s), dW, tf.mul(tf.sum(G, 0), s)];
        }
        // [h, 1]ᵀ·G gives dW and, in its last row, db (the column sums of G) in one GEMM. It is
        // computed as (Gᵀ·[h, 1])ᵀ: on wasm, packing the small [h, 1] as the right operand is
        // much cheaper than packing the [N, V] G.
        const hAug = tf.concat([sh, tf.ones([N, 1])], 1);
        const H = sh.shape[1];
        const dWb = tf.transpose(tf.matMul(tf.transpose(G), tf.mul(hAug, s))) as tf.Tensor2D; // scaled on the small side
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
