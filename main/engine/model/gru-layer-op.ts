// One GRU layer over one window as a single differentiable op with a hand-written backward
// pass, for the reasons given in lstm-layer-op.ts. Both GRU forms of rnn-weights.ts, gates
// z (update), r (reset), h (candidate) as Keras; h_t = z⊙h_{t−1} + (1−z)⊙ĥ. Rows are
// time-major (t·B + b).
//   'gru' (reset after, PyTorch's): bias [2, 3H], rows b (input) and b' (recurrent);
//       [a_z, a_r] = x·W_zr + b_zr + h·U_zr + b'_zr,  ĥ = tanh(x·W_h + b_h + r⊙(h·U_h + b'_h)).
//       One [B,H]·[H,3H] GEMM per step forward and one [B,3H]·[3H,H] backward.
//   'gru-classic' (reset before, Cho et al.'s): bias [3H];
//       [a_z, a_r] = x·W_zr + h·U_zr + b_zr,  ĥ = tanh(x·W_h + (r⊙h)·U_h + b_h).
//       r must be known before (r⊙h)·U_h: two GEMMs per step each way.
import * as tf from '@tensorflow/tfjs';
import type { LayerRun } from './recurrent-op-util';
import type { RecurrentActivation } from './rnn-weights';
import { columnSums, gateActivation, gateDerivative, gemm, isZero, previousStates, values } from './recurrent-op-util';

export function gruLayer(
  x: tf.Tensor,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor,
  h0: Float32Array,
  steps: number,
  batch: number,
  activation: RecurrentActivation,
  resetAfter: boolean,
): LayerRun {
  const want = resetAfter ? 2 : 1;
  const H = recurrentKernel.shape[0] as number;
  if (bias.size !== want * 3 * H) {
    throw new Error(`a ${resetAfter ? "'gru'" : "'gru-classic'"} layer needs a bias of ${want * 3 * H} values (${resetAfter ? '[2, 3H]' : '[3H]'}), got [${bias.shape.join(', ')}]`);
  }
  return (resetAfter ? resetAfterLayer : classicLayer)(x, kernel, recurrentKernel, bias, h0, steps, batch, activation);
}

function resetAfterLayer(
  x: tf.Tensor,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor,
  h0: Float32Array,
  T: number,
  B: number,
  activation: RecurrentActivation,
): LayerRun {
  const H = recurrentKernel.shape[0] as number;
  const H3 = 3 * H;
  const BH = B * H;
  const act = gateActivation(activation);
  const dAct = gateDerivative(activation);
  const zs = new Float32Array(T * BH);
  const rs = new Float32Array(T * BH);
  const hhs = new Float32Array(T * BH);
  const rhs = new Float32Array(T * BH); // h·U_h + b'_h
  const hs = new Float32Array(T * BH);

  const op = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xx, W, U, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    const xw = values(() => tf.add(tf.matMul(xx, W), tf.slice(b, [0, 0], [1, H3])));
    const bRec = values(() => tf.reshape(tf.slice(b, [1, 0], [1, H3]), [H3]));
    let hPrev = h0;
    for (let t = 0; t < T; t++) {
      const rec = t === 0 && isZero(h0) ? null : gemm(hPrev, B, H, U);
      const base = t * BH;
      for (let s = 0; s < B; s++) {
        const xRow = (t * B + s) * H3;
        const rRow = s * H3;
        for (let j = 0; j < H; j++) {
          const m = s * H + j;
          const k = base + m;
          const z = act(xw[xRow + j] + bRec[j] + (rec ? rec[rRow + j] : 0));
          const r = act(xw[xRow + H + j] + bRec[H + j] + (rec ? rec[rRow + H + j] : 0));
          const rh = bRec[2 * H + j] + (rec ? rec[rRow + 2 * H + j] : 0);
          const hh = Math.tanh(xw[xRow + 2 * H + j] + r * rh);
          zs[k] = z;
          rs[k] = r;
          rhs[k] = rh;
          hhs[k] = hh;
          hs[k] = z * hPrev[m] + (1 - z) * hh;
        }
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
        const dxw = new Float32Array(T * B * H3); // ∂/∂(x·W + b)
        const drec = new Float32Array(T * B * H3); // ∂/∂(h·U + b')
        let dhRec: Float32Array = new Float32Array(BH);
        for (let t = T - 1; t >= 0; t--) {
          const base = t * BH;
          const direct = new Float32Array(BH);
          for (let s = 0; s < B; s++) {
            const row = (t * B + s) * H3;
            for (let j = 0; j < H; j++) {
              const m = s * H + j;
              const k = base + m;
              const dh = dys[k] + dhRec[m];
              const z = zs[k];
              const r = rs[k];
              const hh = hhs[k];
              const hp = t > 0 ? hs[k - BH] : h0[m];
              const daz = dh * (hp - hh) * dAct(z);
              const dah = dh * (1 - z) * (1 - hh * hh);
              const dar = dah * rhs[k] * dAct(r);
              dxw[row + j] = daz;
              dxw[row + H + j] = dar;
              dxw[row + 2 * H + j] = dah;
              drec[row + j] = daz;
              drec[row + H + j] = dar;
              drec[row + 2 * H + j] = dah * r;
              direct[m] = dh * z;
            }
          }
          if (t > 0) {
            const viaU = gemm(drec.subarray(t * B * H3, (t + 1) * B * H3), B, H3, UT);
            for (let m = 0; m < BH; m++) direct[m] += viaU[m];
            dhRec = direct;
          }
        }
        UT.dispose();
        const DXW = tf.tensor2d(dxw, [T * B, H3]);
        const DREC = tf.tensor2d(drec, [T * B, H3]);
        const hPrevAll = tf.tensor2d(previousStates(h0, hs, T, BH), [T * B, H]);
        const db = new Float32Array(2 * H3);
        db.set(columnSums(dxw, T * B, H3), 0);
        db.set(columnSums(drec, T * B, H3), H3);
        return [
          tf.matMul(DXW, tf.transpose(sW)),
          tf.matMul(tf.transpose(sx), DXW),
          tf.matMul(tf.transpose(hPrevAll), DREC),
          tf.tensor2d(db, [2, H3]),
        ];
      },
    };
  }) as Parameters<typeof tf.customGrad>[0]);

  const out = op(x, kernel, recurrentKernel, bias) as tf.Tensor2D;
  const last = (T - 1) * BH;
  return { out, h: hs.slice(last, last + BH), c: new Float32Array(0) };
}

function classicLayer(
  x: tf.Tensor,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor,
  h0: Float32Array,
  T: number,
  B: number,
  activation: RecurrentActivation,
): LayerRun {
  const H = recurrentKernel.shape[0] as number;
  const H2 = 2 * H;
  const H3 = 3 * H;
  const BH = B * H;
  const act = gateActivation(activation);
  const dAct = gateDerivative(activation);
  const zs = new Float32Array(T * BH);
  const rs = new Float32Array(T * BH);
  const hhs = new Float32Array(T * BH);
  const rhp = new Float32Array(T * BH); // r⊙h_{t−1}
  const hs = new Float32Array(T * BH);

  const op = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xx, W, U, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    const xw = values(() => tf.add(tf.matMul(xx, W), b));
    const Uzr = tf.slice(U, [0, 0], [H, H2]);
    const Uh = tf.slice(U, [0, H2], [H, H]);
    let hPrev = h0;
    const zeroStart = isZero(h0);
    try {
      for (let t = 0; t < T; t++) {
        const first = t === 0 && zeroStart;
        const rec = first ? null : gemm(hPrev, B, H, Uzr);
        const base = t * BH;
        for (let s = 0; s < B; s++) {
          const xRow = (t * B + s) * H3;
          const rRow = s * H2;
          for (let j = 0; j < H; j++) {
            const m = s * H + j;
            const k = base + m;
            zs[k] = act(xw[xRow + j] + (rec ? rec[rRow + j] : 0));
            const r = act(xw[xRow + H + j] + (rec ? rec[rRow + H + j] : 0));
            rs[k] = r;
            rhp[k] = r * hPrev[m];
          }
        }
        const recH = first ? null : gemm(rhp.subarray(base, base + BH), B, H, Uh);
        for (let s = 0; s < B; s++) {
          const xRow = (t * B + s) * H3;
          for (let j = 0; j < H; j++) {
            const m = s * H + j;
            const k = base + m;
            const hh = Math.tanh(xw[xRow + 2 * H + j] + (recH ? recH[m] : 0));
            hhs[k] = hh;
            hs[k] = zs[k] * hPrev[m] + (1 - zs[k]) * hh;
          }
        }
        hPrev = hs.subarray(base, base + BH);
      }
    } finally {
      tf.dispose([Uzr, Uh]);
    }
    save([xx, W, U]);
    return {
      value: tf.tensor2d(hs, [T * B, H]),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sW, sU] = saved as tf.Tensor2D[];
        const dys = dy.dataSync() as Float32Array;
        const UzrT = tf.transpose(tf.slice(sU, [0, 0], [H, H2]));
        const UhT = tf.transpose(tf.slice(sU, [0, H2], [H, H]));
        const dzr = new Float32Array(T * B * H2); // ∂/∂[a_z, a_r]
        const dah = new Float32Array(T * BH); // ∂/∂a_h
        let dhRec: Float32Array = new Float32Array(BH);
        for (let t = T - 1; t >= 0; t--) {
          const base = t * BH;
          const direct = new Float32Array(BH);
          for (let m = 0; m < BH; m++) {
            const k = base + m;
            const dh = dys[k] + dhRec[m];
            const z = zs[k];
            const hh = hhs[k];
            const hp = t > 0 ? hs[k - BH] : h0[m];
            const s = Math.floor(m / H);
            const j = m - s * H;
            dzr[(t * B + s) * H2 + j] = dh * (hp - hh) * dAct(z);
            dah[k] = dh * (1 - z) * (1 - hh * hh);
            direct[m] = dh * z;
          }
          // ∂/∂(r⊙h_{t−1}) = ∂a_h·U_hᵀ
          const dRh = gemm(dah.subarray(base, base + BH), B, H, UhT);
          for (let m = 0; m < BH; m++) {
            const k = base + m;
            const hp = t > 0 ? hs[k - BH] : h0[m];
            const s = Math.floor(m / H);
            const j = m - s * H;
            dzr[(t * B + s) * H2 + H + j] = dRh[m] * hp * dAct(rs[k]);
            direct[m] += dRh[m] * rs[k];
          }
          if (t > 0) {
            const viaU = gemm(dzr.subarray(t * B * H2, (t + 1) * B * H2), B, H2, UzrT);
            for (let m = 0; m < BH; m++) direct[m] += viaU[m];
            dhRec = direct;
          }
        }
        const DZR = tf.tensor2d(dzr, [T * B, H2]);
        const DAH = tf.tensor2d(dah, [T * B, H]);
        const DA = tf.concat([DZR, DAH], 1);
        const hPrevAll = tf.tensor2d(previousStates(h0, hs, T, BH), [T * B, H]);
        const dU = tf.concat(
          [tf.matMul(tf.transpose(hPrevAll), DZR), tf.matMul(tf.transpose(tf.tensor2d(rhp, [T * B, H])), DAH)],
          1,
        );
        const db = new Float32Array(H3);
        db.set(columnSums(dzr, T * B, H2), 0);
        db.set(columnSums(dah, T * B, H), H2);
        return [tf.matMul(DA, tf.transpose(sW)), tf.matMul(tf.transpose(sx), DA), dU, tf.tensor1d(db)];
      },
    };
  }) as Parameters<typeof tf.customGrad>[0]);

  const out = op(x, kernel, recurrentKernel, bias) as tf.Tensor2D;
  const last = (T - 1) * BH;
  return { out, h: hs.slice(last, last + BH), c: new Float32Array(0) };
}
