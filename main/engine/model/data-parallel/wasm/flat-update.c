// SIMD kernels of data-parallel training's update (../flat-update.ts has the maths, and
// optimizer.ts the tfjs formulas these follow operation by operation in float32). Compiled
// to wasm32 + SIMD128 by build-flat-update.sh and linked against the pool's shared memory
// (imported), which holds the workers' gradient slots, the weights and Adam's moments:
// each worker runs them on its own slice. Every operation is an IEEE float32 operation in
// the tfjs order (no fused multiply-adds), so results equal the tfjs update's bit for bit
// given the same gradients and norm.
// No globals, no data, no libc, no stack: nothing here may touch memory it was not given.
#include <stdint.h>
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

// Adds slots 1..workers-1 (each `size` floats apart) into slot 0 over [lo, hi), in slot
// order, and returns the sum of squares of the result over the range (float64, in eight
// lanes that are added up at the end in a fixed order: one chain of additions would make
// its latency the loop's pace).
static inline v128_t sum4(float* slots, int32_t workers, int32_t size, int32_t i) {
  v128_t g = wasm_f32x4_add(wasm_v128_load(slots + i), wasm_v128_load(slots + size + i));
  for (int32_t w = 2; w < workers; w++) g = wasm_f32x4_add(g, wasm_v128_load(slots + w * size + i));
  wasm_v128_store(slots + i, g);
  return g;
}

static inline v128_t square_lo(v128_t g) {
  v128_t a = wasm_f64x2_promote_low_f32x4(g);
  return wasm_f64x2_mul(a, a);
}

static inline v128_t square_hi(v128_t g) {
  v128_t b = wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(g, g, 2, 3, 0, 1));
  return wasm_f64x2_mul(b, b);
}

static inline double lanes(v128_t a) {
  return wasm_f64x2_extract_lane(a, 0) + wasm_f64x2_extract_lane(a, 1);
}

// One worker: nothing to add, the sum of squares only.
static double sum_squares(const float* g, int32_t lo, int32_t hi) {
  v128_t a0 = wasm_f64x2_splat(0.0), a1 = a0;
  int32_t i = lo;
  for (; i + 4 <= hi; i += 4) {
    v128_t v = wasm_v128_load(g + i);
    a0 = wasm_f64x2_add(a0, square_lo(v));
    a1 = wasm_f64x2_add(a1, square_hi(v));
  }
  double squares = lanes(a0) + lanes(a1);
  for (; i < hi; i++) squares += (double)g[i] * (double)g[i];
  return squares;
}

EXPORT(sum_slots)
double sum_slots(float* slots, int32_t workers, int32_t size, int32_t lo, int32_t hi) {
  if (workers < 2) return sum_squares(slots, lo, hi);
  v128_t a0 = wasm_f64x2_splat(0.0), a1 = a0, a2 = a0, a3 = a0;
  int32_t i = lo;
  for (; i + 8 <= hi; i += 8) {
    v128_t g = sum4(slots, workers, size, i);
    v128_t h = sum4(slots, workers, size, i + 4);
    a0 = wasm_f64x2_add(a0, square_lo(g));
    a1 = wasm_f64x2_add(a1, square_hi(g));
    a2 = wasm_f64x2_add(a2, square_lo(h));
    a3 = wasm_f64x2_add(a3, square_hi(h));
  }
  double squares = (lanes(a0) + lanes(a1)) + (lanes(a2) + lanes(a3));
  for (; i < hi; i++) {
    float g = slots[i];
    for (int32_t w = 1; w < workers; w++) g = g + slots[w * size + i];
    slots[i] = g;
    squares += (double)g * (double)g;
  }
  return squares;
}

// SGD: w = w - (g·scale)·lr over [lo, hi).
EXPORT(sgd)
void sgd(float* w, const float* g, int32_t lo, int32_t hi, float scale, float lr) {
  const v128_t vs = wasm_f32x4_splat(scale);
  const v128_t vl = wasm_f32x4_splat(lr);
  int32_t i = lo;
  for (; i + 4 <= hi; i += 4) {
    v128_t step = wasm_f32x4_mul(wasm_f32x4_mul(wasm_v128_load(g + i), vs), vl);
    wasm_v128_store(w + i, wasm_f32x4_sub(wasm_v128_load(w + i), step));
  }
  for (; i < hi; i++) w[i] = w[i] - (g[i] * scale) * lr;
}

// Adam over [lo, hi): g' = g·scale; m = m·b1 + g'·a1; s = s·b2 + (g'·g')·a2;
// w = w - ((m / c1) / (sqrt(s / c2) + eps))·lr, with a1 = 1 - b1, a2 = 1 - b2 and c1, c2
// the bias corrections, all rounded to float32 by the caller as tfjs rounds its scalars.
EXPORT(adam)
void adam(float* w, const float* g, float* m, float* s, int32_t lo, int32_t hi, float scale, float lr, float b1, float a1,
          float b2, float a2, float c1, float c2, float eps) {
  const v128_t vs = wasm_f32x4_splat(scale), vl = wasm_f32x4_splat(lr);
  const v128_t vb1 = wasm_f32x4_splat(b1), va1 = wasm_f32x4_splat(a1);
  const v128_t vb2 = wasm_f32x4_splat(b2), va2 = wasm_f32x4_splat(a2);
  const v128_t vc1 = wasm_f32x4_splat(c1), vc2 = wasm_f32x4_splat(c2), ve = wasm_f32x4_splat(eps);
  int32_t i = lo;
  for (; i + 4 <= hi; i += 4) {
    v128_t gi = wasm_f32x4_mul(wasm_v128_load(g + i), vs);
    v128_t mi = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(m + i), vb1), wasm_f32x4_mul(gi, va1));
    v128_t si = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(s + i), vb2), wasm_f32x4_mul(wasm_f32x4_mul(gi, gi), va2));
    wasm_v128_store(m + i, mi);
    wasm_v128_store(s + i, si);
    v128_t den = wasm_f32x4_add(wasm_f32x4_sqrt(wasm_f32x4_div(si, vc2)), ve);
    v128_t step = wasm_f32x4_div(wasm_f32x4_div(mi, vc1), den);
    wasm_v128_store(w + i, wasm_f32x4_sub(wasm_v128_load(w + i), wasm_f32x4_mul(step, vl)));
  }
  for (; i < hi; i++) {
    float gi = g[i] * scale;
    float mi = m[i] * b1 + gi * a1;
    float si = s[i] * b2 + (gi * gi) * a2;
    m[i] = mi;
    s[i] = si;
    w[i] = w[i] - ((mi / c1) / (__builtin_sqrtf(si / c2) + eps)) * lr;
  }
}
