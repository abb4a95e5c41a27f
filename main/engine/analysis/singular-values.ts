// Singular values only, fast. The classes, words and groups of a run need σ₁ and Σσ (all
// singular values) for every delay: thousands of SVDs for a large model. This is the
// Golub–Kahan–Reinsch algorithm exactly as in ml-matrix (a JAMA port) with the vectors
// dropped, on one flat Float64Array with its loops ordered for sequential memory access,
// which makes it several times faster than ml-matrix's values-only path. Tests check it
// against ml-matrix.
import { type Mat, checkMat } from './matrix';

/** All min(rows, cols) singular values of g, descending. */
export function singularValues(g: Mat): Float64Array {
  checkMat(g, 'Ḡ');
  // Work on A (m × n, m ≥ n) held transposed: at[j·m + i] = A[i][j], so that a column of A
  // is a contiguous run. The singular values of gᵀ are those of g.
  const tall = g.rows >= g.cols;
  const m = tall ? g.rows : g.cols;
  const n = tall ? g.cols : g.rows;
  const at = new Float64Array(m * n);
  if (tall) {
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) at[j * m + i] = g.data[i * n + j];
  } else {
    at.set(g.data);
  }
  for (let i = 0; i < at.length; i++) {
    if (!Number.isFinite(at[i])) throw new Error('Ḡ contains a non-finite value');
  }

  const s = new Float64Array(n);
  const e = new Float64Array(n);
  const work = new Float64Array(m);
  const nct = Math.min(m - 1, n);
  const nrt = Math.max(0, Math.min(n - 2, m));
  const mrc = Math.max(nct, nrt);

  // Householder bidiagonalisation.
  for (let k = 0; k < mrc; k++) {
    const ck = k * m;
    if (k < nct) {
      s[k] = norm(at, ck + k, ck + m);
      if (s[k] !== 0) {
        if (at[ck + k] < 0) s[k] = -s[k];
        const inv = s[k];
        for (let i = ck + k; i < ck + m; i++) at[i] /= inv;
        at[ck + k] += 1;
      }
      s[k] = -s[k];
    }
    for (let j = k + 1; j < n; j++) {
      const cj = j * m;
      if (k < nct && s[k] !== 0) {
        let t = 0;
        for (let i = k; i < m; i++) t += at[ck + i] * at[cj + i];
        t = -t / at[ck + k];
        for (let i = k; i < m; i++) at[cj + i] += t * at[ck + i];
      }
      e[j] = at[cj + k];
    }
    if (k < nrt) {
      e[k] = norm(e, k + 1, n);
      if (e[k] !== 0) {
        if (e[k + 1] < 0) e[k] = -e[k];
        const inv = e[k];
        for (let i = k + 1; i < n; i++) e[i] /= inv;
        e[k + 1] += 1;
      }
      e[k] = -e[k];
      if (k + 1 < m && e[k] !== 0) {
        work.fill(0, k + 1, m);
        for (let j = k + 1; j < n; j++) {
          const ej = e[j];
          const cj = j * m;
          for (let i = k + 1; i < m; i++) work[i] += ej * at[cj + i];
        }
        for (let j = k + 1; j < n; j++) {
          const t = -e[j] / e[k + 1];
          const cj = j * m;
          for (let i = k + 1; i < m; i++) at[cj + i] += t * work[i];
        }
      }
    }
  }
  let p = n; // min(n, m + 1) with m ≥ n
  if (nct < n) s[nct] = at[nct * m + nct];
  if (nrt + 1 < p) e[nrt] = at[(p - 1) * m + nrt];
  e[p - 1] = 0;

  // Implicit-shift QR on the bidiagonal (s on the diagonal, e above it).
  const eps = Number.EPSILON;
  while (p > 0) {
    let k: number;
    let kase: number;
    for (k = p - 2; k >= 0; k--) {
      const alpha = Number.MIN_VALUE + eps * Math.abs(s[k] + Math.abs(s[k + 1]));
      if (Math.abs(e[k]) <= alpha || Number.isNaN(e[k])) {
        e[k] = 0;
        break;
      }
    }
    if (k === p - 2) {
      kase = 4;
    } else {
      let ks: number;
      for (ks = p - 1; ks > k; ks--) {
        const t = (ks !== p ? Math.abs(e[ks]) : 0) + (ks !== k + 1 ? Math.abs(e[ks - 1]) : 0);
        if (Math.abs(s[ks]) <= eps * t) {
          s[ks] = 0;
          break;
        }
      }
      if (ks === k) kase = 3;
      else if (ks === p - 1) kase = 1;
      else {
        kase = 2;
        k = ks;
      }
    }
    k++;

    if (kase === 1) {
      // Deflate a negligible s[p−1].
      let f = e[p - 2];
      e[p - 2] = 0;
      for (let j = p - 2; j >= k; j--) {
        const t = Math.hypot(s[j], f);
        const cs = s[j] / t;
        const sn = f / t;
        s[j] = t;
        if (j !== k) {
          f = -sn * e[j - 1];
          e[j - 1] = cs * e[j - 1];
        }
      }
    } else if (kase === 2) {
      // Split at a negligible s[k].
      let f = e[k - 1];
      e[k - 1] = 0;
      for (let j = k; j < p; j++) {
        const t = Math.hypot(s[j], f);
        const cs = s[j] / t;
        const sn = f / t;
        s[j] = t;
        f = -sn * e[j];
        e[j] = cs * e[j];
      }
    } else if (kase === 3) {
      // One QR step with the Wilkinson-type shift.
      const scale = Math.max(Math.abs(s[p - 1]), Math.abs(s[p - 2]), Math.abs(e[p - 2]), Math.abs(s[k]), Math.abs(e[k]));
      const sp = s[p - 1] / scale;
      const spm1 = s[p - 2] / scale;
      const epm1 = e[p - 2] / scale;
      const sk = s[k] / scale;
      const ek = e[k] / scale;
      const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
      const c = sp * epm1 * (sp * epm1);
      let shift = 0;
      if (b !== 0 || c !== 0) {
        shift = b < 0 ? -Math.sqrt(b * b + c) : Math.sqrt(b * b + c);
        shift = c / (b + shift);
      }
      let f = (sk + sp) * (sk - sp) + shift;
      let g2 = sk * ek;
      for (let j = k; j < p - 1; j++) {
        let t = Math.hypot(f, g2);
        if (t === 0) t = Number.MIN_VALUE;
        let cs = f / t;
        let sn = g2 / t;
        if (j !== k) e[j - 1] = t;
        f = cs * s[j] + sn * e[j];
        e[j] = cs * e[j] - sn * s[j];
        g2 = sn * s[j + 1];
        s[j + 1] = cs * s[j + 1];
        t = Math.hypot(f, g2);
        if (t === 0) t = Number.MIN_VALUE;
        cs = f / t;
        sn = g2 / t;
        s[j] = t;
        f = cs * e[j] + sn * s[j + 1];
        s[j + 1] = -sn * e[j] + cs * s[j + 1];
        g2 = sn * e[j + 1];
        e[j + 1] = cs * e[j + 1];
      }
      e[p - 2] = f;
    } else {
      // Convergence: make s[k] non-negative, and move it into descending order.
      if (s[k] <= 0) s[k] = s[k] < 0 ? -s[k] : 0;
      while (k < n - 1 && s[k] < s[k + 1]) {
        const t = s[k];
        s[k] = s[k + 1];
        s[k + 1] = t;
        k++;
      }
      p--;
    }
  }
  return s.sort().reverse();
}

/** 2-norm of a[from..to) with scaling (Householder vectors span many magnitudes). */
function norm(a: Float64Array, from: number, to: number): number {
  let scale = 0;
  for (let i = from; i < to; i++) {
    const v = Math.abs(a[i]);
    if (v > scale) scale = v;
  }
  if (scale === 0) return 0;
  let sum = 0;
  for (let i = from; i < to; i++) {
    const v = a[i] / scale;
    sum += v * v;
  }
  return scale * Math.sqrt(sum);
}
