// lstmLayer (lstm-layer-op.ts) on the wasm backend: the forward and the backward pass each
// run as one call into the SIMD kernels of wasm/lstm-layer.c, working in place on tensors
// in the tfjs heap. Per step the JS path pays a tfjs matMul (~0.1 ms of overhead at these
// sizes) and a JS gate loop; here the whole window's steps stay inside wasm. At the paper's
// sizes (B 10, T 50, E 64, H 256) forward + backward take ~25 ms against ~70 ms for the JS
// path on wasm, 20 ms of it in GEMMs at ~47 GFLOP/s (about the FMA peak of 128-bit SIMD).
import * as tf from '@tensorflow/tfjs';
import type { RecurrentActivation } from './rnn-weights';
import type { LayerRun } from './recurrent-op-util';
import { isZero } from './recurrent-op-util';
import { addressOf, uninitialisedTensor, withHeapScratch, type HeapKernels } from './heap-gemm';

/** The exports of wasm/lstm-layer.c (addresses are byte offsets in the heap). */
interface LstmKernels {
  lstm_forward_scratch(H: number, E: number): number;
  lstm_forward(
    x: number, W: number, U: number, b: number, h0: number, c0: number, rec0: number,
    T: number, B: number, H: number, E: number, hard: number, scratch: number,
    gates: number, cs: number, tcs: number, hs: number,
  ): void;
  lstm_backward_scratch(T: number, B: number, H: number, E: number): number;
  lstm_backward(
    dy: number, x: number, W: number, U: number, h0: number, c0: number,
    gates: number, cs: number, tcs: number, hs: number, T: number, B: number, H: number, E: number,
    hard: number, scratch: number, dx: number, dW: number, dU: number, db: number,
  ): void;
}

export function lstmLayerWasm(
  k: HeapKernels,
  x: tf.Tensor,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor,
  h0: Float32Array,
  c0: Float32Array,
  T: number,
  B: number,
  activation: RecurrentActivation,
): LayerRun {
  const H = recurrentKernel.shape[0] as number;
  const E = kernel.shape[0] as number;
  const H4 = 4 * H;
  const BH = B * H;
  const fns = k.exports as unknown as LstmKernels;
  const hard = activation === 'hard_sigmoid' ? 1 : 0;
  const rec0 = isZero(h0) ? 0 : 1;
  const at = (t: tf.Tensor) => addressOf(k, t);
  // The kernels write every element of these.
  const fresh = (shape: number[]) => uninitialisedTensor(k, shape);
  let last: { h: Float32Array; c: Float32Array } | null = null;

  const op = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xx, W, U, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    // Everything the backward pass reads is a tensor saved with the op, so that tfjs frees it
    // after backprop, or at once when no gradient is being recorded.
    const h0t = tf.tensor2d(h0, [B, H]);
    const c0t = tf.tensor2d(c0, [B, H]);
    const gates = fresh([T * B, H4]);
    const cs = fresh([T * B, H]);
    const tcs = fresh([T * B, H]);
    const hs = fresh([T * B, H]);
    withHeapScratch(k, fns.lstm_forward_scratch(H, E), 'the LSTM layer\'s forward pass', (s) =>
      fns.lstm_forward(at(xx), at(W), at(U), at(b), at(h0t), at(c0t), rec0, T, B, H, E, hard, s, at(gates), at(cs), at(tcs), at(hs)),
    );
    const end = (T - 1) * BH;
    last = {
      h: k.backend.typedArrayFromHeap(hs).slice(end, end + BH) as Float32Array,
      c: k.backend.typedArrayFromHeap(cs).slice(end, end + BH) as Float32Array,
    };
    save([xx, W, U, h0t, c0t, gates, cs, tcs, hs]);
    return {
      value: hs,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sW, sU, sh0, sc0, sg, scs, stcs, shs] = saved;
        const dx = fresh([T * B, E]);
        const dW = fresh([E, H4]);
        const dU = fresh([H, H4]);
        const db = fresh([H4]);
        withHeapScratch(k, fns.lstm_backward_scratch(T, B, H, E), 'the LSTM layer\'s backward pass', (s) =>
          fns.lstm_backward(
            at(dy), at(sx), at(sW), at(sU), at(sh0), at(sc0), at(sg), at(scs), at(stcs), at(shs),
            T, B, H, E, hard, s, at(dx), at(dW), at(dU), at(db),
          ),
        );
        return [dx, dW, dU, db];
      },
    };
  }) as Parameters<typeof tf.customGrad>[0]);

  const out = op(x, kernel, recurrentKernel, bias) as tf.Tensor2D;
  // (set inside the op, which tfjs runs synchronously)
  const run = last as { h: Float32Array; c: Float32Array } | null;
  if (!run) throw new Error('lstmLayer: the forward pass did not run');
  return { out, h: run.h, c: run.c };
}
