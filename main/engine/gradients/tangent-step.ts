// The arithmetic of one tangent step (DESIGN §4), with the gate coefficients folded into
// the GEMM's right-hand side.
//
// Tangents are stored transposed, one row per input column e: row e holds ∂s[0..H)/∂x[e].
// With dz = dh_prev·U (gate order i, f, g, o) the step is
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
import { jsF32, type F32Buf, type F64Buf } from './buffers';

/** Values below this magnitude are flushed to zero so the GEMM never meets denormals. */
export const FLUSH_BELOW = 1e-30;

/** Float32 coefficient rows per stream and layer, each H long, in this order (COEF_COUNT × H). */
export const COEF = { f: 0, ai: 1, af: 2, ag: 3, ao: 4, q: 5 } as const;
export const COEF_COUNT = 6;

export interface TangentKernels {
  readonly name: string;
  /**
   * out[r, 0:H] = a_i⊙W[r, i] + a_f⊙W[r, f] + a_g⊙W[r, g], out[r, H:2H] = a_o⊙W[r, o]
   * for `rows` rows of W ([rows, 4H], gate order i, f, g, o).
   */
  fold(W: F32Buf, rows: number, H: number, coef: F32Buf, coefOff: number, out: F32Buf): void;
  /**
   * For E rows: dc = (fresh ? 0 : f⊙dc) + g[:, 0:H], dh = g[:, H:2H] + q⊙dc, values below
   * FLUSH_BELOW flushed; dh goes, where given, to `dh` (E × H, from dhOff) and to o1/o2
   * (row strides s1/s2). Returns how many values were flushed.
   */
  advance(
    H: number,
    E: number,
    g: F32Buf,
    gOff: number,
    dc: F32Buf,
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
  fold(Wb, rows, H, coefB, coefOff, outB) {
    const W = Wb.array();
    const coef = coefB.array();
    const out = outB.array();
    const wBase = Wb.base;
    const oBase = outB.base;
    const c0 = coefB.base + coefOff;
    const ai = c0 + COEF.ai * H;
    const af = c0 + COEF.af * H;
    const ag = c0 + COEF.ag * H;
    const ao = c0 + COEF.ao * H;
    for (let r = 0; r < rows; r++) {
      const w = wBase + r * 4 * H;
      const o = oBase + r * 2 * H;
      for (let k = 0; k < H; k++) {
        out[o + k] = coef[ai + k] * W[w + k] + coef[af + k] * W[w + H + k] + coef[ag + k] * W[w + 2 * H + k];
        out[o + H + k] = coef[ao + k] * W[w + 3 * H + k];
      }
    }
  },

  advance(H, E, gB, gOff, dcB, dcOff, fresh, coefB, coefOff, dhB, dhOff, o1B, o1Off, s1, o2B, o2Off, s2) {
    const g = gB.array();
    const dc = dcB.array();
    const coef = coefB.array();
    // without a dh buffer the values go to a scratch row block for the copies below
    const dhOut = dhB ?? jsF32(new Float32Array(E * H));
    const dh = dhOut.array();
    const dhBase = dhB ? dhB.base + dhOff : 0;
    const cf = coefB.base + coefOff + COEF.f * H;
    const cq = coefB.base + coefOff + COEF.q * H;
    let flushed = 0;
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
