// The sweep's own GEMM (wasm/kernels.c, WasmGemmEngine), in both builds: the plain SIMD one
// and the one with relaxed SIMD's fused multiply-add (taken where the engine accepts it).
// Against float64 dot products, over shapes that exercise the 4×8 tiles, the leftover rows
// and a last panel narrower than 8 columns; a right-hand side is packed once and reused.
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../main/engine/model/backend';
import { WasmGemmEngine } from '../../../main/engine/gradients/wasm-gemm-engine';
import type { GemmMatrix } from '../../../main/engine/gradients/gemm-engine';

function fill(m: GemmMatrix, seed: number): void {
  let s = seed;
  const a = m.array();
  for (let i = 0; i < m.rows * m.cols; i++) {
    s = (s * 16807) % 2147483647;
    a[m.base + i] = s / 2147483647 - 0.5;
  }
}

describe.each(['auto', 'plain'] as const)('wasm GEMM (%s build)', (variant) => {
  it('matches float64 products on tile-aligned and ragged shapes, with a packed right side reused', async () => {
    await selectBackend('wasm');
    const engine = new WasmGemmEngine(variant);
    // Node 20 gets relaxed SIMD from the V8 flag wasm-kernels.ts sets; later engines have it anyway
    expect(engine.name.includes('fused')).toBe(variant === 'auto');
    try {
      for (const [M, K, N] of [
        [1, 1, 1],
        [3, 5, 7],
        [4, 8, 8],
        [7, 13, 17],
        [64, 64, 128],
        [130, 256, 512],
        [9, 50, 150],
      ]) {
        const w = engine.matrix(K, N);
        fill(w, 11 + N);
        for (const seed of [1, 2]) {
          const a = engine.matrix(M, K);
          fill(a, seed * 97 + M);
          const out = engine.multiply(a, w);
          const A = a.array();
          const W = w.array();
          const O = out.array();
          let worst = 0;
          for (let i = 0; i < M; i++) {
            for (let j = 0; j < N; j++) {
              let s = 0;
              for (let k = 0; k < K; k++) s += A[a.base + i * K + k] * W[w.base + k * N + j];
              worst = Math.max(worst, Math.abs(O[out.base + i * N + j] - s));
            }
          }
          expect(worst, `[${M}×${K}]·[${K}×${N}]`).toBeLessThan(1e-6 * Math.max(1, K));
          engine.releaseOutput();
          engine.release(a);
        }
        engine.release(w);
      }
    } finally {
      engine.dispose();
    }
  });
});
