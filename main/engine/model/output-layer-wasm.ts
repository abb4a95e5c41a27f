// The dropout, output layer and loss of training on the wasm backend, through the kernels of
// wasm/output-layer.c working in place in the tfjs heap: the logits (h ⊙ mask)·W + b over the
// kept units, the softmax cross-entropy, and, for training, G = softmax − onehot formed in the
// logits' own storage and kept (in scratch, not in tensors, so no tidy scope can dispose it)
// until the gradient pass turns it into dh = s·mask ⊙ G·Wᵀ (at kept units only),
// dW = s·(h ⊙ mask)ᵀ·G and db = s·Σ_rows G.
import * as tf from '@tensorflow/tfjs';
import { addressOf, HeapScratch, uninitialisedTensor, type HeapKernels } from './heap-gemm';

interface OutputLayerExports {
  pack_b16(B: number, K: number, N: number, Bp: number): void;
  row_pair_nonzeros(A: number, mask: number, M: number, K: number, idx: number, val: number, cnt: number): void;
  col_pair_nonzeros(A: number, mask: number, M: number, K: number, idx: number, val: number, cnt: number): void;
  sparse_rows_gemm(idx: number, val: number, cnt: number, M: number, K: number, Bp: number, N: number, bias: number, C: number, rowmax: number): void;
  softmax_rows(Z: number, rowmax: number, M: number, N: number, targets: number, stats: number, colsum: number): void;
  pack_rows16(G: number, M: number, N: number, Gp: number): void;
  sparse_dh(idx: number, cnt: number, M: number, K: number, G: number, W: number, N: number, dh: number, scale: number, mask: number): void;
  sparse_cols_gemm(idx: number, val: number, cnt: number, K: number, M: number, G: number, Gp: number, N: number, D: number, scale: number, start: number, stop: number): void;
}

export interface OutputLayerPass {
  /** Mean −log p_y over the rows. */
  loss: number;
  /** dh, dW, db of scale × the summed loss (mean loss: scale = dy / rows); frees the scratch. Once only. */
  gradients(scale: number): [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
}

/** A training pass whose gradients were never taken is freed when the next one starts (at most one is held). */
const unclaimed = new WeakMap<HeapKernels, { release(): void }>();

const exportsOf = (k: HeapKernels) => k.exports as unknown as OutputLayerExports;

/**
 * The loss of (h ⊙ mask) [N, H] · W [H, V] + b [V] against targets (mask: the dropout's, 0 or
 * 1/keep per unit; null: none); with `withGradients`, also what the gradients need (released
 * by `gradients`, or by the next pass that keeps them). dh is the gradient for h before the
 * mask, so a dropped unit's is 0 and never computed. W (a variable when training) must still
 * hold the same values when the gradients are taken.
 */
export function outputLayerPass(
  k: HeapKernels,
  h: tf.Tensor2D,
  W: tf.Tensor2D,
  b: tf.Tensor1D,
  targets: Int32Array,
  mask: Float32Array | null,
  withGradients: boolean,
): OutputLayerPass {
  const x = exportsOf(k);
  const [N, H] = h.shape;
  const V = W.shape[1];
  if (W.shape[0] !== H || b.shape[0] !== V || targets.length !== N || (mask && mask.length !== N * H)) {
    throw new Error(`output layer: shapes do not fit (h ${h.shape}, W ${W.shape}, b ${b.shape}, ${targets.length} targets, mask ${mask?.length ?? 'none'})`);
  }
  // The kernels index rows of the logits by target: one out of range would write outside them.
  const badTarget = targets.findIndex((t) => !(t >= 0 && t < V));
  if (badTarget >= 0) throw new Error(`output layer: target ${targets[badTarget]} at row ${badTarget} is not a word of the ${V}-word vocabulary`);
  unclaimed.get(k)?.release();
  unclaimed.delete(k);
  const grad = withGradients ? 1 : 0;
  // Nonzeros go by pairs of rows (of h) and pairs of columns (wasm/output-layer.c says why).
  const rowPairs = Math.ceil(N / 2);
  const colPairs = Math.ceil(H / 2);
  const s = new HeapScratch(
    k,
    {
      packed: Math.ceil(V / 16) * 16 * H,
      rowIdx: rowPairs * H,
      rowVal: rowPairs * H * 2,
      rowCnt: rowPairs,
      logits: N * V,
      rowmax: N,
      stats: 6 * N, // 3 doubles per row
      targets: N,
      mask: mask ? N * H : 0,
      colsum: grad * V,
      packedG: grad * N * V,
      colIdx: grad * colPairs * N,
      colVal: grad * colPairs * N * 2,
      colCnt: grad * colPairs,
      start: grad * colPairs,
      stop: grad * colPairs,
    },
    'the output layer',
  );
  const a = s.at;
  let loss: number;
  try {
    new Int32Array(k.memory.buffer, a.targets, N).set(targets);
    if (mask) new Float32Array(k.memory.buffer, a.mask, N * H).set(mask);
    const maskAt = mask ? a.mask : 0;
    const hAt = addressOf(k, h);
    x.pack_b16(addressOf(k, W), H, V, a.packed);
    // The kept units by pairs of rows: what the logits are summed over and where dh is formed.
    x.row_pair_nonzeros(hAt, maskAt, N, H, a.rowIdx, a.rowVal, a.rowCnt);
    x.sparse_rows_gemm(a.rowIdx, a.rowVal, a.rowCnt, N, H, a.packed, V, addressOf(k, b), a.logits, a.rowmax);
    x.softmax_rows(a.logits, a.rowmax, N, V, a.targets, a.stats, grad ? a.colsum : 0);
    const stats = new Float64Array(k.memory.buffer, a.stats, 3 * N);
    let sum = 0;
    for (let n = 0; n < N; n++) sum += stats[3 * n] + Math.log(stats[3 * n + 1]) - stats[3 * n + 2];
    loss = sum / N;
    if (grad) {
      // h is read now: by the gradient pass it (an intermediate) may have been disposed.
      x.col_pair_nonzeros(hAt, maskAt, N, H, a.colIdx, a.colVal, a.colCnt);
      unclaimed.set(k, s);
    }
  } catch (err) {
    s.release();
    throw err;
  }
  if (!grad) s.release();
  return {
    loss,
    gradients(scale) {
      if (!grad) throw new Error('output layer: this pass was run without gradients');
      if (s.released) throw new Error('output layer: the pass was released before its gradients were taken (another pass started)');
      if (W.isDisposed) throw new Error('output layer: W was disposed before the gradients were taken');
      try {
        // Every element is written by the kernels below.
        const dh = uninitialisedTensor(k, [N, H]) as tf.Tensor2D;
        const dW = uninitialisedTensor(k, [H, V]) as tf.Tensor2D;
        x.sparse_dh(a.rowIdx, a.rowCnt, N, H, a.logits, addressOf(k, W), V, addressOf(k, dh), scale, mask ? a.mask : 0);
        x.pack_rows16(a.logits, N, V, a.packedG);
        x.sparse_cols_gemm(a.colIdx, a.colVal, a.colCnt, H, N, a.logits, a.packedG, V, addressOf(k, dW), scale, a.start, a.stop);
        const colsum = new Float32Array(k.memory.buffer, a.colsum, V);
        const db = tf.tensor1d(colsum.map((v) => v * scale));
        return [dh, dW, db];
      } finally {
        s.release();
        if (unclaimed.get(k) === s) unclaimed.delete(k);
      }
    },
  };
}
