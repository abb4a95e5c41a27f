// The output layer of a batch of rows and its loss −log p(target): one GEMM [rows, H+1]·[H+1, V]
// (the bias is the last row of the right-hand side against a column of ones, so the product
// is the logits), then a numerically stable log-softmax per row accumulated in float64.
// At V = 10k the V-way rows cost several times a cell step, so they are always batched.
import type { RnnLmWeights } from '../model/rnn-weights';
import type { GemmEngine, GemmMatrix } from '../gradients/gemm-engine';
import { WasmGemmEngine } from '../gradients/wasm-gemm-engine';
import { createRowLogSumExp, type RowLogSumExp } from './wasm-row-loss';

export class OutputLosses {
  readonly vocabSize: number;
  readonly hidden: number;
  private readonly weights: GemmMatrix;
  /** left-hand sides by row count (the last windows of a stream have fewer live rows) */
  private readonly inputs = new Map<number, GemmMatrix>();
  /** rows computed so far (the work report counts them) */
  rows = 0;
  /** on the wasm engine: the SIMD log-sum-exp, in place in the heap, and its one float of scratch */
  private readonly lse: RowLogSumExp | null = null;
  private readonly scratch: GemmMatrix | null = null;

  constructor(
    w: RnnLmWeights,
    private readonly engine: GemmEngine,
  ) {
    const H = w.layers[w.layers.length - 1].units;
    const V = w.vocabSize;
    this.hidden = H;
    this.vocabSize = V;
    const m = engine.matrix(H + 1, V);
    const a = m.array();
    a.set(w.outputKernel.subarray(0, H * V), m.base);
    a.set(w.outputBias.subarray(0, V), m.base + H * V);
    this.weights = m;
    if (engine instanceof WasmGemmEngine) {
      this.scratch = engine.matrix(1, 4);
      this.lse = createRowLogSumExp(engine.memory, this.scratch.base * 4);
    }
  }

  private input(rows: number): GemmMatrix {
    let m = this.inputs.get(rows);
    if (!m) {
      m = this.engine.matrix(rows, this.hidden + 1);
      this.inputs.set(rows, m);
    }
    return m;
  }

  /**
   * out[r] = −log p(targets[r] | h row r) for r < rows, where h is [≥ rows, H] (float64, the top
   * layer's state). Rows whose target is negative are skipped (out[r] left as is).
   */
  losses(h: Float64Array, rows: number, targets: ArrayLike<number>, out: Float64Array): void {
    if (rows === 0) return;
    const H = this.hidden;
    const V = this.vocabSize;
    const K = H + 1;
    const inp = this.input(rows);
    const a = inp.array();
    for (let r = 0; r < rows; r++) {
      const o = inp.base + r * K;
      for (let k = 0; k < H; k++) a[o + k] = h[r * H + k];
      a[o + H] = 1;
    }
    const logits = this.engine.multiply(inp, this.weights);
    const z = logits.array();
    const lse = this.lse;
    for (let r = 0; r < rows; r++) {
      const y = targets[r];
      if (y < 0) continue;
      const o = logits.base + r * V;
      out[r] = lse ? lse(o * 4, V) - z[o + y] : rowLoss(z, o, V, y);
    }
    this.engine.releaseOutput();
    this.rows += rows;
  }

  dispose(): void {
    for (const m of this.inputs.values()) this.engine.release(m);
    this.inputs.clear();
    this.engine.release(this.weights);
    if (this.scratch) this.engine.release(this.scratch);
  }
}

/** −log softmax(z[o .. o+V))[y] = max + log Σ exp(z − max) − z_y, in float64. */
export function rowLoss(z: ArrayLike<number>, o: number, V: number, y: number): number {
  let max = -Infinity;
  for (let v = o; v < o + V; v++) if (z[v] > max) max = z[v];
  let sum = 0;
  for (let v = o; v < o + V; v++) sum += Math.exp(z[v] - max);
  return max + Math.log(sum) - z[o + y];
}
