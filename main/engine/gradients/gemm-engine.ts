// The one heavy primitive of the sweep: out[rows, n] = a[rows, k] · w[k, n]. The caller
// fills `a` and `w` in place (they are buffers of the engine's BufferSpace) and reads
// `out` in place. The wasm engine (wasm-gemm-engine.ts) keeps all three in the wasm heap;
// the engines here keep them in JS and, for tfjs backends, copy in and out per multiply.
import * as tf from '@tensorflow/tfjs';
import { JsSpace, jsF32, type BufferSpace, type F32Buf } from './buffers';

/** A [rows, k] matrix (GEMM left side) or a [k, n] one (right side) the caller fills. */
export interface GemmMatrix extends F32Buf {
  readonly rows: number;
  readonly cols: number;
}

export interface GemmEngine {
  readonly name: string;
  readonly space: BufferSpace;
  /** Uninitialised [rows, cols]; release() it when done. */
  matrix(rows: number, cols: number): GemmMatrix;
  /** a · w, valid until the next multiply() or releaseOutput(). */
  multiply(a: GemmMatrix, w: GemmMatrix): F32Buf;
  releaseOutput(): void;
  release(m: GemmMatrix): void;
  dispose(): void;
}

class JsMatrix implements GemmMatrix {
  readonly heap = false;
  readonly base = 0;
  readonly data: Float32Array;
  constructor(
    readonly rows: number,
    readonly cols: number,
  ) {
    this.data = new Float32Array(rows * cols);
  }
  get length(): number {
    return this.data.length;
  }
  array(): Float32Array {
    return this.data;
  }
}

/** Plain-JS reference GEMM (float64 dot products): tiny problems and tests only. */
export class JsGemmEngine implements GemmEngine {
  readonly name = 'js (reference loops)';
  readonly space = new JsSpace();
  private out = new Float32Array(0);

  matrix(rows: number, cols: number): GemmMatrix {
    return new JsMatrix(rows, cols);
  }
  multiply(a: GemmMatrix, w: GemmMatrix): F32Buf {
    const { data: A, rows, cols: k } = a as JsMatrix;
    const { data: W, cols: n } = w as JsMatrix;
    if (this.out.length < rows * n) this.out = new Float32Array(rows * n);
    const out = this.out;
    const acc = new Float64Array(n);
    for (let r = 0; r < rows; r++) {
      acc.fill(0);
      for (let i = 0; i < k; i++) {
        const v = A[r * k + i];
        if (v === 0) continue;
        const wo = i * n;
        for (let j = 0; j < n; j++) acc[j] += v * W[wo + j];
      }
      for (let j = 0; j < n; j++) out[r * n + j] = acc[j];
    }
    return jsF32(out);
  }
  releaseOutput(): void {}
  release(): void {}
  dispose(): void {}
}

/** Any tfjs backend (cpu, tensorflow): matrices live in JS and are copied per multiply. */
export class TfCopyGemmEngine implements GemmEngine {
  readonly name: string;
  readonly space = new JsSpace();

  constructor() {
    this.name = `tfjs ${tf.getBackend()} matMul (copying)`;
  }
  matrix(rows: number, cols: number): GemmMatrix {
    return new JsMatrix(rows, cols);
  }
  multiply(a: GemmMatrix, w: GemmMatrix): F32Buf {
    const A = a as JsMatrix;
    const W = w as JsMatrix;
    const out = tf.tidy(() =>
      tf.matMul(tf.tensor2d(A.data, [A.rows, A.cols]), tf.tensor2d(W.data, [W.rows, W.cols])).dataSync(),
    ) as Float32Array;
    return jsF32(out);
  }
  releaseOutput(): void {}
  release(_m: GemmMatrix): void {}
  dispose(): void {}
}
