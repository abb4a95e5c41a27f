// The SIMD kernels (wasm/kernels.c, in the tfjs heap) match their plain-JS twins on odd
// and round sizes, both branches of `fresh`, the strided outputs, and the denormal guard.
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../main/engine/model/backend';
import { JsSpace, type BufferSpace, type F32Buf } from '../../../main/engine/gradients/buffers';
import { FLUSH_BELOW, jsKernels, type TangentKernels } from '../../../main/engine/gradients/tangent-step';

const COEF_COUNT = 6; // the LSTM's coefficient rows
import { WasmGemmEngine } from '../../../main/engine/gradients/wasm-gemm-engine';
import { createWasmKernels } from '../../../main/engine/gradients/wasm-kernels';
import { normal, rng } from './reference-lstm';

let engine: WasmGemmEngine;
let wasm: TangentKernels;

beforeAll(async () => {
  await selectBackend('wasm');
  engine = new WasmGemmEngine();
  wasm = createWasmKernels(engine.memory, engine.space);
});

function fill(space: BufferSpace, data: Float32Array): F32Buf {
  const b = space.f32(data.length);
  b.array().set(data, b.base);
  return b;
}
function read(b: F32Buf): Float32Array {
  return b.array().slice(b.base, b.base + b.length);
}
function randomData(r: () => number, n: number, tinyEvery = 0): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => (tinyEvery && i % tinyEvery === 0 ? 3e-31 * (i % 2 ? 1 : -1) : normal(r)));
}

describe('wasm SIMD kernels vs JS kernels', () => {
  for (const [H, E] of [[3, 1], [4, 5], [7, 3], [64, 4]]) {
    for (const fresh of [false, true]) {
      it(`advance H=${H} E=${E} fresh=${fresh}`, () => {
        const r = rng(H * 100 + E);
        const K1 = H + 2;
        const K2 = H + 5;
        const g = randomData(r, E * 2 * H + 3);
        const dc = randomData(r, E * H + 1, 7);
        const coef = Float32Array.from({ length: COEF_COUNT * H }, () => r());
        const o1 = new Float32Array(E * K1 + 2);
        const o2 = new Float32Array(E * K2 + 2);
        const run = (k: TangentKernels, space: BufferSpace) => {
          const bufs = { g: fill(space, g), dc: fill(space, dc), coef: fill(space, coef), dh: fill(space, new Float32Array(E * H)), o1: fill(space, o1), o2: fill(space, o2) };
          const flushed = k.advance(H, E, bufs.g, 3, bufs.dc, 1, fresh, bufs.coef, 0, bufs.dh, 0, bufs.o1, 2, K1, bufs.o2, 1, K2);
          // the same step without a dh buffer must write the same o1 / o2 rows
          const quiet = { dc: fill(space, dc), o1: fill(space, o1), o2: fill(space, o2) };
          k.advance(H, E, bufs.g, 3, quiet.dc, 1, fresh, bufs.coef, 0, null, 0, quiet.o1, 2, K1, quiet.o2, 1, K2);
          expect(Array.from(read(quiet.o1))).toEqual(Array.from(read(bufs.o1)));
          expect(Array.from(read(quiet.o2))).toEqual(Array.from(read(bufs.o2)));
          expect(Array.from(read(quiet.dc))).toEqual(Array.from(read(bufs.dc)));
          return { flushed, dc: read(bufs.dc), dh: read(bufs.dh), o1: read(bufs.o1), o2: read(bufs.o2) };
        };
        const js = run(jsKernels, new JsSpace());
        const wa = run(wasm, engine.space);
        for (const key of ['dc', 'dh', 'o1', 'o2'] as const) {
          const a = js[key];
          const b = wa[key];
          for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `${key}[${i}]`).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(a[i])));
        }
        expect(wa.flushed).toBe(js.flushed);
        // dh was copied to o1 / o2 rows at the given offsets and strides, nothing else written
        expect(wa.o1[0]).toBe(0);
        expect(wa.o1[2 + H]).toBe(0);
        expect(Array.from(wa.o1.subarray(2, 2 + H))).toEqual(Array.from(wa.dh.subarray(0, H)));
        expect(Array.from(wa.o2.subarray(1 + (E - 1) * K2, 1 + (E - 1) * K2 + H))).toEqual(Array.from(wa.dh.subarray((E - 1) * H, E * H)));
      });
    }

    it(`fold and accumulate H=${H} E=${E}`, () => {
      const r = rng(H * 7 + E);
      const rows = E + 1;
      const W = randomData(r, rows * 4 * H);
      const coef = Float32Array.from({ length: 2 * COEF_COUNT * H }, () => r());
      const src = randomData(r, rows * H);
      const run = (k: TangentKernels, space: BufferSpace) => {
        const out = fill(space, new Float32Array(rows * 2 * H));
        k.fold('lstm', fill(space, W), rows, rows, H, fill(space, coef), COEF_COUNT * H, out, null, 0);
        const acc = space.f64(rows * H + 4);
        acc.array().fill(0.25, acc.base, acc.base + acc.length);
        const buf = fill(space, src);
        k.accumulateMany(acc, 2, [{ buf, off: 0 }], rows * H);
        k.accumulateMany(acc, 2, [{ buf, off: 0 }], rows * H);
        return { out: read(out), acc: acc.array().slice(acc.base, acc.base + acc.length) };
      };
      const js = run(jsKernels, new JsSpace());
      const wa = run(wasm, engine.space);
      for (let i = 0; i < js.out.length; i++) expect(Math.abs(js.out[i] - wa.out[i])).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(js.out[i])));
      expect(Array.from(wa.acc)).toEqual(Array.from(js.acc)); // float32 → float64 adds are exact in both
      expect(wa.acc[0]).toBe(0.25);
      expect(wa.acc[wa.acc.length - 1]).toBe(0.25);
    });
  }

  it('flushes values below 1e-30 to zero, counts them, and keeps NaN', () => {
    for (const k of [jsKernels, wasm]) {
      const space = k === wasm ? engine.space : new JsSpace();
      const H = 4;
      const g = fill(space, Float32Array.from([1e-31, -2e-31, 0, 0.5, 1, 1e-31, NaN, 0]));
      const coef = fill(space, Float32Array.from({ length: COEF_COUNT * H }, (_, i) => (i >= 5 * H ? 1e-8 : 0)));
      const dc = fill(space, new Float32Array(H));
      const dh = fill(space, new Float32Array(H));
      const flushed = k.advance(H, 1, g, 0, dc, 0, true, coef, 0, dh, 0, null, 0, 0, null, 0, 0);
      const c = read(dc);
      const h = read(dh);
      expect(Array.from(c)).toEqual([0, 0, 0, 0.5]);
      // h = g[H..2H) + q·c: 1, 1e-31 (flushed), NaN (kept), 0 + 1e-8·0.5
      expect(h[0]).toBe(1);
      expect(h[1]).toBe(0);
      expect(Number.isNaN(h[2])).toBe(true);
      expect(h[3]).toBeCloseTo(5e-9, 12);
      expect(flushed).toBe(3);
      expect(FLUSH_BELOW).toBe(1e-30);
    }
  });

  it('accumulateMany adds many sources in one pass exactly as one pass per source, across slices and offsets', () => {
    const r = rng(99);
    const n = 1301; // more than two 512-value slices, and a remainder that is not a multiple of 4
    for (const count of [0, 1, 3, 70]) {
      const sources = Array.from({ length: count }, () => randomData(r, n + 5));
      const offsets = sources.map((_, j) => j % 5);
      const run = (k: TangentKernels, space: BufferSpace) => {
        const acc = space.f64(n + 3);
        acc.array().fill(0.125, acc.base, acc.base + acc.length);
        k.accumulateMany(acc, 1, sources.map((src, j) => ({ buf: fill(space, src), off: offsets[j] })), n);
        return acc.array().slice(acc.base, acc.base + acc.length);
      };
      // independent: float64 sums in list order
      const want = new Float64Array(n + 3).fill(0.125);
      for (let j = 0; j < count; j++) for (let i = 0; i < n; i++) want[1 + i] += sources[j][offsets[j] + i];
      expect(Array.from(run(jsKernels, new JsSpace())), `js, ${count} sources`).toEqual(Array.from(want));
      expect(Array.from(run(wasm, engine.space)), `wasm, ${count} sources`).toEqual(Array.from(want));
    }
  });
});
