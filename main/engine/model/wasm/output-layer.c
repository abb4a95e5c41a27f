// The output layer of training (../output-layer-wasm.ts): the logits (h ⊙ mask)·W + b, the
// softmax cross-entropy, and the gradients dh, dW, db, for V in the thousands, where this
// layer is most of a training step. Included by gradients/wasm/kernels.c (uses its MADD,
// store8 and simd_exp4). What makes it cheaper than three plain GEMMs:
//  - dropped units (mask 0) are skipped: at the paper's dropout 0.5 half of h; by pairs of
//    rows or columns, the union of two masks (3/4 of the work; the reason for pairs is below);
//  - the [N, V] logits become the gradient G = softmax − onehot in place, the row maxima
//    taken by the GEMM as it stores them, the loss statistics and G's column sums in the
//    softmax's own passes;
//  - the products with G are blocked so that their operands stay in cache, and G is read in
//    16-column panels (pack_rows16) where its rows would each be a page apart.

// Lanes [0, n) of p, zeros after (n < 4); never reads past p + n.
static inline v128_t load_partial4(const float* p, int32_t n) {
  return wasm_f32x4_make(n > 0 ? p[0] : 0.0f, n > 1 ? p[1] : 0.0f, n > 2 ? p[2] : 0.0f, 0.0f);
}

// Four floats from p, or the first n of them when n < 4 (n <= 0: zeros).
static inline v128_t load4n(const float* p, int32_t n) {
  return n >= 4 ? wasm_v128_load(p) : n > 0 ? load_partial4(p, n) : wasm_f32x4_splat(0.0f);
}

// The tile of the pair kernels: two splatted values x, y times the same four vectors
// u0..u3, into two rows of accumulators a0..a3 and b0..b3.
#define MADD_PAIR(x, y, u0, u1, u2, u3, a0, a1, a2, a3, b0, b1, b2, b3) \
  do {                                                                  \
    a0 = MADD(x, u0, a0);                                               \
    a1 = MADD(x, u1, a1);                                               \
    a2 = MADD(x, u2, a2);                                               \
    a3 = MADD(x, u3, a3);                                               \
    b0 = MADD(y, u0, b0);                                               \
    b1 = MADD(y, u1, b1);                                               \
    b2 = MADD(y, u2, b2);                                               \
    b3 = MADD(y, u3, b3);                                               \
  } while (0)

// Bp = B [K, N] in panels of 16 columns (zero-padded): Bp[(p*K + k)*16 + j] = B[k, 16p + j].
EXPORT(pack_b16)
void pack_b16(const float* B, int32_t K, int32_t N, float* Bp) {
  const int32_t P = (N + 15) >> 4;
  for (int32_t p = 0; p < P; p++) {
    const int32_t c0 = 16 * p;
    float* out = Bp + p * K * 16;
    for (int32_t k = 0; k < K; k++) {
      const float* row = B + k * N + c0;
      for (int32_t j = 0; j < 16; j += 4) wasm_v128_store(out + k * 16 + j, load4n(row + j, N - c0 - j));
    }
  }
}

// Why pairs: a tile of one row needs a load of B for every multiply-add, which runs at half
// the GEMM's rate here; two rows share each load and run at its full rate. A pair works on
// the union of its rows' nonzeros: 3/4 of the dense work at dropout 0.5, the best of the
// sizes that fit V8's 16 vector registers (one row: 1/2 of the work at half the rate).

// The kept entries of A [M, K] (mask nonzero; every entry without a mask) by pairs of rows
// (2q, 2q + 1; a last odd row pairs with nothing): pair q has cnt[q] columns kept in either
// row, idx[q*K + j] (ascending), with the two rows' values A·mask at val[(q*K + j)*2] and
// val[(q*K + j)*2 + 1].
EXPORT(row_pair_nonzeros)
void row_pair_nonzeros(const float* A, const float* mask, int32_t M, int32_t K, int32_t* idx, float* val, int32_t* cnt) {
  for (int32_t m = 0; m < M; m += 2) {
    const int32_t q = m >> 1;
    const int32_t two = m + 1 < M;
    int32_t c = 0;
    for (int32_t k = 0; k < K; k++) {
      const float ma = mask ? mask[m * K + k] : 1.0f, mb = !two ? 0.0f : mask ? mask[(m + 1) * K + k] : 1.0f;
      if (ma != 0.0f || mb != 0.0f) {
        idx[q * K + c] = k;
        val[(q * K + c) * 2] = A[m * K + k] * ma;
        val[(q * K + c) * 2 + 1] = two ? A[(m + 1) * K + k] * mb : 0.0f;
        c++;
      }
    }
    cnt[q] = c;
  }
}

#define ROW_BLOCK 32

static inline float hmax4(v128_t v) {
  v = wasm_f32x4_max(v, wasm_i32x4_shuffle(v, v, 2, 3, 0, 1));
  v = wasm_f32x4_max(v, wasm_i32x4_shuffle(v, v, 1, 0, 3, 2));
  return wasm_f32x4_extract_lane(v, 0);
}

// The larger of r and the first n values at c (NaN, once seen, stays).
static inline float max_into(float r, const float* c, int32_t n) {
  for (int32_t j = 0; j < n; j++) r = c[j] > r || c[j] != c[j] ? c[j] : r;
  return r;
}

// C [M, N] = bias + A · B over A's nonzeros by pairs of rows (row_pair_nonzeros), B packed by
// pack_b16: a tile is two rows by 16 columns. Rows go in blocks so that each 16 KB panel
// serves a block of rows from L1. rowmax [M] gets each row's largest value on the way (the
// softmax then needs no pass of its own for it).
EXPORT(sparse_rows_gemm)
void sparse_rows_gemm(const int32_t* idx, const float* val, const int32_t* cnt, int32_t M, int32_t K, const float* Bp, int32_t N,
                      const float* bias, float* C, float* rowmax) {
  const int32_t P = (N + 15) >> 4;
  for (int32_t m = 0; m < M; m++) rowmax[m] = -__builtin_inff();
  for (int32_t m0 = 0; m0 < M; m0 += ROW_BLOCK) {
    const int32_t m1 = m0 + ROW_BLOCK < M ? m0 + ROW_BLOCK : M;
    for (int32_t p = 0; p < P; p++) {
      const float* b = Bp + p * K * 16;
      const int32_t c0 = 16 * p;
      const int32_t n = N - c0;
      const v128_t b0 = load4n(bias + c0, n), b1 = load4n(bias + c0 + 4, n - 4);
      const v128_t b2 = load4n(bias + c0 + 8, n - 8), b3 = load4n(bias + c0 + 12, n - 12);
      for (int32_t m = m0; m < m1; m += 2) {
        v128_t a0 = b0, a1 = b1, a2 = b2, a3 = b3, d0 = b0, d1 = b1, d2 = b2, d3 = b3;
        const int32_t q = m >> 1;
        const int32_t* ix = idx + q * K;
        const float* vv = val + q * K * 2;
        const int32_t c = cnt[q];
        for (int32_t j = 0; j < c; j++) {
          const float* r = b + ix[j] * 16;
          const v128_t x = wasm_v128_load32_splat(vv + 2 * j);
          const v128_t y = wasm_v128_load32_splat(vv + 2 * j + 1);
          const v128_t w0 = wasm_v128_load(r), w1 = wasm_v128_load(r + 4), w2 = wasm_v128_load(r + 8), w3 = wasm_v128_load(r + 12);
          MADD_PAIR(x, y, w0, w1, w2, w3, a0, a1, a2, a3, d0, d1, d2, d3);
        }
        float* out = C + m * N + c0;
        store8(out, a0, a1, n);
        store8(out + 8, a2, a3, n - 8);
        if (m + 1 < M) {
          store8(out + N, d0, d1, n);
          store8(out + N + 8, d2, d3, n - 8);
        }
        if (n >= 16) {
          const float t = hmax4(wasm_f32x4_max(wasm_f32x4_max(a0, a1), wasm_f32x4_max(a2, a3)));
          rowmax[m] = t > rowmax[m] || t != t ? t : rowmax[m];
          if (m + 1 < M) {
            const float u = hmax4(wasm_f32x4_max(wasm_f32x4_max(d0, d1), wasm_f32x4_max(d2, d3)));
            rowmax[m + 1] = u > rowmax[m + 1] || u != u ? u : rowmax[m + 1];
          }
        } else {  // the last panel's padding columns are not the row's
          rowmax[m] = max_into(rowmax[m], out, n);
          if (m + 1 < M) rowmax[m + 1] = max_into(rowmax[m + 1], out + N, n);
        }
      }
    }
  }
}

// Row by row of Z [M, N] (logits) and their maxima rowmax [M]: stats[3m] = max z,
// stats[3m + 1] = Σ exp(z − max) (float sum in float64), stats[3m + 2] = z[target]; the caller
// takes the loss max + log Σ − z_y.
// With colsum (not 0), each row also becomes G = softmax(z) − onehot(target), in place, and
// is added to colsum [N] (the bias gradient, before its scale).
EXPORT(softmax_rows)
void softmax_rows(float* Z, const float* rowmax, int32_t M, int32_t N, const int32_t* targets, double* stats, float* colsum) {
  if (colsum)
    for (int32_t v = 0; v < N; v++) colsum[v] = 0.0f;
  for (int32_t m = 0; m < M; m++) {
    float* z = Z + m * N;
    const int32_t y = targets[m];
    const float zy = z[y];
    const float mx = rowmax[m];
    int32_t v;
    const v128_t mm = wasm_f32x4_splat(mx);
    v128_t s0 = wasm_f64x2_splat(0.0), s1 = s0;
    for (v = 0; v + 4 <= N; v += 4) {
      const v128_t e = simd_exp4(wasm_f32x4_sub(wasm_v128_load(z + v), mm));
      if (colsum) wasm_v128_store(z + v, e);
      s0 = wasm_f64x2_add(s0, wasm_f64x2_promote_low_f32x4(e));
      s1 = wasm_f64x2_add(s1, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(e, e, 2, 3, 0, 1)));
    }
    double sum = wasm_f64x2_extract_lane(s0, 0) + wasm_f64x2_extract_lane(s0, 1) + wasm_f64x2_extract_lane(s1, 0) +
                 wasm_f64x2_extract_lane(s1, 1);
    for (; v < N; v++) {
      const float e = wasm_f32x4_extract_lane(simd_exp4(wasm_f32x4_splat(z[v] - mx)), 0);
      if (colsum) z[v] = e;
      sum += (double)e;
    }
    stats[3 * m] = (double)mx;
    stats[3 * m + 1] = sum;
    stats[3 * m + 2] = (double)zy;
    if (!colsum) continue;
    const float invs = (float)(1.0 / sum);
    const v128_t inv = wasm_f32x4_splat(invs);
    z[y] -= (float)sum;  // e_y − sum, so that the scaling below leaves p_y − 1 there
    for (v = 0; v + 4 <= N; v += 4) {
      const v128_t g = wasm_f32x4_mul(wasm_v128_load(z + v), inv);
      wasm_v128_store(z + v, g);
      wasm_v128_store(colsum + v, wasm_f32x4_add(wasm_v128_load(colsum + v), g));
    }
    for (; v < N; v++) {
      z[v] *= invs;
      colsum[v] += z[v];
    }
  }
}

static inline float hsum4(v128_t v) {
  return wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1) + wasm_f32x4_extract_lane(v, 2) + wasm_f32x4_extract_lane(v, 3);
}

#define VB 512

// dh [M, K] = scale · mask ⊙ (G · Wᵀ) (no mask: ones), G [M, N] and W [K, N] row-major,
// computed only at the columns row_pair_nonzeros listed for each pair of rows (the others
// are zero): the gradient of a dropped-out unit is never formed. For a pair of rows and four
// of its columns, eight dot products run over a block of VB columns of G and W at once, two
// loads of G and four of W for eight multiply-adds (the GEMM's ratio); a block of all of W's
// rows (K·VB floats) stays in L2 while every pair passes. dh holds the partial sums between
// blocks.
EXPORT(sparse_dh)
void sparse_dh(const int32_t* idx, const int32_t* cnt, int32_t M, int32_t K, const float* G, const float* W, int32_t N, float* dh, float scale,
               const float* mask) {
  for (int32_t i = 0; i < M * K; i++) dh[i] = 0.0f;
  for (int32_t v0 = 0; v0 < N; v0 += VB) {
    const int32_t v1 = v0 + VB < N ? v0 + VB : N;
    const int32_t v4 = v0 + ((v1 - v0) & ~3);
    for (int32_t m = 0; m < M; m += 2) {
      const int32_t q = m >> 1;
      const int32_t two = m + 1 < M;
      const float* g0 = G + m * N;
      const float* g1 = two ? g0 + N : g0;
      float* d0 = dh + m * K;
      float* d1 = two ? d0 + K : d0;  // a last odd row computes a second row it does not keep
      const int32_t* ix = idx + q * K;
      const int32_t c = cnt[q];
      for (int32_t j = 0; j < c; j += 4) {
        const int32_t n = c - j < 4 ? c - j : 4;
        const int32_t k0 = ix[j], k1 = n > 1 ? ix[j + 1] : k0, k2 = n > 2 ? ix[j + 2] : k0, k3 = n > 3 ? ix[j + 3] : k0;
        const float *w0 = W + k0 * N, *w1 = W + k1 * N, *w2 = W + k2 * N, *w3 = W + k3 * N;
        v128_t a0 = wasm_f32x4_splat(0.0f), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        for (int32_t v = v0; v < v4; v += 4) {
          const v128_t x = wasm_v128_load(g0 + v), y = wasm_v128_load(g1 + v);
          const v128_t u0 = wasm_v128_load(w0 + v), u1 = wasm_v128_load(w1 + v), u2 = wasm_v128_load(w2 + v), u3 = wasm_v128_load(w3 + v);
          MADD_PAIR(x, y, u0, u1, u2, u3, a0, a1, a2, a3, b0, b1, b2, b3);
        }
        float s0 = hsum4(a0), s1 = hsum4(a1), s2 = hsum4(a2), s3 = hsum4(a3);
        float t0 = hsum4(b0), t1 = hsum4(b1), t2 = hsum4(b2), t3 = hsum4(b3);
        for (int32_t v = v4; v < v1; v++) {
          s0 += g0[v] * w0[v], s1 += g0[v] * w1[v], s2 += g0[v] * w2[v], s3 += g0[v] * w3[v];
          t0 += g1[v] * w0[v], t1 += g1[v] * w1[v], t2 += g1[v] * w2[v], t3 += g1[v] * w3[v];
        }
        d0[k0] += s0;
        if (two) d1[k0] += t0;
        if (n > 1) {
          d0[k1] += s1;
          if (two) d1[k1] += t1;
        }
        if (n > 2) {
          d0[k2] += s2;
          if (two) d1[k2] += t2;
        }
        if (n > 3) {
          d0[k3] += s3;
          if (two) d1[k3] += t3;
        }
      }
    }
  }
  for (int32_t i = 0; i < M * K; i++) dh[i] *= mask ? scale * mask[i] : scale;
}

// The nonzeros of A·mask [M, K] (A without a mask) by pairs of columns (2q, 2q + 1; a last
// odd column pairs with zeros): pair q has cnt[q] rows where either column is nonzero,
// idx[q*M + j] (ascending), with the two columns' values at val[(q*M + j)*2] and
// val[(q*M + j)*2 + 1].
EXPORT(col_pair_nonzeros)
void col_pair_nonzeros(const float* A, const float* mask, int32_t M, int32_t K, int32_t* idx, float* val, int32_t* cnt) {
  const int32_t Q = (K + 1) >> 1;
  for (int32_t q = 0; q < Q; q++) cnt[q] = 0;
  for (int32_t m = 0; m < M; m++) {
    for (int32_t q = 0; q < Q; q++) {
      const int32_t i = m * K + 2 * q;
      const float a = A[i] * (mask ? mask[i] : 1.0f);
      const float b = 2 * q + 1 < K ? A[i + 1] * (mask ? mask[i + 1] : 1.0f) : 0.0f;
      if (a != 0.0f || b != 0.0f) {
        const int32_t j = cnt[q]++;
        idx[q * M + j] = m;
        val[(q * M + j) * 2] = a;
        val[(q * M + j) * 2 + 1] = b;
      }
    }
  }
}

// Gp = the whole 16-column panels of G [M, N], each panel's rows together:
// Gp[(p*M + m)*16 + j] = G[m, 16p + j] for p < N / 16 (the last N % 16 columns are not packed).
// Row-major, the rows of one panel are N floats apart: a page each, more than the TLB holds.
// (Written here rather than by softmax_rows: scattered 64-byte stores there cost more.)
EXPORT(pack_rows16)
void pack_rows16(const float* G, int32_t M, int32_t N, float* Gp) {
  const int32_t P16 = N >> 4;
  for (int32_t m = 0; m < M; m++) {
    const float* row = G + m * N;
    for (int32_t p = 0; p < P16; p++) {
      float* out = Gp + (p * M + m) * 16;
      wasm_v128_store(out, wasm_v128_load(row + 16 * p));
      wasm_v128_store(out + 4, wasm_v128_load(row + 16 * p + 4));
      wasm_v128_store(out + 8, wasm_v128_load(row + 16 * p + 8));
      wasm_v128_store(out + 12, wasm_v128_load(row + 16 * p + 12));
    }
  }
}

#define ROW_CHUNK 512

// D [K, N] = scale · Aᵀ · G over A's nonzeros by pairs of columns (col_pair_nonzeros), G [M, N]
// row-major and its panels packed by pack_rows16 (Gp): a tile is two rows of D by 16 columns. G's
// rows go in chunks of ROW_CHUNK so that a chunk of a panel (16 KB) stays in L1 while every
// pair passes over it; D holds the partial sums between chunks. start/stop: scratch of
// (K + 1) / 2 ints each (where each pair's entries of the chunk begin and end).
EXPORT(sparse_cols_gemm)
void sparse_cols_gemm(const int32_t* idx, const float* val, const int32_t* cnt, int32_t K, int32_t M, const float* G, const float* Gp,
                      int32_t N, float* D, float scale, int32_t* start, int32_t* stop) {
  const int32_t Q = (K + 1) >> 1;
  const int32_t P16 = N >> 4;  // whole 16-column panels; the last N % 16 columns go one by one
  const v128_t sc = wasm_f32x4_splat(scale);
  for (int32_t q = 0; q < Q; q++) start[q] = 0;
  for (int32_t r0 = 0; r0 < M; r0 += ROW_CHUNK) {
    const int32_t r1 = r0 + ROW_CHUNK < M ? r0 + ROW_CHUNK : M;
    const int32_t first = r0 == 0, last = r1 == M;
    for (int32_t q = 0; q < Q; q++) {
      int32_t s = start[q];
      while (s < cnt[q] && idx[q * M + s] < r1) s++;
      stop[q] = s;
    }
    for (int32_t p = 0; p < P16; p++) {
      const int32_t c0 = 16 * p;
      for (int32_t q = 0; q < Q; q++) {
        const int32_t two = 2 * q + 1 < K;
        float* d = D + 2 * q * N + c0;
        float* e = two ? d + N : d;  // a last odd column computes a row it does not store
        v128_t a0, a1, a2, a3, b0, b1, b2, b3;
        if (first) {
          a0 = a1 = a2 = a3 = b0 = b1 = b2 = b3 = wasm_f32x4_splat(0.0f);
        } else {
          a0 = wasm_v128_load(d), a1 = wasm_v128_load(d + 4), a2 = wasm_v128_load(d + 8), a3 = wasm_v128_load(d + 12);
          b0 = wasm_v128_load(e), b1 = wasm_v128_load(e + 4), b2 = wasm_v128_load(e + 8), b3 = wasm_v128_load(e + 12);
        }
        const int32_t* ix = idx + q * M;
        const float* vv = val + q * M * 2;
        for (int32_t j = start[q]; j < stop[q]; j++) {
          const float* g = Gp + (p * M + ix[j]) * 16;
          const v128_t x = wasm_v128_load32_splat(vv + 2 * j);
          const v128_t y = wasm_v128_load32_splat(vv + 2 * j + 1);
          const v128_t g0 = wasm_v128_load(g), g1 = wasm_v128_load(g + 4), g2 = wasm_v128_load(g + 8), g3 = wasm_v128_load(g + 12);
          MADD_PAIR(x, y, g0, g1, g2, g3, a0, a1, a2, a3, b0, b1, b2, b3);
        }
        if (last) {
          a0 = wasm_f32x4_mul(a0, sc), a1 = wasm_f32x4_mul(a1, sc), a2 = wasm_f32x4_mul(a2, sc), a3 = wasm_f32x4_mul(a3, sc);
          b0 = wasm_f32x4_mul(b0, sc), b1 = wasm_f32x4_mul(b1, sc), b2 = wasm_f32x4_mul(b2, sc), b3 = wasm_f32x4_mul(b3, sc);
        }
        wasm_v128_store(d, a0), wasm_v128_store(d + 4, a1), wasm_v128_store(d + 8, a2), wasm_v128_store(d + 12, a3);
        if (two) wasm_v128_store(e, b0), wasm_v128_store(e + 4, b1), wasm_v128_store(e + 8, b2), wasm_v128_store(e + 12, b3);
      }
    }
    // The last N % 16 columns, one at a time.
    for (int32_t q = 0; q < Q; q++) {
      for (int32_t r = 0; r < 2 && 2 * q + r < K; r++) {
        float* d = D + (2 * q + r) * N;
        for (int32_t v = 16 * P16; v < N; v++) {
          float acc = first ? 0.0f : d[v];
          for (int32_t j = start[q]; j < stop[q]; j++) acc += val[(q * M + j) * 2 + r] * G[idx[q * M + j] * N + v];
          d[v] = last ? acc * scale : acc;
        }
      }
    }
    for (int32_t q = 0; q < Q; q++) start[q] = stop[q];
  }
}
