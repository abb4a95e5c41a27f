// The LSTM layer of training (../lstm-layer-wasm.ts): forward and backward over one window,
// each in one call, so that the T per-step GEMMs and the gate arithmetic pay no JS↔wasm
// crossing per step. Included by gradients/wasm/kernels.c (uses its MADD, pack_b, gemm).
// Same algorithm and gate order (i, f, g, o) as the JS path of ../lstm-layer-op.ts, and the
// same order of the additions that meet there (x·W + b, then + h·U; dy + dz·Uᵀ), so the two
// differ by float32 rounding only. Rows are time-major (t·B + b).

// σ(z) = 1/(1 + e) for z >= 0 and e/(1 + e) below, e = exp(−|z|) <= 1: no overflow, and
// no cancellation on either side (σ of a very negative z keeps its relative precision).
// Within 2 ulp of float64 σ rounded to float32; below z = −87 it is 0 (σ < 1.7e-38 there).
static inline v128_t lstm_sigmoid4(v128_t z) {
  v128_t e = simd_exp4(wasm_f32x4_neg(wasm_f32x4_abs(z)));
  v128_t one = wasm_f32x4_splat(1.0f);
  v128_t num = wasm_v128_bitselect(one, e, wasm_f32x4_ge(z, wasm_f32x4_splat(0.0f)));
  return wasm_f32x4_div(num, wasm_f32x4_add(one, e));
}

// tanh as Cephes' tanhf: an odd polynomial below |z| = 0.625, where (1 − e)/(1 + e) would
// cancel, and (1 − e)/(1 + e) with e = exp(−2|z|) above it, the sign put back. Within 1 ulp.
static inline v128_t lstm_tanh4(v128_t z) {
  v128_t a = wasm_f32x4_abs(z);
  v128_t s = wasm_f32x4_mul(z, z);
  v128_t p = wasm_f32x4_splat(-5.70498872745e-3f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, s), wasm_f32x4_splat(2.06390887954e-2f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, s), wasm_f32x4_splat(-5.37397155531e-2f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, s), wasm_f32x4_splat(1.33314422036e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, s), wasm_f32x4_splat(-3.33332819422e-1f));
  v128_t small = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_mul(p, s), z), z);
  v128_t e = simd_exp4(wasm_f32x4_mul(a, wasm_f32x4_splat(-2.0f)));
  v128_t one = wasm_f32x4_splat(1.0f);
  v128_t large = wasm_f32x4_div(wasm_f32x4_sub(one, e), wasm_f32x4_add(one, e));
  large = wasm_v128_or(large, wasm_v128_and(z, wasm_i32x4_splat((int32_t)0x80000000)));
  return wasm_v128_bitselect(small, large, wasm_f32x4_lt(a, wasm_f32x4_splat(0.625f)));
}

// The recurrent activation: σ, or hard_sigmoid clip(0.2·z + 0.5, 0, 1) (tfjs, Keras 2).
static inline v128_t lstm_gate4(v128_t z, int32_t hard) {
  if (!hard) return lstm_sigmoid4(z);
  v128_t y = wasm_f32x4_add(wasm_f32x4_mul(z, wasm_f32x4_splat(0.2f)), wasm_f32x4_splat(0.5f));
  return wasm_f32x4_min(wasm_f32x4_max(y, wasm_f32x4_splat(0.0f)), wasm_f32x4_splat(1.0f));
}

// Its derivative from its value y: y(1 − y); hard: 0.2 inside the linear part, 0 where clipped.
static inline v128_t lstm_gate_slope4(v128_t y, int32_t hard) {
  if (!hard) return wasm_f32x4_mul(y, wasm_f32x4_sub(wasm_f32x4_splat(1.0f), y));
  v128_t inside = wasm_v128_and(wasm_f32x4_gt(y, wasm_f32x4_splat(0.0f)), wasm_f32x4_lt(y, wasm_f32x4_splat(1.0f)));
  return wasm_v128_and(wasm_f32x4_splat(0.2f), inside);
}

// The element loops run 4 lanes at a time and the last H mod 4 one lane at a time through
// the same code: n is 4 or 1, a constant once inlined.
static inline v128_t lstm_ld(const float* p, int32_t n) {
  return n == 4 ? wasm_v128_load(p) : wasm_f32x4_splat(*p);
}

static inline void lstm_st(float* p, v128_t v, int32_t n) {
  if (n == 4) wasm_v128_store(p, v);
  else *p = wasm_f32x4_extract_lane(v, 0);
}

static inline int32_t lstm_pad(int32_t n) { return (n + 15) & ~15; }

static inline int32_t lstm_packed(int32_t K, int32_t N) { return ((N + 7) >> 3) * 8 * K; }

// Scratch sizes are summed in float64 (exact here), so that sizes past the heap's reach come
// out as such instead of wrapping around in int32. room(n) bounds lstm_pad(n) above.
static inline double lstm_room(double n) { return n + 16.0; }

static inline double lstm_packed_d(int32_t K, int32_t N) { return (double)((N + 7) >> 3) * 8.0 * (double)K; }

// Packs Bᵀ for gemm, B being [rows, cols]: Bp[(p·cols + k)·8 + j] = B[8p + j, k].
static void lstm_pack_bt(const float* B, int32_t rows, int32_t cols, float* Bp) {
  for (int32_t p = 0; p < (rows + 7) >> 3; p++) {
    float* out = Bp + p * cols * 8;
    for (int32_t j = 0; j < 8; j++) {
      const int32_t r = 8 * p + j;
      if (r < rows)
        for (int32_t k = 0; k < cols; k++) out[k * 8 + j] = B[r * cols + k];
      else
        for (int32_t k = 0; k < cols; k++) out[k * 8 + j] = 0.0f;
    }
  }
}

// dst[c·ld + r] = src[r·cols + c] for a [rows, cols] src.
static void lstm_transpose(const float* src, int32_t rows, int32_t cols, float* dst, int32_t ld) {
  for (int32_t r = 0; r < rows; r++)
    for (int32_t c = 0; c < cols; c++) dst[c * ld + r] = src[r * cols + c];
}

// c[0, n) += the first n (< 8) lanes of [v0 | v1], the product first.
static inline void lstm_add_partial(float* c, v128_t v0, v128_t v1, int32_t n) {
  if (n > 0) c[0] = wasm_f32x4_extract_lane(v0, 0) + c[0];
  if (n > 1) c[1] = wasm_f32x4_extract_lane(v0, 1) + c[1];
  if (n > 2) c[2] = wasm_f32x4_extract_lane(v0, 2) + c[2];
  if (n > 3) c[3] = wasm_f32x4_extract_lane(v0, 3) + c[3];
  if (n > 4) c[4] = wasm_f32x4_extract_lane(v1, 0) + c[4];
  if (n > 5) c[5] = wasm_f32x4_extract_lane(v1, 1) + c[5];
  if (n > 6) c[6] = wasm_f32x4_extract_lane(v1, 2) + c[6];
}

// R (1..4) rows of A times one 8-column panel b, added to C: C[i, j] = Σ_k A[i,k]·b[k,j] + C[i, j]
// (the product first, as the JS path adds it). n = columns of the panel inside C.
static inline void lstm_tile_add(const float* A, int32_t K, const float* b, float* C, int32_t N, int32_t n, int32_t R) {
  const v128_t zero = wasm_f32x4_splat(0.0f);
  v128_t c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero, c30 = zero, c31 = zero;
  for (int32_t k = 0; k < K; k++) {
    const v128_t b0 = wasm_v128_load(b + k * 8);
    const v128_t b1 = wasm_v128_load(b + k * 8 + 4);
    v128_t a = wasm_v128_load32_splat(A + k);
    c00 = MADD(a, b0, c00);
    c01 = MADD(a, b1, c01);
    if (R > 1) {
      a = wasm_v128_load32_splat(A + K + k);
      c10 = MADD(a, b0, c10);
      c11 = MADD(a, b1, c11);
    }
    if (R > 2) {
      a = wasm_v128_load32_splat(A + 2 * K + k);
      c20 = MADD(a, b0, c20);
      c21 = MADD(a, b1, c21);
    }
    if (R > 3) {
      a = wasm_v128_load32_splat(A + 3 * K + k);
      c30 = MADD(a, b0, c30);
      c31 = MADD(a, b1, c31);
    }
  }
  for (int32_t r = 0; r < R; r++) {
    v128_t v0 = r == 0 ? c00 : r == 1 ? c10 : r == 2 ? c20 : c30;
    v128_t v1 = r == 0 ? c01 : r == 1 ? c11 : r == 2 ? c21 : c31;
    float* c = C + r * N;
    if (n >= 8) {
      wasm_v128_store(c, wasm_f32x4_add(v0, wasm_v128_load(c)));
      wasm_v128_store(c + 4, wasm_f32x4_add(v1, wasm_v128_load(c + 4)));
    } else {
      lstm_add_partial(c, v0, v1, n);
    }
  }
}

// C[M, N] += A[M, K]·B for the few rows (M = B streams) of one step. Panels outermost:
// each panel of B is read from memory once per step and stays in L1 for every row.
static void lstm_gemm_add(const float* A, int32_t M, int32_t K, const float* Bp, int32_t N, float* C) {
  for (int32_t p = 0; p < (N + 7) >> 3; p++) {
    const float* b = Bp + p * K * 8;
    const int32_t n = N - 8 * p;
    float* c = C + 8 * p;
    int32_t i = 0;
    for (; i + 4 <= M; i += 4) lstm_tile_add(A + i * K, K, b, c + i * N, N, n, 4);
    switch (M - i) {
      case 3: lstm_tile_add(A + i * K, K, b, c + i * N, N, n, 3); break;
      case 2: lstm_tile_add(A + i * K, K, b, c + i * N, N, n, 2); break;
      case 1: lstm_tile_add(A + i * K, K, b, c + i * N, N, n, 1); break;
      default: break;
    }
  }
}

// One step's cell for lanes j.. of stream row r: z (in `gates`, pre-activations) becomes
// the gate values; c, tanh c and h are written.
static inline void lstm_cell(float* z, int32_t H, const float* cp, float* c, float* tc, float* h, int32_t hard, int32_t n) {
  const v128_t i = lstm_gate4(lstm_ld(z, n), hard);
  const v128_t f = lstm_gate4(lstm_ld(z + H, n), hard);
  const v128_t g = lstm_tanh4(lstm_ld(z + 2 * H, n));
  const v128_t o = lstm_gate4(lstm_ld(z + 3 * H, n), hard);
  const v128_t cc = wasm_f32x4_add(wasm_f32x4_mul(f, lstm_ld(cp, n)), wasm_f32x4_mul(i, g));
  const v128_t t = lstm_tanh4(cc);
  lstm_st(z, i, n);
  lstm_st(z + H, f, n);
  lstm_st(z + 2 * H, g, n);
  lstm_st(z + 3 * H, o, n);
  lstm_st(c, cc, n);
  lstm_st(tc, t, n);
  lstm_st(h, wasm_f32x4_mul(o, t), n);
}

// Floats of scratch lstm_forward needs: W and U packed.
EXPORT(lstm_forward_scratch)
double lstm_forward_scratch(int32_t H, int32_t E) {
  return lstm_room(lstm_packed_d(E, 4 * H)) + lstm_room(lstm_packed_d(H, 4 * H));
}

// x [T·B, E], W [E, 4H], U [H, 4H], b [4H], h0 and c0 [B, H] in; out: gates [T·B, 4H]
// (i, f, g, o after their activations), cs, tcs = tanh cs, hs, each [T·B, H]. rec0 = 0
// skips h0·U (h0 all zeros). scratch: lstm_forward_scratch floats, 16-byte aligned.
EXPORT(lstm_forward)
void lstm_forward(const float* x, const float* W, const float* U, const float* b, const float* h0, const float* c0,
                  int32_t rec0, int32_t T, int32_t B, int32_t H, int32_t E, int32_t hard, float* scratch,
                  float* gates, float* cs, float* tcs, float* hs) {
  const int32_t H4 = 4 * H;
  const int32_t BH = B * H;
  float* Wp = scratch;
  float* Up = Wp + lstm_pad(lstm_packed(E, H4));
  pack_b(W, E, H4, Wp);
  gemm(x, T * B, E, Wp, H4, gates);
  pack_b(U, H, H4, Up);
  for (int32_t t = 0; t < T; t++) {
    float* zt = gates + t * B * H4;
    const float* hp = t > 0 ? hs + (t - 1) * BH : h0;
    const float* cpt = t > 0 ? cs + (t - 1) * BH : c0;
    // + b step by step, while the step's rows are in cache.
    for (int32_t s = 0; s < B; s++) {
      float* z = zt + s * H4;
      int32_t q = 0;
      for (; q + 4 <= H4; q += 4) wasm_v128_store(z + q, wasm_f32x4_add(wasm_v128_load(z + q), wasm_v128_load(b + q)));
      for (; q < H4; q++) z[q] = z[q] + b[q];
    }
    if (t > 0 || rec0) lstm_gemm_add(hp, B, H, Up, H4, zt);
    for (int32_t s = 0; s < B; s++) {
      const int32_t m = s * H;
      const int32_t k = t * BH + m;
      float* z = zt + s * H4;
      int32_t j = 0;
      for (; j + 4 <= H; j += 4) lstm_cell(z + j, H, cpt + m + j, cs + k + j, tcs + k + j, hs + k + j, hard, 4);
      for (; j < H; j++) lstm_cell(z + j, H, cpt + m + j, cs + k + j, tcs + k + j, hs + k + j, hard, 1);
    }
  }
}

// One step's dz for lanes j.. of one stream: dh = dy + dz_{t+1}·Uᵀ (in dh), dc carried in
// dc (dc_{t+1}·f_{t+1} in, dc_t·f_t out), cp = c_{t−1}.
static inline void lstm_cell_grad(const float* gt, int32_t H, const float* cp, const float* tc, const float* dh,
                                  float* dc, float* dz, int32_t hard, int32_t n) {
  const v128_t one = wasm_f32x4_splat(1.0f);
  const v128_t i = lstm_ld(gt, n);
  const v128_t f = lstm_ld(gt + H, n);
  const v128_t g = lstm_ld(gt + 2 * H, n);
  const v128_t o = lstm_ld(gt + 3 * H, n);
  const v128_t t = lstm_ld(tc, n);
  const v128_t h = lstm_ld(dh, n);
  const v128_t d = wasm_f32x4_add(lstm_ld(dc, n), wasm_f32x4_mul(wasm_f32x4_mul(h, o), wasm_f32x4_sub(one, wasm_f32x4_mul(t, t))));
  lstm_st(dc, wasm_f32x4_mul(d, f), n);
  lstm_st(dz, wasm_f32x4_mul(wasm_f32x4_mul(d, g), lstm_gate_slope4(i, hard)), n);
  lstm_st(dz + H, wasm_f32x4_mul(wasm_f32x4_mul(d, lstm_ld(cp, n)), lstm_gate_slope4(f, hard)), n);
  lstm_st(dz + 2 * H, wasm_f32x4_mul(wasm_f32x4_mul(d, i), wasm_f32x4_sub(one, wasm_f32x4_mul(g, g))), n);
  lstm_st(dz + 3 * H, wasm_f32x4_mul(wasm_f32x4_mul(h, t), lstm_gate_slope4(o, hard)), n);
}

// Floats of scratch lstm_backward needs: Uᵀ and Wᵀ packed, dz, dh, dc, dz packed, and
// [x, h_{t−1}]ᵀ.
EXPORT(lstm_backward_scratch)
double lstm_backward_scratch(int32_t T, int32_t B, int32_t H, int32_t E) {
  const double TB = (double)T * (double)B;
  return lstm_room(lstm_packed_d(4 * H, H)) + lstm_room(lstm_packed_d(4 * H, E)) + lstm_room(TB * 4.0 * H) +
         2.0 * lstm_room((double)B * H) + lstm_room(lstm_packed_d(T * B, 4 * H)) + lstm_room((double)(E + H) * TB);
}

// The gradients of Σ dy⊙hs: dx [T·B, E], dW [E, 4H], dU [H, 4H], db [4H], all overwritten,
// from lstm_forward's inputs and outputs. scratch: lstm_backward_scratch floats, aligned.
EXPORT(lstm_backward)
void lstm_backward(const float* dy, const float* x, const float* W, const float* U, const float* h0, const float* c0,
                   const float* gates, const float* cs, const float* tcs, const float* hs, int32_t T, int32_t B,
                   int32_t H, int32_t E, int32_t hard, float* scratch, float* dx, float* dW, float* dU, float* db) {
  const int32_t H4 = 4 * H;
  const int32_t BH = B * H;
  const int32_t TB = T * B;
  float* UTp = scratch;
  float* WTp = UTp + lstm_pad(lstm_packed(H4, H));
  float* dz = WTp + lstm_pad(lstm_packed(H4, E));
  float* dh = dz + lstm_pad(TB * H4);
  float* dc = dh + lstm_pad(BH);
  float* DZp = dc + lstm_pad(BH);
  float* AT = DZp + lstm_pad(lstm_packed(TB, H4));
  lstm_pack_bt(U, H, H4, UTp);
  for (int32_t m = 0; m < BH; m++) {
    dc[m] = 0.0f;
    dh[m] = dy[(T - 1) * BH + m];
  }
  for (int32_t t = T - 1; t >= 0; t--) {
    const float* cpt = t > 0 ? cs + (t - 1) * BH : c0;
    for (int32_t s = 0; s < B; s++) {
      const int32_t m = s * H;
      const int32_t k = t * BH + m;
      const int32_t row = (t * B + s) * H4;
      int32_t j = 0;
      for (; j + 4 <= H; j += 4)
        lstm_cell_grad(gates + row + j, H, cpt + m + j, tcs + k + j, dh + m + j, dc + m + j, dz + row + j, hard, 4);
      for (; j < H; j++)
        lstm_cell_grad(gates + row + j, H, cpt + m + j, tcs + k + j, dh + m + j, dc + m + j, dz + row + j, hard, 1);
    }
    if (t > 0) {
      for (int32_t m = 0; m < BH; m++) dh[m] = dy[(t - 1) * BH + m];
      lstm_gemm_add(dz + t * B * H4, B, H4, UTp, H, dh);
    }
  }
  // db: column sums of dz, row after row in float32 (as the JS path's Float32Array sums).
  for (int32_t q = 0; q < H4; q++) db[q] = 0.0f;
  for (int32_t r = 0; r < TB; r++) {
    const float* z = dz + r * H4;
    int32_t q = 0;
    for (; q + 4 <= H4; q += 4) wasm_v128_store(db + q, wasm_f32x4_add(wasm_v128_load(db + q), wasm_v128_load(z + q)));
    for (; q < H4; q++) db[q] = db[q] + z[q];
  }
  // [dW; dU] = [x, h_{t−1}]ᵀ·dz; h_{t−1} is h0, then hs of steps 0..T−2.
  pack_b(dz, TB, H4, DZp);
  lstm_transpose(x, TB, E, AT, TB);
  lstm_transpose(h0, B, H, AT + E * TB, TB);
  lstm_transpose(hs, TB - B, H, AT + E * TB + B, TB);
  gemm(AT, E, TB, DZp, H4, dW);
  gemm(AT + E * TB, H, TB, DZp, H4, dU);
  lstm_pack_bt(W, E, H4, WTp);
  gemm(dz, TB, H4, WTp, E, dx);
}
