// The forward LSTM state of S streams, advanced one step at a time in float64, and the
// per-unit coefficients that the tangent recurrence needs at that step (DESIGN §3/§4).
// Forward cost is O(S·H²) per step against O(S·D·H²·E) for the tangents, so plain JS
// loops are fine here and float64 keeps the coefficients as exact as possible.
import type { RecurrentLayerWeights, RnnLmWeights } from '../model/rnn-weights';
import { COEF, COEF_COUNT } from './tangent-step';
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

/**
 * Forward state of S parallel streams for layers 1..depth, starting at zero. Without an
 * engine the pre-activations are float64 dot products (exact reference); with one, a step
 * is one [S, in+H]·[in+H, 4H] GEMM per layer (float32, as tfjs itself computes the LSTM),
 * which keeps the forward at ~1% of the sweep instead of ~8% for small H.
 */
export class LstmForward {
  readonly depth: number;
  readonly streams: number;
  /** h and c per layer, [S, H_m], after the last step. */
  readonly h: Float64Array[];
  readonly c: Float64Array[];
  /** Coefficients of the last step per layer, [S, COEF_COUNT, H_m] (COEF order of tangent-step.ts). */
  readonly coef: Float64Array[];
  private readonly layers: RecurrentLayerWeights[];
  private readonly z: Float64Array;
  private readonly gemm: { inputs: GemmMatrix[]; weights: GemmMatrix[] } | null = null;

  constructor(
    private readonly weights: RnnLmWeights,
    depth: number,
    streams: number,
    private readonly engine: GemmEngine | null = null,
  ) {
    this.depth = depth;
    this.streams = streams;
    this.layers = weights.layers.slice(0, depth);
    this.h = this.layers.map((l) => new Float64Array(streams * l.units));
    this.c = this.layers.map((l) => new Float64Array(streams * l.units));
    this.coef = this.layers.map((l) => new Float64Array(streams * COEF_COUNT * l.units));
    this.z = new Float64Array(4 * Math.max(...this.layers.map((l) => l.units)));
    if (engine) {
      const weightsOf = (l: RecurrentLayerWeights) => {
        const w = engine.matrix(l.inputSize + l.units, 4 * l.units);
        const a = w.array();
        a.set(l.kernel, w.base);
        a.set(l.recurrentKernel, w.base + l.inputSize * 4 * l.units);
        return w;
      };
      this.gemm = {
        inputs: this.layers.map((l) => engine.matrix(streams, l.inputSize + l.units)),
        weights: this.layers.map(weightsOf),
      };
    }
  }

  dispose(): void {
    if (!this.gemm || !this.engine) return;
    for (const m of [...this.gemm.inputs, ...this.gemm.weights]) this.engine.release(m);
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
      for (let m = 0; m < this.depth; m++) {
        const l = this.layers[m];
        const K = l.inputSize + l.units;
        const inp = this.gemm.inputs[m];
        const a = inp.array();
        for (let b = 0; b < this.streams; b++) {
          const row = inp.base + b * K;
          if (m === 0) a.set(embedding.subarray(tokens[b] * E, tokens[b] * E + E), row);
          else a.set(this.h[m - 1].subarray(b * l.inputSize, (b + 1) * l.inputSize), row);
          a.set(this.h[m].subarray(b * l.units, (b + 1) * l.units), row + l.inputSize);
        }
        const out = this.engine.multiply(inp, this.gemm.weights[m]);
        const o = out.array();
        const z = this.z;
        for (let b = 0; b < this.streams; b++) {
          const ob = out.base + b * 4 * l.units;
          for (let j = 0; j < 4 * l.units; j++) z[j] = o[ob + j] + l.bias[j];
          this.gates(m, b);
        }
        this.engine.releaseOutput();
      }
      return;
    }
    for (let b = 0; b < this.streams; b++) {
      this.stepLayer(0, b, embedding, tokens[b] * E, E);
      for (let m = 1; m < this.depth; m++) {
        const below = this.layers[m - 1].units;
        this.stepLayer(m, b, this.h[m - 1], b * below, below);
      }
    }
  }

  /** float64 pre-activations of one stream and layer into this.z, then the gates. */
  private stepLayer(m: number, b: number, x: ArrayLike<number>, xOff: number, inSize: number): void {
    const layer = this.layers[m];
    const H = layer.units;
    const G = 4 * H;
    const { kernel: W, recurrentKernel: U, bias } = layer;
    const z = this.z;
    for (let j = 0; j < G; j++) z[j] = bias[j];
    for (let i = 0; i < inSize; i++) {
      const v = x[xOff + i];
      if (v === 0) continue;
      const wo = i * G;
      for (let j = 0; j < G; j++) z[j] += v * W[wo + j];
    }
    const h = this.h[m];
    const hb = b * H;
    for (let i = 0; i < H; i++) {
      const v = h[hb + i];
      if (v === 0) continue;
      const uo = i * G;
      for (let j = 0; j < G; j++) z[j] += v * U[uo + j];
    }
    this.gates(m, b);
  }

  /** Gates, new state and tangent coefficients of stream b, layer m, from the pre-activations in this.z. */
  private gates(m: number, b: number): void {
    const layer = this.layers[m];
    const H = layer.units;
    const hard = layer.recurrentActivation === 'hard_sigmoid';
    const z = this.z;
    const h = this.h[m];
    const c = this.c[m];
    const hb = b * H;
    const coef = this.coef[m];
    const cb = b * COEF_COUNT * H;
    for (let k = 0; k < H; k++) {
      const zi = z[k];
      const zf = z[H + k];
      const zg = z[2 * H + k];
      const zo = z[3 * H + k];
      const ig = act(zi, hard);
      const fg = act(zf, hard);
      const gg = Math.tanh(zg);
      const og = act(zo, hard);
      const cPrev = c[hb + k];
      const cNew = fg * cPrev + ig * gg;
      const tc = Math.tanh(cNew);
      coef[cb + COEF.f * H + k] = fg;
      coef[cb + COEF.ai * H + k] = gg * actDerivative(zi, ig, hard);
      coef[cb + COEF.af * H + k] = cPrev * actDerivative(zf, fg, hard);
      coef[cb + COEF.ag * H + k] = ig * (1 - gg * gg);
      coef[cb + COEF.ao * H + k] = tc * actDerivative(zo, og, hard);
      coef[cb + COEF.q * H + k] = og * (1 - tc * tc);
      c[hb + k] = cNew;
      h[hb + k] = og * tc;
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
