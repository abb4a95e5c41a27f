// The SIMD twins of the JS kernels (wasm/kernels.c), instantiated against the tfjs wasm
// backend's own memory so that they read and write tensors in place. Measured on the
// sweep's shapes they are ~10× faster than the JS loops, which otherwise cost as much as
// the GEMM itself (a JS elementwise step runs at ~5–10 ns per value here). The module also
// holds the sweep's GEMM (gemm, pack_b), used by WasmGemmEngine.
import v8 from 'node:v8';
import type { Cell } from '../model/rnn-weights';
import type { BufferSpace, F32Buf, F64Buf } from './buffers';
import type { TangentKernels } from './tangent-step';
import { KERNELS_FMA_WASM_BASE64, KERNELS_WASM_BASE64 } from './wasm/kernels-binary';
import { wasmApi, type WasmMemory, type WasmModule } from './wasm-runtime';

interface KernelExports {
  fold(W: number, rows: number, H: number, coef: number, out: number): void;
  fold_gru(S: number, rows: number, rf: number, H: number, coef: number, out: number): void;
  fold_gru_classic(S: number, rows: number, rf: number, H: number, coef: number, out: number, Y: number): void;
  fold_rnn(S: number, rows: number, H: number, coef: number, out: number): void;
  classic_factors(S: number, rows: number, rf: number, H: number, coef: number, A: number, P: number): void;
  advance(
    H: number,
    E: number,
    g: number,
    dc: number,
    fresh: number,
    coef: number,
    dh: number,
    o1: number,
    s1: number,
    o2: number,
    s2: number,
  ): number;
  advance_h(H: number, E: number, g: number, dh: number, o1: number, s1: number, o2: number, s2: number): number;
  accumulate_many(acc: number, srcs: number, count: number, n: number): void;
  pack_b(B: number, K: number, N: number, Bp: number): void;
  gemm(A: number, M: number, K: number, Bp: number, N: number, C: number): void;
}

/** A fold export with the common argument list (addresses). */
type WasmFold = (S: number, rows: number, rf: number, H: number, coef: number, out: number, extra: number) => void;

/**
 * Environment variable: '0' keeps the GEMM's multiplies and adds separate (the plain module)
 * even where relaxed SIMD's fused multiply-add is available, e.g. to compare the two.
 */
export const WASM_FMA_ENV = 'MNEMOSCOPE_WASM_FMA';

const compiled = new Map<KernelsVariant, { module: WasmModule; fma: boolean }>();

/**
 * The kernels module: the one whose GEMM uses relaxed SIMD's f32x4.relaxed_madd when this
 * engine accepts it, else the plain one. Relaxed SIMD is standard in V8 from 11.4 (Electron
 * 45's Node 22 has it on); Node 20's V8 11.3 has it behind --experimental-wasm-relaxed-simd,
 * which cannot be given to a worker thread, so it is switched on here (a process-wide V8 flag
 * that only enables that wasm feature) before the module is compiled.
 */
function kernelsModule(variant: KernelsVariant): { module: WasmModule; fma: boolean } {
  const known = compiled.get(variant);
  if (known) return known;
  const done = (module: WasmModule, fma: boolean) => {
    compiled.set(variant, { module, fma });
    return { module, fma };
  };
  if (variant === 'auto' && process.env[WASM_FMA_ENV] !== '0') {
    const bytes = Buffer.from(KERNELS_FMA_WASM_BASE64, 'base64');
    if (!wasmApi.validate(bytes)) {
      try {
        v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
      } catch {
        // not Node's V8: the plain module below
      }
    }
    if (wasmApi.validate(bytes)) return done(new wasmApi.Module(bytes), true);
  }
  return done(new wasmApi.Module(Buffer.from(KERNELS_WASM_BASE64, 'base64')), false);
}

/** The GEMM of the kernels module, on byte addresses in `memory`. */
export interface WasmGemm {
  /** whether its multiply-adds are fused (relaxed SIMD) */
  readonly fma: boolean;
  /** floats the packed form of a [K, N] right-hand side takes */
  packedLength(K: number, N: number): number;
  /** Bp = B [K, N] in panels of 8 columns (zero-padded) */
  packB(B: number, K: number, N: number, Bp: number): void;
  /** C [M, N] = A [M, K] · B, B packed by packB */
  gemm(A: number, M: number, K: number, Bp: number, N: number, C: number): void;
}

/** 'plain' forces the module without FMA (tests); 'auto' takes the FMA one where it compiles, unless $MNEMOSCOPE_WASM_FMA is '0'. */
export type KernelsVariant = 'auto' | 'plain';

function instantiate(memory: WasmMemory, variant: KernelsVariant = 'auto'): { x: KernelExports; fma: boolean } {
  const { module, fma } = kernelsModule(variant);
  return { x: new wasmApi.Instance(module, { env: { memory } }).exports as unknown as KernelExports, fma };
}

/**
 * The kernels module's exports as they are, for the training kernels that live in the same
 * module (../model/wasm/*.c, included by kernels.c): each caller types the exports it uses.
 */
export function kernelsInstance(memory: WasmMemory): { exports: Record<string, unknown>; fma: boolean } {
  const { module, fma } = kernelsModule('auto');
  return { exports: new wasmApi.Instance(module, { env: { memory } }).exports, fma };
}

export function createWasmGemm(memory: WasmMemory, variant: KernelsVariant = 'auto'): WasmGemm {
  const { x, fma } = instantiate(memory, variant);
  return {
    fma,
    packedLength: (K, N) => Math.ceil(N / 8) * 8 * K,
    packB: (B, K, N, Bp) => x.pack_b(B, K, N, Bp),
    gemm: (A, M, K, Bp, N, C) => x.gemm(A, M, K, Bp, N, C),
  };
}

function addr32(b: F32Buf, off: number): number {
  if (!b.heap) throw new Error('wasm kernels need buffers in the wasm heap');
  return (b.base + off) * 4;
}

function addr64(b: F64Buf, off: number): number {
  if (!b.heap) throw new Error('wasm kernels need buffers in the wasm heap');
  return (b.base + off) * 8;
}

/**
 * Kernels working in `memory` (the tfjs wasm backend's heap); `space` allocates the small
 * list of source addresses that accumulateMany hands to the kernel.
 */
export function createWasmKernels(memory: WasmMemory, space: BufferSpace): TangentKernels {
  const { x } = instantiate(memory);
  let addresses: F64Buf | null = null;
  const rnn: WasmFold = (S, rows, _rf, H, coef, out) => x.fold_rnn(S, rows, H, coef, out);
  const folds: Record<Cell, WasmFold> = {
    lstm: (S, rows, _rf, H, coef, out) => x.fold(S, rows, H, coef, out),
    gru: (S, rows, rf, H, coef, out) => x.fold_gru(S, rows, rf, H, coef, out),
    'gru-classic': (S, rows, rf, H, coef, out, extra) => {
      if (extra === 0) throw new Error('gru-classic fold needs its product term');
      x.fold_gru_classic(S, rows, rf, H, coef, out, extra);
    },
    'rnn-tanh': rnn,
    'rnn-relu': rnn,
  };
  return {
    name: 'wasm SIMD',
    fold(cell, S, rows, recurrentFrom, H, coef, coefOff, out, extra, extraOff) {
      folds[cell](addr32(S, 0), rows, recurrentFrom, H, addr32(coef, coefOff), addr32(out, 0), extra ? addr32(extra, extraOff) : 0);
    },
    classicFactors(S, rows, recurrentFrom, H, coef, coefOff, A, aOff, P) {
      x.classic_factors(addr32(S, 0), rows, recurrentFrom, H, addr32(coef, coefOff), addr32(A, aOff), P ? addr32(P, 0) : 0);
    },
    advance(H, E, g, gOff, dc, dcOff, fresh, coef, coefOff, dh, dhOff, o1, o1Off, s1, o2, o2Off, s2) {
      if (!dc) {
        return x.advance_h(H, E, addr32(g, gOff), dh ? addr32(dh, dhOff) : 0, o1 ? addr32(o1, o1Off) : 0, s1, o2 ? addr32(o2, o2Off) : 0, s2);
      }
      return x.advance(
        H,
        E,
        addr32(g, gOff),
        addr32(dc, dcOff),
        fresh ? 1 : 0,
        addr32(coef, coefOff),
        dh ? addr32(dh, dhOff) : 0,
        o1 ? addr32(o1, o1Off) : 0,
        s1,
        o2 ? addr32(o2, o2Off) : 0,
        s2,
      );
    },
    accumulateMany(acc, accOff, srcs, n) {
      if (srcs.length === 0) return;
      if (!addresses || addresses.length < srcs.length) {
        if (addresses) space.free(addresses);
        addresses = space.f64(Math.max(64, srcs.length));
      }
      const list = addresses.array();
      for (let j = 0; j < srcs.length; j++) list[addresses.base + j] = addr32(srcs[j].buf, srcs[j].off);
      x.accumulate_many(addr64(acc, accOff), addr64(addresses, 0), srcs.length, n);
    },
  };
}
