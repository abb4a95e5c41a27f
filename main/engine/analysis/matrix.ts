// Small dense-matrix helpers shared by the analysis modules. Matrices arrive from the
// accumulation engine as flat row-major Float32Array/Float64Array buffers with a shape;
// everything here computes in float64 so float32 inputs lose nothing further.
import { Matrix } from 'ml-matrix';

export type FloatArray = Float32Array | Float64Array;

/** A row-major matrix: element (i, j) is data[i * cols + j]. */
export interface Mat {
  data: FloatArray;
  rows: number;
  cols: number;
}

/** Ḡ_τ for τ = 0..delays−1 stacked as in G.npy: [delays, rows, cols], row-major. */
export interface DelayStack {
  data: FloatArray;
  delays: number;
  rows: number;
  cols: number;
}

export function checkMat(m: Mat, what = 'matrix'): void {
  if (!Number.isInteger(m.rows) || !Number.isInteger(m.cols) || m.rows <= 0 || m.cols <= 0) {
    throw new Error(`${what}: shape [${m.rows}, ${m.cols}] is not a positive integer shape`);
  }
  if (m.data.length !== m.rows * m.cols) {
    throw new Error(`${what}: ${m.data.length} values do not fill shape [${m.rows}, ${m.cols}]`);
  }
}

export function checkStack(s: DelayStack, what = 'delay stack'): void {
  if (!Number.isInteger(s.delays) || s.delays <= 0) throw new Error(`${what}: needs at least one delay`);
  checkMat({ data: s.data.subarray(0, s.rows * s.cols), rows: s.rows, cols: s.cols }, what);
  if (s.data.length !== s.delays * s.rows * s.cols) {
    throw new Error(`${what}: ${s.data.length} values do not fill shape [${s.delays}, ${s.rows}, ${s.cols}]`);
  }
}

/** The τ-th matrix of a stack, as a view (no copy). */
export function delayMatrix(s: DelayStack, tau: number): Mat {
  if (tau < 0 || tau >= s.delays) throw new RangeError(`delay ${tau} is outside 0..${s.delays - 1}`);
  const n = s.rows * s.cols;
  return { data: s.data.subarray(tau * n, (tau + 1) * n), rows: s.rows, cols: s.cols };
}

/** Stacks per-delay matrices of one shape into a DelayStack (copies into float64). */
export function stackDelays(mats: Mat[]): DelayStack {
  if (mats.length === 0) throw new Error('no matrices to stack');
  const { rows, cols } = mats[0];
  const data = new Float64Array(mats.length * rows * cols);
  mats.forEach((m, t) => {
    checkMat(m, `delay ${t}`);
    if (m.rows !== rows || m.cols !== cols) {
      throw new Error(`delay ${t} has shape [${m.rows}, ${m.cols}], expected [${rows}, ${cols}]`);
    }
    data.set(m.data, t * rows * cols);
  });
  return { data, delays: mats.length, rows, cols };
}

export function toMlMatrix(m: Mat): Matrix {
  checkMat(m);
  const out = new Matrix(m.rows, m.cols);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) out.set(i, j, m.data[i * m.cols + j]);
  }
  return out;
}

/** y = M·x for a row-major M [rows, cols] and x of length cols. */
export function matVec(m: Mat, x: ArrayLike<number>): Float64Array {
  if (x.length !== m.cols) throw new Error(`vector of length ${x.length} does not match ${m.cols} columns`);
  const y = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    const o = i * m.cols;
    for (let j = 0; j < m.cols; j++) s += m.data[o + j] * x[j];
    y[i] = s;
  }
  return y;
}

/** A·B for row-major A [n, k] and B [k, m]; the result is float64. */
export function matMul(a: Mat, b: Mat): Mat {
  if (a.cols !== b.rows) throw new Error(`cannot multiply [${a.rows}, ${a.cols}] by [${b.rows}, ${b.cols}]`);
  const out = new Float64Array(a.rows * b.cols);
  // i-k-j order: the inner loop runs along rows of B and of the output (sequential memory).
  for (let i = 0; i < a.rows; i++) {
    const oo = i * b.cols;
    for (let k = 0; k < a.cols; k++) {
      const aik = a.data[i * a.cols + k];
      if (aik === 0) continue;
      const bo = k * b.cols;
      for (let j = 0; j < b.cols; j++) out[oo + j] += aik * b.data[bo + j];
    }
  }
  return { data: out, rows: a.rows, cols: b.cols };
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function norm2(a: ArrayLike<number>): number {
  // Scaled to avoid overflow/underflow for extreme magnitudes (gradients can be tiny).
  let scale = 0;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(a[i]));
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i] / scale;
    s += v * v;
  }
  return scale * Math.sqrt(s);
}

/** JSON has no NaN/Infinity: undefined quantities become null. */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
