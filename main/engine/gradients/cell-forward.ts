// The forward state of S streams through a stack of recurrent layers (LSTM, GRU, RNN),
// advanced one step at a time in float64, and the per-unit coefficients that the tangent
// recurrence needs at that step (DESIGN §3/§4, tangent-cells.ts). Forward cost is O(S·H²)
// per step against O(S·D·H²·E) for the tangents, so plain JS loops are fine here and
// float64 keeps the coefficients as exact as possible.
//
// Each layer's pre-activations come from one product [x | h]·P with P [in+H, PW]:
//   lstm         P = [W; U] (4H: i, f, g, o)
//   gru          P = [W_z W_r W_h 0; U_z U_r 0 U_h] (4H: z, r, xW_h, hU_h), as r multiplies hU_h + b'_h alone
//   gru-classic  P = [W_z W_r W_h; U_z U_r 0] (3H), then (r⊙h)·U_h once r is known
//   rnn-*        P = [W; U] (H)
import type { Cell, RecurrentLayerWeights, RnnLmWeights } from '../model/rnn-weights';
import { CLASSIC_COEF, GRU_COEF, LSTM_COEF, RNN_COEF, tangentCell } from './tangent-cells';
import type { GemmEngine, GemmMatrix } from './gemm-engine';

/** Keras/tfjs hard sigmoid: clip(0.2·z + 0.5, 0, 1). */
export function hardSigmoid(z: number): number {
  const y = 0.2 * z + 0.5;
  return y < 0 ? 0 : y > 1 ? 1 : y;
}

/** Its derivative as tfjs autodiff computes it: clipByValue passes the gradient where 0 ≤ y ≤ 1 (inclusive). */
export function hardSigmoidDerivative(z: number): number {
  const y = 0.2 * z + 0.5;
  return y >= 0 && y <= 1 ? 0.2 : 0;
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** ReLU's derivative as tfjs autodiff computes it (step(x): 0 at exactly 0). */
export function reluDerivative(z: number): number {
  return z > 0 ? 1 : 0;
}

/** Pre-activation width per unit. */
const PRE_WIDTH: Record<Cell, number> = { lstm: 4, gru: 4, 'gru-classic': 3, 'rnn-tanh': 1, 'rnn-relu': 1 };

export interface LayerPlan {
  cell: Cell;
  H: number;
  inSize: number;
  /** pre-activation width PW */
  PW: number;
  /** [in+H, PW] */
  P: Float32Array;
  /** [PW], float64 (the GRU's two biases summed) */
  bias: Float64Array;
  /** gru-classic: U_h [H, H] */
  Uh: Float32Array | null;
  hard: boolean;
}

/** A layer's stacked weights P [in+H, PW], biases and (gru-classic) U_h, as the forward multiplies them. */
export function planOf(l: RecurrentLayerWeights): LayerPlan {
  const { cell, units: H, inputSize: I } = l;
  const G = tangentCell(cell).gates * H;
  const PW = PRE_WIDTH[cell] * H;
  const P = new Float32Array((I + H) * PW);
  const bias = new Float64Array(PW);
  let Uh: Float32Array | null = null;
  // rows of W then U; columns [0, G) as in the kernels except where the cell splits them
  const copy = (src: Float32Array, rows: number, rowOff: number, from: number, to: number, at: number) => {
    for (let r = 0; r < rows; r++) P.set(src.subarray(r * G + from, r * G + to), (rowOff + r) * PW + at);
  };
  if (cell === 'gru') {
    copy(l.kernel, I, 0, 0, 3 * H, 0);
    copy(l.recurrentKernel, H, I, 0, 2 * H, 0);
    copy(l.recurrentKernel, H, I, 2 * H, 3 * H, 3 * H);
    const rb = l.recurrentBias;
    for (let j = 0; j < 3 * H; j++) bias[j] = l.bias[j];
    for (let j = 0; j < 2 * H; j++) bias[j] += rb ? rb[j] : 0;
    for (let j = 0; j < H; j++) bias[3 * H + j] = rb ? rb[2 * H + j] : 0;
  } else if (cell === 'gru-classic') {
    copy(l.kernel, I, 0, 0, 3 * H, 0);
    copy(l.recurrentKernel, H, I, 0, 2 * H, 0);
    Uh = new Float32Array(H * H);
    for (let r = 0; r < H; r++) Uh.set(l.recurrentKernel.subarray(r * G + 2 * H, r * G + 3 * H), r * H);
    bias.set(l.bias);
  } else {
    copy(l.kernel, I, 0, 0, G, 0);
    copy(l.recurrentKernel, H, I, 0, G, 0);
    bias.set(l.bias);
  }
  return { cell, H, inSize: I, PW, P, bias, Uh, hard: l.recurrentActivation === 'hard_sigmoid' };
}

/**
 * Forward state of S parallel streams for layers 1..depth, starting at zero. Without an
 * engine the pre-activations are float64 dot products (exact reference); with one, a step
 * is one [S, in+H]·[in+H, PW] GEMM per layer (float32, as tfjs itself computes the cells;
 * gru-classic adds an [S, H]·[H, H] one), which keeps the forward at ~1% of the sweep.
 */
export class RecurrentForward {
  readonly depth: number;
  readonly streams: number;
  /** h per layer, [S, H_m], after the last step */
  readonly h: Float64Array[];
  /** c per layer, [S, H_m] (LSTM layers; empty for the others) */
  readonly c: Float64Array[];
  /** coefficients of the last step per layer, [S, coefRows, H_m] (tangent-cells.ts) */
  readonly coef: Float64Array[];
  private readonly plans: LayerPlan[];
  /** pre-activations of one stream */
  private readonly z: Float64Array;
  /** gru-classic: r⊙h_prev of one stream, then (r⊙h_prev)·U_h */
  private readonly rh: Float64Array;
  private readonly rhU: Float64Array;
  private readonly gemm: { inputs: GemmMatrix[]; weights: GemmMatrix[]; uh: (GemmMatrix | null)[] } | null = null;

  constructor(
    private readonly weights: RnnLmWeights,
    depth: number,
    streams: number,
    private readonly engine: GemmEngine | null = null,
  ) {
    this.depth = depth;
    this.streams = streams;
    this.plans = weights.layers.slice(0, depth).map(planOf);
    this.h = this.plans.map((p) => new Float64Array(streams * p.H));
    this.c = this.plans.map((p) => new Float64Array(p.cell === 'lstm' ? streams * p.H : 0));
    this.coef = this.plans.map((p) => new Float64Array(streams * tangentCell(p.cell).coefRows * p.H));
    const maxH = Math.max(...this.plans.map((p) => p.H));
    this.z = new Float64Array(4 * maxH);
    this.rh = new Float64Array(streams * maxH);
    this.rhU = new Float64Array(streams * maxH);
    if (engine) {
      const matrixOf = (a: Float32Array, rows: number, cols: number) => {
        const w = engine.matrix(rows, cols);
        w.array().set(a, w.base);
        return w;
      };
      this.gemm = {
        inputs: this.plans.map((p) => engine.matrix(streams, p.inSize + p.H)),
        weights: this.plans.map((p) => matrixOf(p.P, p.inSize + p.H, p.PW)),
        uh: this.plans.map((p) => (p.Uh ? matrixOf(p.Uh, p.H, p.H) : null)),
      };
    }
  }

  dispose(): void {
    if (!this.gemm || !this.engine) return;
    for (const m of [...this.gemm.inputs, ...this.gemm.weights, ...this.gemm.uh]) if (m) this.engine.release(m);
  }

  /** Zero state for every stream (start of a stream). */
  reset(): void {
    for (const a of this.h) a.fill(0);
    for (const a of this.c) a.fill(0);
  }

  /** Advances every stream by one token; tokens[b] is stream b's token at this step. */
  step(tokens: ArrayLike<number>): void {
    const { embedding, embeddingDim: E } = this.weights;
    if (this.gemm && this.engine) {
      for (let m = 0; m < this.depth; m++) this.stepLayerGemm(m, tokens, this.gemm, this.engine);
      return;
    }
    for (let b = 0; b < this.streams; b++) {
      this.stepLayer(0, b, embedding, tokens[b] * E);
      for (let m = 1; m < this.depth; m++) this.stepLayer(m, b, this.h[m - 1], b * this.plans[m].inSize);
    }
  }

  private stepLayerGemm(m: number, tokens: ArrayLike<number>, gemm: NonNullable<RecurrentForward['gemm']>, engine: GemmEngine): void {
    const { embedding, embeddingDim: E } = this.weights;
    const p = this.plans[m];
    const K = p.inSize + p.H;
    const inp = gemm.inputs[m];
    const a = inp.array();
    for (let b = 0; b < this.streams; b++) {
      const row = inp.base + b * K;
      if (m === 0) a.set(embedding.subarray(tokens[b] * E, tokens[b] * E + E), row);
      else a.set(this.h[m - 1].subarray(b * p.inSize, (b + 1) * p.inSize), row);
      a.set(this.h[m].subarray(b * p.H, (b + 1) * p.H), row + p.inSize);
    }
    const out = engine.multiply(inp, gemm.weights[m]);
    const o = out.array();
    const z = this.z;
    const uh = gemm.uh[m];
    for (let b = 0; b < this.streams; b++) {
      const ob = out.base + b * p.PW;
      for (let j = 0; j < p.PW; j++) z[j] = o[ob + j] + p.bias[j];
      if (uh) this.resetProduct(m, b);
      else this.gates(m, b);
    }
    engine.releaseOutput();
    if (!uh) return;
    // gru-classic: (r⊙h)·U_h for every stream in one more GEMM, then the rest of the gates
    const rIn = engine.matrix(this.streams, p.H);
    const ra = rIn.array();
    for (let i = 0; i < this.streams * p.H; i++) ra[rIn.base + i] = this.rh[i];
    const y = engine.multiply(rIn, uh);
    const ya = y.array();
    for (let i = 0; i < this.streams * p.H; i++) this.rhU[i] = ya[y.base + i];
    engine.releaseOutput();
    engine.release(rIn);
    for (let b = 0; b < this.streams; b++) this.classicGates(m, b);
  }

  /** float64 pre-activations of one stream and layer into this.z, then the gates. */
  private stepLayer(m: number, b: number, x: ArrayLike<number>, xOff: number): void {
    const p = this.plans[m];
    const { H, PW, P, inSize } = p;
    const z = this.z;
    for (let j = 0; j < PW; j++) z[j] = p.bias[j];
    for (let i = 0; i < inSize; i++) {
      const v = x[xOff + i];
      if (v === 0) continue;
      const wo = i * PW;
      for (let j = 0; j < PW; j++) z[j] += v * P[wo + j];
    }
    const h = this.h[m];
    const hb = b * H;
    for (let i = 0; i < H; i++) {
      const v = h[hb + i];
      if (v === 0) continue;
      const uo = (inSize + i) * PW;
      for (let j = 0; j < PW; j++) z[j] += v * P[uo + j];
    }
    if (!p.Uh) {
      this.gates(m, b);
      return;
    }
    this.resetProduct(m, b);
    const Uh = p.Uh;
    const rh = this.rh;
    const rhU = this.rhU;
    for (let k = 0; k < H; k++) rhU[hb + k] = 0;
    for (let i = 0; i < H; i++) {
      const v = rh[hb + i];
      if (v === 0) continue;
      for (let k = 0; k < H; k++) rhU[hb + k] += v * Uh[i * H + k];
    }
    this.classicGates(m, b);
  }

  /** New state and coefficients of stream b, layer m, from the pre-activations in this.z. */
  private gates(m: number, b: number): void {
    const p = this.plans[m];
    const H = p.H;
    const z = this.z;
    const h = this.h[m];
    const hb = b * H;
    const coef = this.coef[m];
    if (p.cell === 'lstm') {
      const c = this.c[m];
      const cb = b * 6 * H;
      for (let k = 0; k < H; k++) {
        const zi = z[k];
        const zf = z[H + k];
        const zg = z[2 * H + k];
        const zo = z[3 * H + k];
        const ig = act(zi, p.hard);
        const fg = act(zf, p.hard);
        const gg = Math.tanh(zg);
        const og = act(zo, p.hard);
        const cPrev = c[hb + k];
        const cNew = fg * cPrev + ig * gg;
        const tc = Math.tanh(cNew);
        coef[cb + LSTM_COEF.f * H + k] = fg;
        coef[cb + LSTM_COEF.ai * H + k] = gg * actDerivative(zi, ig, p.hard);
        coef[cb + LSTM_COEF.af * H + k] = cPrev * actDerivative(zf, fg, p.hard);
        coef[cb + LSTM_COEF.ag * H + k] = ig * (1 - gg * gg);
        coef[cb + LSTM_COEF.ao * H + k] = tc * actDerivative(zo, og, p.hard);
        coef[cb + LSTM_COEF.q * H + k] = og * (1 - tc * tc);
        c[hb + k] = cNew;
        h[hb + k] = og * tc;
      }
    } else if (p.cell === 'gru') {
      const cb = b * 5 * H;
      for (let k = 0; k < H; k++) {
        const zz = act(z[k], p.hard);
        const rr = act(z[H + k], p.hard);
        const hn = z[3 * H + k];
        const hh = Math.tanh(z[2 * H + k] + rr * hn);
        const hPrev = h[hb + k];
        const cx = (1 - zz) * (1 - hh * hh);
        coef[cb + GRU_COEF.cz * H + k] = (hPrev - hh) * actDerivative(z[k], zz, p.hard);
        coef[cb + GRU_COEF.cr * H + k] = cx * hn * actDerivative(z[H + k], rr, p.hard);
        coef[cb + GRU_COEF.cx * H + k] = cx;
        coef[cb + GRU_COEF.ch * H + k] = cx * rr;
        coef[cb + GRU_COEF.z * H + k] = zz;
        h[hb + k] = zz * hPrev + (1 - zz) * hh;
      }
    } else {
      const relu = p.cell === 'rnn-relu';
      const cb = b * H;
      for (let k = 0; k < H; k++) {
        const pre = z[k];
        const y = relu ? Math.max(0, pre) : Math.tanh(pre);
        coef[cb + RNN_COEF.a * H + k] = relu ? reluDerivative(pre) : 1 - y * y;
        h[hb + k] = y;
      }
    }
  }

  /** gru-classic, first half: z and r of stream b from this.z, kept with r⊙h_prev for the product. */
  private resetProduct(m: number, b: number): void {
    const p = this.plans[m];
    const H = p.H;
    const z = this.z;
    const h = this.h[m];
    const hb = b * H;
    const coef = this.coef[m];
    const cb = b * 5 * H;
    for (let k = 0; k < H; k++) {
      const zz = act(z[k], p.hard);
      const rr = act(z[H + k], p.hard);
      const hPrev = h[hb + k];
      coef[cb + CLASSIC_COEF.z * H + k] = zz;
      coef[cb + CLASSIC_COEF.r * H + k] = rr;
      coef[cb + CLASSIC_COEF.q * H + k] = actDerivative(z[H + k], rr, p.hard) * hPrev;
      // cz and cx need ĥ: kept here as z's derivative and x·W_h + b_h until classicGates
      coef[cb + CLASSIC_COEF.cz * H + k] = actDerivative(z[k], zz, p.hard);
      coef[cb + CLASSIC_COEF.cx * H + k] = z[2 * H + k];
      this.rh[hb + k] = rr * hPrev;
    }
  }

  /** gru-classic, second half: ĥ = tanh(x·W_h + b_h + (r⊙h)·U_h), the new h, cz and cx. */
  private classicGates(m: number, b: number): void {
    const H = this.plans[m].H;
    const h = this.h[m];
    const hb = b * H;
    const coef = this.coef[m];
    const cb = b * 5 * H;
    for (let k = 0; k < H; k++) {
      const zz = coef[cb + CLASSIC_COEF.z * H + k];
      const hh = Math.tanh(coef[cb + CLASSIC_COEF.cx * H + k] + this.rhU[hb + k]);
      const hPrev = h[hb + k];
      coef[cb + CLASSIC_COEF.cz * H + k] *= hPrev - hh;
      coef[cb + CLASSIC_COEF.cx * H + k] = (1 - zz) * (1 - hh * hh);
      h[hb + k] = zz * hPrev + (1 - zz) * hh;
    }
  }
}

function act(z: number, hard: boolean): number {
  return hard ? hardSigmoid(z) : sigmoid(z);
}

/** σ'(z) given σ(z) = y. */
function actDerivative(z: number, y: number, hard: boolean): number {
  return hard ? hardSigmoidDerivative(z) : y * (1 - y);
}
