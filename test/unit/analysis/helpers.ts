// Test-side constructions, independent of the code under test: a seeded generator, Gaussian
// draws, Gram–Schmidt orthonormal bases and Ḡ = U·diag(s)·Vᵀ.

export function rng(seed: number): () => number {
  // xorshift32: different from the engine's generator on purpose.
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

export function gaussian(rand: () => number): () => number {
  return () => {
    const u = Math.max(rand(), 1e-300);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
}

/** k orthonormal vectors of length n (modified Gram–Schmidt on Gaussian vectors, applied twice). */
export function orthonormal(n: number, k: number, rand: () => number): Float64Array[] {
  const g = gaussian(rand);
  const out: Float64Array[] = [];
  while (out.length < k) {
    const v = Float64Array.from({ length: n }, () => g());
    for (let pass = 0; pass < 2; pass++) {
      for (const q of out) {
        const p = dotT(q, v);
        for (let i = 0; i < n; i++) v[i] -= p * q[i];
      }
    }
    const nv = Math.sqrt(dotT(v, v));
    for (let i = 0; i < n; i++) v[i] /= nv;
    out.push(v);
  }
  return out;
}

export function dotT(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function normT(a: ArrayLike<number>): number {
  return Math.sqrt(dotT(a, a));
}

/** Row-major Σ_k s_k u_k v_kᵀ, shape [u.length, v.length]. */
export function fromSvd(u: Float64Array[], s: number[], v: Float64Array[]): { data: Float64Array; rows: number; cols: number } {
  const rows = u[0].length;
  const cols = v[0].length;
  const data = new Float64Array(rows * cols);
  s.forEach((sk, k) => {
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * cols + j] += sk * u[k][i] * v[k][j];
  });
  return { data, rows, cols };
}

/** ‖M x‖ for row-major M. */
export function normOfProduct(m: { data: ArrayLike<number>; rows: number; cols: number }, x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < m.rows; i++) {
    let r = 0;
    for (let j = 0; j < m.cols; j++) r += m.data[i * m.cols + j] * x[j];
    s += r * r;
  }
  return Math.sqrt(s);
}
