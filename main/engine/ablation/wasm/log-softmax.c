// log Σ_v exp(z_v) of one row of logits, for the ablation's V-way output rows (see
// ../wasm-row-loss.ts). exp in float32 SIMD (Cephes' expf polynomial, relative error ~1e-7,
// float32 rounding), the sum in float64. Linked against the tfjs wasm backend's memory
// (imported): z is an address in that heap, where the GEMM wrote the logits.
// No globals, no data, no libc, no stack.
#include <stdint.h>
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

// exp(x) for x <= 0 (x below -87 gives 0): x = n·ln2 + r, exp(r) by a degree-7 polynomial, 2^n from the exponent bits.
static inline v128_t exp4(v128_t x) {
  v128_t under = wasm_f32x4_lt(x, wasm_f32x4_splat(-87.0f));
  x = wasm_f32x4_max(x, wasm_f32x4_splat(-87.0f));
  v128_t n = wasm_f32x4_nearest(wasm_f32x4_mul(x, wasm_f32x4_splat(1.44269504088896341f)));
  v128_t r = wasm_f32x4_sub(x, wasm_f32x4_mul(n, wasm_f32x4_splat(0.693359375f)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(n, wasm_f32x4_splat(-2.12194440e-4f)));
  v128_t p = wasm_f32x4_splat(1.9875691500e-4f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.3981999507e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(8.3334519073e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(4.1665795894e-2f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.6666665459e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(5.0000001201e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_mul(p, r), r), wasm_f32x4_add(r, wasm_f32x4_splat(1.0f)));
  v128_t pow2 = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(n), wasm_i32x4_splat(127)), 23);
  return wasm_v128_andnot(wasm_f32x4_mul(p, pow2), under);
}

// max + log Σ exp(z − max) is left to the caller (it has Math.log); this returns the max in
// *max_out and Σ exp(z − max) in float64.
EXPORT(row_sum_exp)
double row_sum_exp(const float* z, int32_t V, float* max_out) {
  int32_t v = 0;
  v128_t m4 = wasm_f32x4_splat(-__builtin_inff());
  for (; v + 4 <= V; v += 4) m4 = wasm_f32x4_max(m4, wasm_v128_load(z + v));
  float m = wasm_f32x4_extract_lane(m4, 0);
  for (int32_t i = 1; i < 4; i++) {
    float x = i == 1 ? wasm_f32x4_extract_lane(m4, 1) : i == 2 ? wasm_f32x4_extract_lane(m4, 2) : wasm_f32x4_extract_lane(m4, 3);
    if (x > m) m = x;
  }
  for (int32_t t = v; t < V; t++) if (z[t] > m) m = z[t];
  v128_t mm = wasm_f32x4_splat(m);
  v128_t s0 = wasm_f64x2_splat(0.0);
  v128_t s1 = wasm_f64x2_splat(0.0);
  for (v = 0; v + 4 <= V; v += 4) {
    v128_t e = exp4(wasm_f32x4_sub(wasm_v128_load(z + v), mm));
    s0 = wasm_f64x2_add(s0, wasm_f64x2_promote_low_f32x4(e));
    s1 = wasm_f64x2_add(s1, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(e, e, 2, 3, 0, 1)));
  }
  double s = wasm_f64x2_extract_lane(s0, 0) + wasm_f64x2_extract_lane(s0, 1) + wasm_f64x2_extract_lane(s1, 0) + wasm_f64x2_extract_lane(s1, 1);
  for (; v < V; v++) s += (double)wasm_f32x4_extract_lane(exp4(wasm_f32x4_splat(z[v] - m)), 0);
  *max_out = m;
  return s;
}
