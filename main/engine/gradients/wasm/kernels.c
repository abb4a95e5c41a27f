// SIMD kernels of the state-gradient sweep (see ../tangent-step.ts for the maths and the
// plain-JS twins these must match). Compiled to wasm32 + SIMD128 by build-kernels.sh and
// linked against the tfjs wasm backend's own memory (imported), so every pointer is an
// address in the tfjs heap: GEMM outputs and inputs are read and written in place.
// No globals, no data, no libc, no stack: nothing here may touch memory it was not given.
#include <stdint.h>
#include <wasm_simd128.h>

#define FLUSH_BELOW 1e-30f
#define EXPORT(name) __attribute__((export_name(#name)))

// Zeroes lanes with 0 < |v| < FLUSH_BELOW (NaN stays NaN) and counts them.
static inline v128_t flush4(v128_t v, int32_t* count) {
  v128_t small = wasm_f32x4_lt(wasm_f32x4_abs(v), wasm_f32x4_splat(FLUSH_BELOW));
  v128_t lost = wasm_v128_and(small, wasm_f32x4_ne(v, wasm_f32x4_splat(0.0f)));
  *count += __builtin_popcount(wasm_i32x4_bitmask(lost));
  return wasm_v128_andnot(v, small);
}

static inline float flush1(float v, int32_t* count) {
  if (v < FLUSH_BELOW && v > -FLUSH_BELOW) {
    if (v != 0.0f) (*count)++;
    return 0.0f;
  }
  return v;
}

// out[r, 0:H] = ai*W[r,i] + af*W[r,f] + ag*W[r,g];  out[r, H:2H] = ao*W[r,o]
// coef = [f, ai, af, ag, ao, q] x H (LSTM_COEF of tangent-cells.ts)
EXPORT(fold)
void fold(const float* W, int32_t rows, int32_t H, const float* coef, float* out) {
  const float* ai = coef + 1 * H;
  const float* af = coef + 2 * H;
  const float* ag = coef + 3 * H;
  const float* ao = coef + 4 * H;
  for (int32_t r = 0; r < rows; r++) {
    const float* w = W + r * 4 * H;
    float* o = out + r * 2 * H;
    int32_t k = 0;
    for (; k + 4 <= H; k += 4) {
      v128_t a = wasm_f32x4_mul(wasm_v128_load(ai + k), wasm_v128_load(w + k));
      a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_v128_load(af + k), wasm_v128_load(w + H + k)));
      a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_v128_load(ag + k), wasm_v128_load(w + 2 * H + k)));
      wasm_v128_store(o + k, a);
      wasm_v128_store(o + H + k, wasm_f32x4_mul(wasm_v128_load(ao + k), wasm_v128_load(w + 3 * H + k)));
    }
    for (; k < H; k++) {
      o[k] = ai[k] * w[k] + af[k] * w[H + k] + ag[k] * w[2 * H + k];
      o[H + k] = ao[k] * w[3 * H + k];
    }
  }
}

// For E rows: dc = (fresh ? 0 : f*dc) + g[0:H]; dh = g[H:2H] + q*dc, flushed; dh is
// written, where the pointer is non-null, to `dh` (E x H) and to o1 / o2 with row strides
// s1 / s2. Returns the number of flushed values.
EXPORT(advance)
int32_t advance(int32_t H, int32_t E, const float* g, float* dc, int32_t fresh, const float* coef, float* dh,
                float* o1, int32_t s1, float* o2, int32_t s2) {
  const float* f = coef;
  const float* q = coef + 5 * H;
  int32_t count = 0;
  for (int32_t e = 0; e < E; e++) {
    const float* ge = g + e * 2 * H;
    float* ce = dc + e * H;
    float* he = dh ? dh + e * H : 0;
    float* p1 = o1 ? o1 + e * s1 : 0;
    float* p2 = o2 ? o2 + e * s2 : 0;
    int32_t k = 0;
    for (; k + 4 <= H; k += 4) {
      v128_t c = wasm_v128_load(ge + k);
      if (!fresh) c = wasm_f32x4_add(c, wasm_f32x4_mul(wasm_v128_load(f + k), wasm_v128_load(ce + k)));
      c = flush4(c, &count);
      wasm_v128_store(ce + k, c);
      v128_t h = wasm_f32x4_add(wasm_v128_load(ge + H + k), wasm_f32x4_mul(wasm_v128_load(q + k), c));
      h = flush4(h, &count);
      if (he) wasm_v128_store(he + k, h);
      if (p1) wasm_v128_store(p1 + k, h);
      if (p2) wasm_v128_store(p2 + k, h);
    }
    for (; k < H; k++) {
      float c = ge[k];
      if (!fresh) c += f[k] * ce[k];
      c = flush1(c, &count);
      ce[k] = c;
      float h = flush1(ge[H + k] + q[k] * c, &count);
      if (he) he[k] = h;
      if (p1) p1[k] = h;
      if (p2) p2[k] = h;
    }
  }
  return count;
}

// GRU (reset after): out[r] = cz*S[r,z] + cr*S[r,r] + c3*S[r,h], c3 = cx for input rows
// (r < rf) and ch for rows of U, which also get z on the diagonal.
// coef = [cz, cr, cx, ch, z] x H (GRU_COEF)
EXPORT(fold_gru)
void fold_gru(const float* S, int32_t rows, int32_t rf, int32_t H, const float* coef, float* out) {
  const float* cz = coef;
  const float* cr = coef + H;
  const float* z = coef + 4 * H;
  for (int32_t r = 0; r < rows; r++) {
    const float* w = S + r * 3 * H;
    const float* c3 = coef + (r < rf ? 2 : 3) * H;
    float* o = out + r * H;
    int32_t k = 0;
    for (; k + 4 <= H; k += 4) {
      v128_t a = wasm_f32x4_mul(wasm_v128_load(cz + k), wasm_v128_load(w + k));
      a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_v128_load(cr + k), wasm_v128_load(w + H + k)));
      a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_v128_load(c3 + k), wasm_v128_load(w + 2 * H + k)));
      wasm_v128_store(o + k, a);
    }
    for (; k < H; k++) o[k] = cz[k] * w[k] + cr[k] * w[H + k] + c3[k] * w[2 * H + k];
    if (r >= rf) o[r - rf] += z[r - rf];
  }
}

// GRU classic: out[r] = cz*S[r,z] + s*cx*S[r,h] + Y[r] (s = 1 for input rows, r_i for row i
// of U), and z on U's diagonal. Y is the product term ([rows, H]).
// coef = [cz, cx, q, r, z] x H (CLASSIC_COEF)
EXPORT(fold_gru_classic)
void fold_gru_classic(const float* S, int32_t rows, int32_t rf, int32_t H, const float* coef, float* out, const float* Y) {
  const float* cz = coef;
  const float* cx = coef + H;
  const float* rg = coef + 3 * H;
  const float* z = coef + 4 * H;
  for (int32_t r = 0; r < rows; r++) {
    const float* w = S + r * 3 * H;
    const float* y = Y + r * H;
    float* o = out + r * H;
    const float s = r < rf ? 1.0f : rg[r - rf];
    const v128_t sv = wasm_f32x4_splat(s);
    int32_t k = 0;
    for (; k + 4 <= H; k += 4) {
      v128_t a = wasm_f32x4_mul(wasm_v128_load(cz + k), wasm_v128_load(w + k));
      v128_t b = wasm_f32x4_mul(sv, wasm_f32x4_mul(wasm_v128_load(cx + k), wasm_v128_load(w + 2 * H + k)));
      wasm_v128_store(o + k, wasm_f32x4_add(wasm_f32x4_add(a, b), wasm_v128_load(y + k)));
    }
    for (; k < H; k++) o[k] = cz[k] * w[k] + s * (cx[k] * w[2 * H + k]) + y[k];
    if (r >= rf) o[r - rf] += z[r - rf];
  }
}

// GRU classic's product factors: A[r] = q*S[r,r] for every row; P[i] = cx*S[rf+i,h] for
// the rows of U when P is non-null.
EXPORT(classic_factors)
void classic_factors(const float* S, int32_t rows, int32_t rf, int32_t H, const float* coef, float* A, float* P) {
  const float* cx = coef + H;
  const float* q = coef + 2 * H;
  for (int32_t r = 0; r < rows; r++) {
    const float* w = S + r * 3 * H;
    float* a = A + r * H;
    int32_t k = 0;
    for (; k + 4 <= H; k += 4) wasm_v128_store(a + k, wasm_f32x4_mul(wasm_v128_load(q + k), wasm_v128_load(w + H + k)));
    for (; k < H; k++) a[k] = q[k] * w[H + k];
    if (P && r >= rf) {
      float* p = P + (r - rf) * H;
      k = 0;
      for (; k + 4 <= H; k += 4) wasm_v128_store(p + k, wasm_f32x4_mul(wasm_v128_load(cx + k), wasm_v128_load(w + 2 * H + k)));
      for (; k < H; k++) p[k] = cx[k] * w[2 * H + k];
    }
  }
}

// RNN: out[r] = a*S[r], coef = [a] x H (RNN_COEF)
EXPORT(fold_rnn)
void fold_rnn(const float* S, int32_t rows, int32_t H, const float* a, float* out) {
  for (int32_t r = 0; r < rows; r++) {
    const float* w = S + r * H;
    float* o = out + r * H;
    int32_t k = 0;
    for (; k + 4 <= H; k += 4) wasm_v128_store(o + k, wasm_f32x4_mul(wasm_v128_load(a + k), wasm_v128_load(w + k)));
    for (; k < H; k++) o[k] = a[k] * w[k];
  }
}

// Cells without a memory cell: dh = g (E x H), flushed, written where the pointer is
// non-null to dh and to o1 / o2 with row strides s1 / s2. Returns the number flushed.
EXPORT(advance_h)
int32_t advance_h(int32_t H, int32_t E, const float* g, float* dh, float* o1, int32_t s1, float* o2, int32_t s2) {
  int32_t count = 0;
  for (int32_t e = 0; e < E; e++) {
    const float* ge = g + e * H;
    float* he = dh ? dh + e * H : 0;
    float* p1 = o1 ? o1 + e * s1 : 0;
    float* p2 = o2 ? o2 + e * s2 : 0;
    int32_t k = 0;
    for (; k + 4 <= H; k += 4) {
      v128_t h = flush4(wasm_v128_load(ge + k), &count);
      if (he) wasm_v128_store(he + k, h);
      if (p1) wasm_v128_store(p1 + k, h);
      if (p2) wasm_v128_store(p2 + k, h);
    }
    for (; k < H; k++) {
      float h = flush1(ge[k], &count);
      if (he) he[k] = h;
      if (p1) p1[k] = h;
      if (p2) p2[k] = h;
    }
  }
  return count;
}

// acc[0:n] += srcs[0][0:n] + srcs[1][0:n] + ... (float32 into float64), added in list
// order for every element, so the result equals `count` separate passes bit for bit. The
// sources' byte addresses come as doubles (exact below 2^53). The accumulator is read and
// written once, in slices that stay in L1 while every source is added: with all streams'
// tangents of one delay in one call, the float64 traffic (which made two workers slow
// each other down) falls by the number of streams.
#define SLICE 512
EXPORT(accumulate_many)
void accumulate_many(double* acc, const double* srcs, int32_t count, int32_t n) {
  for (int32_t i0 = 0; i0 < n; i0 += SLICE) {
    int32_t i1 = i0 + SLICE < n ? i0 + SLICE : n;
    for (int32_t j = 0; j < count; j++) {
      const float* src = (const float*)(uintptr_t)srcs[j];
      int32_t i = i0;
      for (; i + 4 <= i1; i += 4) {
        v128_t s = wasm_v128_load(src + i);
        v128_t lo = wasm_f64x2_promote_low_f32x4(s);
        v128_t hi = wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(s, s, 2, 3, 0, 1));
        wasm_v128_store(acc + i, wasm_f64x2_add(wasm_v128_load(acc + i), lo));
        wasm_v128_store(acc + i + 2, wasm_f64x2_add(wasm_v128_load(acc + i + 2), hi));
      }
      for (; i < i1; i++) acc[i] += (double)src[i];
    }
  }
}

// ---- GEMM: C[M, N] = A[M, K] . B[K, N], the sweep's one heavy primitive ----
// B is packed first (pack_b) into panels of 8 columns, Bp[(p*K + k)*8 + j] = B[k, 8p + j]
// (zero past N), so a 4x8 tile of C is 4 row splats, 2 loads and 8 multiply-adds per k.
// Measured with V8 on x64 ([504x256].[256x480], packing included), FMA build: 4x8 46
// GFLOP/s, 3x12 47, 2x16 44, 5x8 43, 6x8 34 (its 12 accumulators no longer fit V8's
// registers), 4x8 unrolled twice 35; plain build: 4x8 35.5, 6x8 28 (XNNPACK's matMul in
// tfjs-backend-wasm: 27-31).
// MADD is a*b + c: in the RELAXED_FMA build (kernels-binary.ts's second module) it is
// relaxed SIMD's f32x4.relaxed_madd, one fused multiply-add where the CPU has it (about
// 1.3x the GEMM rate here); otherwise a multiply and an add.
#ifdef RELAXED_FMA
#if __clang_major__ >= 16
#define MADD(a, b, c) wasm_f32x4_relaxed_madd(a, b, c)
#else
// clang 14/15 emit this builtin as the pre-standard opcode 0xfd 0xaf 0x01 (also a*b + c);
// build-kernels.sh rewrites it to the standard relaxed_madd, 0xfd 0x85 0x02.
typedef float f32x4_t __attribute__((__vector_size__(16), __aligned__(16)));
#define MADD(a, b, c) ((v128_t)__builtin_wasm_fma_f32x4((f32x4_t)(a), (f32x4_t)(b), (f32x4_t)(c)))
#endif
#else
#define MADD(a, b, c) wasm_f32x4_add(wasm_f32x4_mul(a, b), c)
#endif

EXPORT(pack_b)
void pack_b(const float* B, int32_t K, int32_t N, float* Bp) {
  const int32_t P = (N + 7) >> 3;
  for (int32_t p = 0; p < P; p++) {
    const int32_t c0 = 8 * p;
    float* out = Bp + p * K * 8;
    if (c0 + 8 <= N) {
      for (int32_t k = 0; k < K; k++) {
        wasm_v128_store(out + k * 8, wasm_v128_load(B + k * N + c0));
        wasm_v128_store(out + k * 8 + 4, wasm_v128_load(B + k * N + c0 + 4));
      }
    } else {
      for (int32_t k = 0; k < K; k++)
        for (int32_t j = 0; j < 8; j++) out[k * 8 + j] = c0 + j < N ? B[k * N + c0 + j] : 0.0f;
    }
  }
}

// Stores the first n (< 8) values of [v0 | v1] at c.
static inline void store_partial(float* c, v128_t v0, v128_t v1, int32_t n) {
  if (n > 0) c[0] = wasm_f32x4_extract_lane(v0, 0);
  if (n > 1) c[1] = wasm_f32x4_extract_lane(v0, 1);
  if (n > 2) c[2] = wasm_f32x4_extract_lane(v0, 2);
  if (n > 3) c[3] = wasm_f32x4_extract_lane(v0, 3);
  if (n > 4) c[4] = wasm_f32x4_extract_lane(v1, 0);
  if (n > 5) c[5] = wasm_f32x4_extract_lane(v1, 1);
  if (n > 6) c[6] = wasm_f32x4_extract_lane(v1, 2);
}

static inline void store8(float* c, v128_t v0, v128_t v1, int32_t n) {
  if (n >= 8) {
    wasm_v128_store(c, v0);
    wasm_v128_store(c + 4, v1);
  } else {
    store_partial(c, v0, v1, n);
  }
}

EXPORT(gemm)
void gemm(const float* A, int32_t M, int32_t K, const float* Bp, int32_t N, float* C) {
  const int32_t P = (N + 7) >> 3;
  int32_t i = 0;
  for (; i + 4 <= M; i += 4) {
    const float* a0 = A + i * K;
    const float* a1 = a0 + K;
    const float* a2 = a1 + K;
    const float* a3 = a2 + K;
    for (int32_t p = 0; p < P; p++) {
      const float* b = Bp + p * K * 8;
      v128_t c00 = wasm_f32x4_splat(0.0f), c01 = c00, c10 = c00, c11 = c00;
      v128_t c20 = c00, c21 = c00, c30 = c00, c31 = c00;
      for (int32_t k = 0; k < K; k++) {
        const v128_t b0 = wasm_v128_load(b + k * 8);
        const v128_t b1 = wasm_v128_load(b + k * 8 + 4);
        v128_t a = wasm_v128_load32_splat(a0 + k);
        c00 = MADD(a, b0, c00);
        c01 = MADD(a, b1, c01);
        a = wasm_v128_load32_splat(a1 + k);
        c10 = MADD(a, b0, c10);
        c11 = MADD(a, b1, c11);
        a = wasm_v128_load32_splat(a2 + k);
        c20 = MADD(a, b0, c20);
        c21 = MADD(a, b1, c21);
        a = wasm_v128_load32_splat(a3 + k);
        c30 = MADD(a, b0, c30);
        c31 = MADD(a, b1, c31);
      }
      const int32_t n = N - 8 * p;
      float* c = C + i * N + 8 * p;
      store8(c, c00, c01, n);
      store8(c + N, c10, c11, n);
      store8(c + 2 * N, c20, c21, n);
      store8(c + 3 * N, c30, c31, n);
    }
  }
  for (; i < M; i++) {
    const float* a0 = A + i * K;
    for (int32_t p = 0; p < P; p++) {
      const float* b = Bp + p * K * 8;
      v128_t c0 = wasm_f32x4_splat(0.0f), c1 = c0;
      for (int32_t k = 0; k < K; k++) {
        const v128_t a = wasm_v128_load32_splat(a0 + k);
        c0 = MADD(a, wasm_v128_load(b + k * 8), c0);
        c1 = MADD(a, wasm_v128_load(b + k * 8 + 4), c1);
      }
      store8(C + i * N + 8 * p, c0, c1, N - 8 * p);
    }
  }
}

// ---- Training kernels: the model's output layer and LSTM layer (../../model/wasm/) ----
// In this module so that they share its binding to the tfjs heap and its MADD.
// exp(x) for x <= 0 (x below -87 gives 0), shared by the training kernels: Cephes' expf,
// x = n·ln2 + r, exp(r) by a degree-7 polynomial (Horner's steps fused where the module has
// FMA), 2^n from the exponent bits; n rounded by the 1.5·2^23 trick, whose bits then hold
// it. Within 1 ulp of float64 exp rounded to float32.
static inline v128_t simd_exp4(v128_t x) {
  const v128_t magic = wasm_f32x4_splat(12582912.0f);
  v128_t under = wasm_f32x4_lt(x, wasm_f32x4_splat(-87.0f));
  x = wasm_f32x4_max(x, wasm_f32x4_splat(-87.0f));
  v128_t t = wasm_f32x4_add(wasm_f32x4_mul(x, wasm_f32x4_splat(1.44269504088896341f)), magic);
  v128_t n = wasm_f32x4_sub(t, magic);
  v128_t r = wasm_f32x4_sub(x, wasm_f32x4_mul(n, wasm_f32x4_splat(0.693359375f)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(n, wasm_f32x4_splat(-2.12194440e-4f)));
  v128_t p = wasm_f32x4_splat(1.9875691500e-4f);
  p = MADD(p, r, wasm_f32x4_splat(1.3981999507e-3f));
  p = MADD(p, r, wasm_f32x4_splat(8.3334519073e-3f));
  p = MADD(p, r, wasm_f32x4_splat(4.1665795894e-2f));
  p = MADD(p, r, wasm_f32x4_splat(1.6666665459e-1f));
  p = MADD(p, r, wasm_f32x4_splat(5.0000001201e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_mul(p, r), r), wasm_f32x4_add(r, wasm_f32x4_splat(1.0f)));
  // t's bits are 0x4B400000 + n; shifted by 23 the constant part leaves the word.
  v128_t pow2 = wasm_i32x4_shl(wasm_i32x4_add(t, wasm_i32x4_splat(127)), 23);
  return wasm_v128_andnot(wasm_f32x4_mul(p, pow2), under);
}

#include "../../model/wasm/output-layer.c"
#include "../../model/wasm/lstm-layer.c"
