// The arithmetic of one tangent step (DESIGN §4), with the gate coefficients folded into
// the GEMM's right-hand side; tangent-cells.ts gives the same for the GRU and RNN cells.
//
// Tangents are stored transposed, one row per input column e: row e holds ∂s[0..H)/∂x[e].
// With dz = dh_prev·U (gate order i, f, g, o) the LSTM step is
//   dc = f·dc_prev + a_i·dz_i + a_f·dz_f + a_g·dz_g,   dh = a_o·dz_o + q·dc
// where a_i = g·σ'(z_i), a_f = c_prev·σ'(z_f), a_g = i·tanh'(z_g), a_o = tanh(c)·σ'(z_o),
// q = o·tanh'(c) depend only on the stream and the step. So for each stream and step
//   [dc_in | dh_in] = dh_prev · M,   M = [U_i·a_i + U_f·a_f + U_g·a_g | U_o·a_o]   (K × 2H)
// (columns scaled by the coefficients) gives the same result with a GEMM of half the
// width, 4·H·K·E instead of 8·H·K·E flops per source, and a light elementwise pass:
// dc = f·dc_prev + dc_in, dh = dh_in + q·dc. A source that starts at this step has
// dz = W (the input kernel), i.e. its [dc_in | dh_in] rows are fold(W) directly.
//
// Kernels come in two implementations with the same contract: the plain-JS ones below
// (any backend, tests) and the SIMD ones of wasm/kernels.c (wasm heap buffers).
import type { Cell } from '../model/rnn-weights';
import { jsF32, type F32Buf, type F64Buf } from './buffers';
import { CLASSIC_COEF, GRU_COEF, LSTM_COEF, RNN_COEF } from './tangent-cells';

/** Values below this magnitude are flushed to zero so the GEMM never meets denormals. */
export const FLUSH_BELOW = 1e-30;

export interface TangentKernels {
  readonly name: string;
  /**
   * M's rows for `rows` rows of S ([rows, G·H], gate blocks in the cell's order), with the
   * coefficients at coefOff (tangent-cells.ts): out is [rows, width·H]. Rows from
   * `recurrentFrom` on are rows of U (their index minus recurrentFrom is the unit): the
   * GRUs give them their own terms and diag(z). `extra` ([rows, H] from extraOff) is added
   * to every row for gru-classic (its product term) and ignored otherwise.
   */
  fold(
    cell: Cell,
    S: F32Buf,
    rows: number,
    recurrentFrom: number,
    H: number,
    coef: F32Buf,
    coefOff: number,
    out: F32Buf,
    extra: F32Buf | null,
    extraOff: number,
  ): void;
  /**
   * gru-classic's product factors: A[aOff..] = S_r·diag(q) for all `rows` rows ([rows, H]),
   * and, when P is given, P = U_h·diag(cx) from the rows of S from `recurrentFrom` on ([H, H]).
   */
  classicFactors(S: F32Buf, rows: number, recurrentFrom: number, H: number, coef: F32Buf, coefOff: number, A: F32Buf, aOff: number, P: F32Buf | null): void;
  /**
   * For E rows, LSTM (dc given): dc = (fresh ? 0 : f⊙dc) + g[:, 0:H], dh = g[:, H:2H] + q⊙dc;
   * cells without a memory cell (dc null): dh = g[:, 0:H]. Values below FLUSH_BELOW are
   * flushed; dh goes, where given, to `dh` (E × H, from dhOff) and to o1/o2 (row strides
   * s1/s2). Returns how many values were flushed.
   */
  advance(
    H: number,
    E: number,
    g: F32Buf,
    gOff: number,
    dc: F32Buf | null,
    dcOff: number,
    fresh: boolean,
    coef: F32Buf,
    coefOff: number,
    dh: F32Buf | null,
    dhOff: number,
    o1: F32Buf | null,
    o1Off: number,
    s1: number,
    o2: F32Buf | null,
    o2Off: number,
    s2: number,
  ): number;
  /**
   * acc[accOff .. +n) += Σ_j srcs[j] (each n values from its offset), added in list order
   * for every element: the same float64 result as one pass per source, with one pass over
   * the accumulator.
   */
  accumulateMany(acc: F64Buf, accOff: number, srcs: readonly TangentRef[], n: number): void;
}

/** Where one source's tangent block is: a buffer and an offset into it. */
export interface TangentRef {
  buf: F32Buf;
  off: number;
}

export const jsKernels: TangentKernels = {
  name: 'js',
  fold(cell, S, rows, recurrentFrom, H, coef, coefOff, out, extra, extraOff) {
    JS_FOLDS[cell](S, rows, recurrentFrom, H, coef, coefOff, out, extra, extraOff);
  },

  classicFactors(Sb, rows, recurrentFrom, H, coefB, coefOff, Ab, aOff, Pb) {
    const S = Sb.array();
    const coef = coefB.array();
    const A = Ab.array();
    const cq = coefB.base + coefOff + CLASSIC_COEF.q * H;
    const cx = coefB.base + coefOff + CLASSIC_COEF.cx * H;
    for (let r = 0; r < rows; r++) {
      const w = Sb.base + r * 3 * H;
      const a = Ab.base + aOff + r * H;
      for (let k = 0; k < H; k++) A[a + k] = coef[cq + k] * S[w + H + k];
      if (Pb && r >= recurrentFrom) {
        const P = Pb.array();
        const p = Pb.base + (r - recurrentFrom) * H;
        for (let k = 0; k < H; k++) P[p + k] = coef[cx + k] * S[w + 2 * H + k];
      }
    }
  },

  advance(H, E, gB, gOff, dcB, dcOff, fresh, coefB, coefOff, dhB, dhOff, o1B, o1Off, s1, o2B, o2Off, s2) {
    const g = gB.array();
    const coef = coefB.array();
    // without a dh buffer the values go to a scratch row block for the copies below
    const dhOut = dhB ?? jsF32(new Float32Array(E * H));
    const dh = dhOut.array();
    const dhBase = dhB ? dhB.base + dhOff : 0;
    let flushed = 0;
    if (!dcB) {
      for (let e = 0; e < E; e++) {
        const go = gB.base + gOff + e * H;
        const ho = dhBase + e * H;
        for (let k = 0; k < H; k++) {
          let h = g[go + k];
          if (h < FLUSH_BELOW && h > -FLUSH_BELOW) {
            if (h !== 0) flushed++;
            h = 0;
          }
          dh[ho + k] = h;
        }
      }
    } else {
      const dc = dcB.array();
      const cf = coefB.base + coefOff + LSTM_COEF.f * H;
      const cq = coefB.base + coefOff + LSTM_COEF.q * H;
      for (let e = 0; e < E; e++) {
        const go = gB.base + gOff + e * 2 * H;
        const d = dcB.base + dcOff + e * H;
        const ho = dhBase + e * H;
        for (let k = 0; k < H; k++) {
          let c = fresh ? g[go + k] : g[go + k] + coef[cf + k] * dc[d + k];
          if (c < FLUSH_BELOW && c > -FLUSH_BELOW) {
            if (c !== 0) flushed++;
            c = 0;
          }
          dc[d + k] = c;
          let h = g[go + H + k] + coef[cq + k] * dc[d + k];
          if (h < FLUSH_BELOW && h > -FLUSH_BELOW) {
            if (h !== 0) flushed++;
            h = 0;
          }
          dh[ho + k] = h;
        }
      }
    }
    if (o1B) copyRows(dh, dhBase, H, E, o1B, o1Off, s1);
    if (o2B) copyRows(dh, dhBase, H, E, o2B, o2Off, s2);
    return flushed;
  },

  accumulateMany(accB, accOff, srcs, n) {
    const acc = accB.array();
    const a = accB.base + accOff;
    for (const { buf, off } of srcs) {
      const src = buf.array();
      const s = buf.base + off;
      for (let i = 0; i < n; i++) acc[a + i] += src[s + i];
    }
  },
};

type FoldFn = (S: F32Buf, rows: number, recurrentFrom: number, H: number, coef: F32Buf, coefOff: number, out: F32Buf, extra: F32Buf | null, extraOff: number) => void;

/** out[r, 0:H] = a_i⊙S[r, i] + a_f⊙S[r, f] + a_g⊙S[r, g], out[r, H:2H] = a_o⊙S[r, o] */
const foldLstm: FoldFn = (Sb, rows, _rf, H, coefB, coefOff, outB) => {
  const W = Sb.array();
  const coef = coefB.array();
  const out = outB.array();
  const c0 = coefB.base + coefOff;
  const ai = c0 + LSTM_COEF.ai * H;
  const af = c0 + LSTM_COEF.af * H;
  const ag = c0 + LSTM_COEF.ag * H;
  const ao = c0 + LSTM_COEF.ao * H;
  for (let r = 0; r < rows; r++) {
    const w = Sb.base + r * 4 * H;
    const o = outB.base + r * 2 * H;
    for (let k = 0; k < H; k++) {
      out[o + k] = coef[ai + k] * W[w + k] + coef[af + k] * W[w + H + k] + coef[ag + k] * W[w + 2 * H + k];
      out[o + H + k] = coef[ao + k] * W[w + 3 * H + k];
    }
  }
};

/** out[r] = cz⊙S[r, z] + cr⊙S[r, r] + (input row ? cx : ch)⊙S[r, h], plus z on U's diagonal */
const foldGru: FoldFn = (Sb, rows, rf, H, coefB, coefOff, outB) => {
  const S = Sb.array();
  const coef = coefB.array();
  const out = outB.array();
  const c0 = coefB.base + coefOff;
  const cz = c0 + GRU_COEF.cz * H;
  const cr = c0 + GRU_COEF.cr * H;
  const cz2 = c0 + GRU_COEF.z * H;
  for (let r = 0; r < rows; r++) {
    const w = Sb.base + r * 3 * H;
    const o = outB.base + r * H;
    const c3 = c0 + (r < rf ? GRU_COEF.cx : GRU_COEF.ch) * H;
    for (let k = 0; k < H; k++) out[o + k] = coef[cz + k] * S[w + k] + coef[cr + k] * S[w + H + k] + coef[c3 + k] * S[w + 2 * H + k];
    if (r >= rf) out[o + r - rf] += coef[cz2 + r - rf];
  }
};

/** out[r] = cz⊙S[r, z] + s·cx⊙S[r, h] + extra[r] (s = 1 for input rows, r_i for U's row i), plus z on U's diagonal */
const foldClassic: FoldFn = (Sb, rows, rf, H, coefB, coefOff, outB, extraB, extraOff) => {
  if (!extraB) throw new Error('gru-classic fold needs its product term');
  const S = Sb.array();
  const coef = coefB.array();
  const out = outB.array();
  const Y = extraB.array();
  const c0 = coefB.base + coefOff;
  const cz = c0 + CLASSIC_COEF.cz * H;
  const cx = c0 + CLASSIC_COEF.cx * H;
  const rg = c0 + CLASSIC_COEF.r * H;
  const zg = c0 + CLASSIC_COEF.z * H;
  for (let r = 0; r < rows; r++) {
    const w = Sb.base + r * 3 * H;
    const o = outB.base + r * H;
    const y = extraB.base + extraOff + r * H;
    const s = r < rf ? 1 : coef[rg + r - rf];
    for (let k = 0; k < H; k++) out[o + k] = coef[cz + k] * S[w + k] + s * (coef[cx + k] * S[w + 2 * H + k]) + Y[y + k];
    if (r >= rf) out[o + r - rf] += coef[zg + r - rf];
  }
};

/** out[r] = a⊙S[r] */
const foldRnn: FoldFn = (Sb, rows, _rf, H, coefB, coefOff, outB) => {
  const S = Sb.array();
  const coef = coefB.array();
  const out = outB.array();
  const a = coefB.base + coefOff + RNN_COEF.a * H;
  for (let r = 0; r < rows; r++) {
    const w = Sb.base + r * H;
    const o = outB.base + r * H;
    for (let k = 0; k < H; k++) out[o + k] = coef[a + k] * S[w + k];
  }
};

const JS_FOLDS: Record<Cell, FoldFn> = { lstm: foldLstm, gru: foldGru, 'gru-classic': foldClassic, 'rnn-tanh': foldRnn, 'rnn-relu': foldRnn };

/** Copies E rows of H values (contiguous from `base` of `s`) into rows of stride `stride` from `off`. */
function copyRows(s: Float32Array, base: number, H: number, E: number, dst: F32Buf, off: number, stride: number): void {
  const d = dst.array();
  for (let e = 0; e < E; e++) {
    const from = base + e * H;
    d.set(s.subarray(from, from + H), dst.base + off + e * stride);
  }
}

/** Zeroes E rows of H values with row stride `stride` from `off` (a fresh source's recurrent input). */
export function zeroRows(dst: F32Buf, H: number, E: number, off: number, stride: number): void {
  const d = dst.array();
  for (let e = 0; e < E; e++) {
    const from = dst.base + off + e * stride;
    d.fill(0, from, from + H);
  }
}
