// The GRU and RNN SIMD kernels (wasm/kernels.c) match their plain-JS twins on odd and round
// sizes: every fold with input and recurrent rows (the diagonal z starts at recurrentFrom),
// gru-classic's factors and product term, and advance without a memory cell (flush, strided
// copies, no dh buffer).
import { beforeAll, describe, expect, it } from 'vitest';
import type { Cell } from '../../../main/engine/model/rnn-weights';
import { selectBackend } from '../../../main/engine/model/backend';
import { JsSpace, type BufferSpace, type F32Buf } from '../../../main/engine/gradients/buffers';
import { tangentCell } from '../../../main/engine/gradients/tangent-cells';
import { jsKernels, type TangentKernels } from '../../../main/engine/gradients/tangent-step';
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
function expectNear(js: Float32Array, wa: Float32Array, what: string): void {
  expect(wa.length).toBe(js.length);
  for (let i = 0; i < js.length; i++) expect(Math.abs(js[i] - wa[i]), `${what}[${i}]`).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(js[i])));
}

describe('GRU and RNN wasm SIMD kernels vs JS kernels', () => {
  for (const [H, E] of [[3, 1], [4, 5], [7, 3], [64, 4]]) {
    for (const cell of ['gru', 'gru-classic', 'rnn-tanh'] as Cell[]) {
      it(`fold ${cell} H=${H} E=${E}`, () => {
        const spec = tangentCell(cell);
        const r = rng(H * 13 + E + cell.length);
        const rows = E + H; // E input rows, then H rows of U
        const S = randomData(r, rows * spec.gates * H);
        const coefOff = spec.coefRows * H; // the second stream's coefficients
        const coef = Float32Array.from({ length: 2 * spec.coefRows * H }, () => r());
        const Y = randomData(r, (rows + 2) * H);
        const run = (k: TangentKernels, space: BufferSpace) => {
          const out = fill(space, new Float32Array(rows * H));
          k.fold(cell, fill(space, S), rows, E, H, fill(space, coef), coefOff, out, spec.product ? fill(space, Y) : null, 2 * H);
          return read(out);
        };
        const js = run(jsKernels, new JsSpace());
        expectNear(js, run(wasm, engine.space), 'out');
        // independently, from the formulas of tangent-cells.ts (coefficients of the second stream)
        const c = (row: number, k: number) => coef[coefOff + row * H + k];
        for (let i = 0; i < rows; i++) {
          const u = i - E; // unit of a row of U
          for (let k = 0; k < H; k++) {
            const s = (gate: number) => S[i * spec.gates * H + gate * H + k];
            let want: number;
            if (cell === 'gru') want = c(0, k) * s(0) + c(1, k) * s(1) + c(u >= 0 ? 3 : 2, k) * s(2);
            else if (cell === 'gru-classic') want = c(0, k) * s(0) + (u >= 0 ? c(3, u) : 1) * c(1, k) * s(2) + Y[2 * H + i * H + k];
            else want = c(0, k) * s(0);
            if (u === k && cell !== 'rnn-tanh') want += c(4, k);
            expect(js[i * H + k], `out[${i}, ${k}]`).toBeCloseTo(want, 5);
          }
        }
      });
    }

    it(`classic factors H=${H} E=${E}`, () => {
      const r = rng(H * 17 + E);
      const rows = E + H;
      const S = randomData(r, rows * 3 * H);
      const coef = Float32Array.from({ length: 5 * H }, () => r());
      const run = (k: TangentKernels, space: BufferSpace, withP: boolean) => {
        const A = fill(space, new Float32Array((rows + 1) * H));
        const P = fill(space, new Float32Array(H * H));
        k.classicFactors(fill(space, S), rows, E, H, fill(space, coef), 0, A, H, withP ? P : null);
        return { A: read(A), P: read(P) };
      };
      const js = run(jsKernels, new JsSpace(), true);
      const wa = run(wasm, engine.space, true);
      expectNear(js.A, wa.A, 'A');
      expectNear(js.P, wa.P, 'P');
      // A = S_r·diag(q) from row offset 1, P = U_h·diag(cx)
      expect(js.A[0]).toBe(0);
      expect(js.A[H + 1]).toBeCloseTo(coef[2 * H + 1] * S[H + 1], 6);
      const k = 2 % H;
      expect(js.P[H + k]).toBeCloseTo(coef[H + k] * S[(E + 1) * 3 * H + 2 * H + k], 6); // U's row 1
      expect(Array.from(run(wasm, engine.space, false).P).every((v) => v === 0)).toBe(true);
    });

    it(`advance without a memory cell H=${H} E=${E}`, () => {
      const r = rng(H * 100 + E + 1);
      const K1 = H + 2;
      const K2 = H + 5;
      const g = randomData(r, E * H + 3, 5);
      const o1 = new Float32Array(E * K1 + 2);
      const o2 = new Float32Array(E * K2 + 2);
      const run = (k: TangentKernels, space: BufferSpace) => {
        const coef = fill(space, new Float32Array(H));
        const bufs = { g: fill(space, g), dh: fill(space, new Float32Array(E * H)), o1: fill(space, o1), o2: fill(space, o2) };
        const flushed = k.advance(H, E, bufs.g, 3, null, 0, false, coef, 0, bufs.dh, 0, bufs.o1, 2, K1, bufs.o2, 1, K2);
        const quiet = { o1: fill(space, o1), o2: fill(space, o2) };
        k.advance(H, E, bufs.g, 3, null, 0, true, coef, 0, null, 0, quiet.o1, 2, K1, quiet.o2, 1, K2);
        expect(Array.from(read(quiet.o1))).toEqual(Array.from(read(bufs.o1)));
        expect(Array.from(read(quiet.o2))).toEqual(Array.from(read(bufs.o2)));
        return { flushed, dh: read(bufs.dh), o1: read(bufs.o1), o2: read(bufs.o2) };
      };
      const js = run(jsKernels, new JsSpace());
      const wa = run(wasm, engine.space);
      for (const key of ['dh', 'o1', 'o2'] as const) expect(Array.from(wa[key]), key).toEqual(Array.from(js[key]));
      expect(wa.flushed).toBe(js.flushed);
      // dh = g flushed: the tiny values (every 5th from g's start) are zero and counted
      const tiny = Array.from({ length: E * H }, (_, i) => (3 + i) % 5 === 0).filter(Boolean).length;
      expect(js.flushed).toBe(tiny);
      for (let i = 0; i < E * H; i++) expect(js.dh[i]).toBe((3 + i) % 5 === 0 ? 0 : g[3 + i]);
      expect(Array.from(wa.o1.subarray(2, 2 + H))).toEqual(Array.from(wa.dh.subarray(0, H)));
      expect(wa.o1[2 + H]).toBe(0);
      expect(Array.from(wa.o2.subarray(1 + (E - 1) * K2, 1 + (E - 1) * K2 + H))).toEqual(Array.from(wa.dh.subarray((E - 1) * H, E * H)));
    });
  }
});
