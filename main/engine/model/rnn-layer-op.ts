// One vanilla RNN layer (Elman; tanh or ReLU) over one window as a single differentiable op
// with a hand-written backward pass, for the reasons given in lstm-layer-op.ts.
//
// h_t = act(x_t·W + h_{t−1}·U + b), kernel [in, H], recurrent kernel [H, H], bias [H]
// (Keras/tfjs SimpleRNN). Rows are time-major (t·B + b). The backward pass does one
// [B,H]·[H,H] GEMM per step and the weight gradients as window-wide GEMMs.
import * as tf from '@tensorflow/tfjs';
import type { LayerRun } from './recurrent-op-util';
import { columnSums, gemm, isZero, previousStates, values } from './recurrent-op-util';

export function rnnLayer(
  x: tf.Tensor,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor,
  h0: Float32Array,
  steps: number,
  batch: number,
  activation: 'tanh' | 'relu',
): LayerRun {
  const T = steps;
  const B = batch;
  const H = recurrentKernel.shape[0] as number;
  const BH = B * H;
  const relu = activation === 'relu';
  const hs = new Float32Array(T * BH);

  const op = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xx, W, U, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    const xw = values(() => tf.add(tf.matMul(xx, W), b));
    let hPrev = h0;
    for (let t = 0; t < T; t++) {
      const rec = t === 0 && isZero(h0) ? null : gemm(hPrev, B, H, U);
      const base = t * BH;
      for (let m = 0; m < BH; m++) {
        const a = xw[base + m] + (rec ? rec[m] : 0);
        hs[base + m] = relu ? (a > 0 ? a : 0) : Math.tanh(a);
      }
      hPrev = hs.subarray(base, base + BH);
    }
    save([xx, W, U]);
    return {
      value: tf.tensor2d(hs, [T * B, H]),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sW, sU] = saved as tf.Tensor2D[];
        const dys = dy.dataSync() as Float32Array;
        const UT = tf.transpose(sU);
        const da = new Float32Array(T * BH);
        let dhRec: Float32Array = new Float32Array(BH);
        for (let t = T - 1; t >= 0; t--) {
          const base = t * BH;
          for (let m = 0; m < BH; m++) {
            const k = base + m;
            const h = hs[k];
            da[k] = (dys[k] + dhRec[m]) * (relu ? (h > 0 ? 1 : 0) : 1 - h * h);
          }
          if (t > 0) dhRec = gemm(da.subarray(base, base + BH), B, H, UT);
        }
        UT.dispose();
        const DA = tf.tensor2d(da, [T * B, H]);
        // dW and dU in one GEMM: [x, h_{t−1}]ᵀ·DA, then split by rows.
        const inDim = sx.shape[1];
        const hPrevAll = tf.tensor2d(previousStates(h0, hs, T, BH), [T * B, H]);
        const dWU = tf.matMul(tf.transpose(tf.concat([sx, hPrevAll], 1)), DA);
        return [
          tf.matMul(DA, tf.transpose(sW)),
          tf.slice(dWU, [0, 0], [inDim, H]),
          tf.slice(dWU, [inDim, 0], [H, H]),
          tf.tensor1d(columnSums(da, T * B, H)),
        ];
      },
    };
  }) as Parameters<typeof tf.customGrad>[0]);

  const out = op(x, kernel, recurrentKernel, bias) as tf.Tensor2D;
  const last = (T - 1) * BH;
  return { out, h: hs.slice(last, last + BH), c: new Float32Array(0) };
}
