// One LSTM layer over one window as a single differentiable op with a hand-written
// backward pass (BPTT within the window): autodiff of the unrolled cell issues dozens of
// small tfjs ops per step, each paying ~0.1 ms on wasm. On the wasm backend the whole op
// runs in SIMD C kernels (lstm-layer-wasm.ts, wasm/lstm-layer.c: one call per pass); on
// the others the GEMMs run in tfjs and the gate arithmetic, a few thousand elements per
// step, in the plain JS loops below. Both do the same: the backward pass does one
// [B,4H]·[4H,H] GEMM per step and the weight gradients as window-wide GEMMs.
//
// Gate order i, f, g (cell), o as in Keras/tfjs; z = x·W + h·U + b;
// c_t = f⊙c_{t−1} + i⊙g; h_t = o⊙tanh(c_t). Rows are time-major (t·B + b).
import * as tf from '@tensorflow/tfjs';
import type { RecurrentActivation } from './rnn-weights';
import type { LayerRun } from './recurrent-op-util';
import { gateActivation, gemm, isZero, previousStates, values } from './recurrent-op-util';
import { heapKernels } from './heap-gemm';
import { lstmLayerWasm } from './lstm-layer-wasm';

export function lstmLayer(
  x: tf.Tensor,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor,
  h0: Float32Array,
  c0: Float32Array,
  steps: number,
  batch: number,
  activation: RecurrentActivation,
): LayerRun {
  const k = heapKernels();
  if (k && steps > 0 && batch > 0 && [x, kernel, recurrentKernel, bias].every((t) => t.dtype === 'float32')) {
    return lstmLayerWasm(k, x, kernel, recurrentKernel, bias, h0, c0, steps, batch, activation);
  }
  const T = steps;
  const B = batch;
  const H = recurrentKernel.shape[0] as number;
  const H4 = 4 * H;
  const BH = B * H;
  const act = gateActivation(activation);
  const gi = new Float32Array(T * BH);
  const gf = new Float32Array(T * BH);
  const gg = new Float32Array(T * BH);
  const go = new Float32Array(T * BH);
  const cs = new Float32Array(T * BH);
  const tcs = new Float32Array(T * BH);
  const hs = new Float32Array(T * BH);

  const op = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xx, W, U, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    const xw = values(() => tf.add(tf.matMul(xx, W), b));
    let hPrev = h0;
    let cPrev = c0;
    for (let t = 0; t < T; t++) {
      const rec = t === 0 && isZero(h0) ? null : gemm(hPrev, B, H, U);
      const base = t * BH;
      for (let s = 0; s < B; s++) {
        const zRow = (t * B + s) * H4;
        const rRow = s * H4;
        for (let j = 0; j < H; j++) {
          const k = base + s * H + j;
          const zi = xw[zRow + j] + (rec ? rec[rRow + j] : 0);
          const zf = xw[zRow + H + j] + (rec ? rec[rRow + H + j] : 0);
          const zg = xw[zRow + 2 * H + j] + (rec ? rec[rRow + 2 * H + j] : 0);
          const zo = xw[zRow + 3 * H + j] + (rec ? rec[rRow + 3 * H + j] : 0);
          const i = act(zi);
          const f = act(zf);
          const g = Math.tanh(zg);
          const o = act(zo);
          const c = f * cPrev[s * H + j] + i * g;
          const tc = Math.tanh(c);
          gi[k] = i;
          gf[k] = f;
          gg[k] = g;
          go[k] = o;
          cs[k] = c;
          tcs[k] = tc;
          hs[k] = o * tc;
        }
      }
      hPrev = hs.subarray(base, base + BH);
      cPrev = cs.subarray(base, base + BH);
    }
    save([xx, W, U]);
    return {
      value: tf.tensor2d(hs, [T * B, H]),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sW, sU] = saved as tf.Tensor2D[];
        const dys = dy.dataSync() as Float32Array;
        const UT = tf.transpose(sU);
        const dz = new Float32Array(T * B * H4);
        const sig = activation === 'sigmoid';
        let dhRec: Float32Array = new Float32Array(BH);
        const dcNext = new Float32Array(BH);
        for (let t = T - 1; t >= 0; t--) {
          const base = t * BH;
          for (let s = 0; s < B; s++) {
            const zRow = (t * B + s) * H4;
            for (let j = 0; j < H; j++) {
              const m = s * H + j;
              const k = base + m;
              const dh = dys[k] + dhRec[m];
              const tc = tcs[k];
              const i = gi[k];
              const f = gf[k];
              const g = gg[k];
              const o = go[k];
              const dc = dcNext[m] + dh * o * (1 - tc * tc);
              const cp = t > 0 ? cs[k - BH] : c0[m];
              dcNext[m] = dc * f;
              // σ' from σ's value; hard sigmoid: 0.2 inside its linear part, 0 where clipped.
              const di = sig ? i * (1 - i) : i > 0 && i < 1 ? 0.2 : 0;
              const df = sig ? f * (1 - f) : f > 0 && f < 1 ? 0.2 : 0;
              const dO = sig ? o * (1 - o) : o > 0 && o < 1 ? 0.2 : 0;
              dz[zRow + j] = dc * g * di;
              dz[zRow + H + j] = dc * cp * df;
              dz[zRow + 2 * H + j] = dc * i * (1 - g * g);
              dz[zRow + 3 * H + j] = dh * tc * dO;
            }
          }
          if (t > 0) dhRec = gemm(dz.subarray(t * B * H4, (t + 1) * B * H4), B, H4, UT);
        }
        UT.dispose();
        // h_{t−1} for every step: h0, then the outputs of steps 0..T−2.
        const hPrevAll = previousStates(h0, hs, T, BH);
        const db = new Float32Array(H4);
        for (let r = 0; r < T * B; r++) for (let q = 0; q < H4; q++) db[q] += dz[r * H4 + q];
        const DZ = tf.tensor2d(dz, [T * B, H4]);
        // dW and dU in one GEMM: [x, h_{t−1}]ᵀ·DZ, then split by rows.
        const inDim = sx.shape[1];
        const dWU = tf.matMul(tf.transpose(tf.concat([sx, tf.tensor2d(hPrevAll, [T * B, H])], 1)), DZ);
        return [
          tf.matMul(DZ, tf.transpose(sW)),
          tf.slice(dWU, [0, 0], [inDim, H4]),
          tf.slice(dWU, [inDim, 0], [H, H4]),
          tf.tensor1d(db),
        ];
      },
    };
  }) as Parameters<typeof tf.customGrad>[0]);

  const out = op(x, kernel, recurrentKernel, bias) as tf.Tensor2D;
  const last = (T - 1) * BH;
  return { out, h: hs.slice(last, last + BH), c: cs.slice(last, last + BH) };
}
