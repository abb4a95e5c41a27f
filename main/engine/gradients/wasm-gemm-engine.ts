// Zero-copy GEMM in the tfjs wasm heap. The sweep writes tangents and folded weights
// straight into buffers of that heap and reads the product where the GEMM wrote it, so the
// only full passes over memory are the GEMM and the fused SIMD kernels (DESIGN §5: every
// extra elementwise pass costs a few % of the GEMM).
//
// Orientation: out[rows, w] = tangents[rows, K] · M[K, w] (w = 2H or H, tangent-cells.ts).
// The GEMM is our own (wasm/kernels.c: a 4×8 SIMD tile over a right-hand side packed in
// panels of 8 columns), not tfjs's XNNPACK matMul: where the engine has relaxed SIMD its
// multiply-adds are fused, which XNNPACK's wasm build cannot do, and the sweep's M (new each
// step) is packed once by us, with no tfjs tensor made per step. Measured on this machine at
// the sweep's shape [~500×256]·[256×~500], one thread: XNNPACK 27–31 GFLOP/s, this GEMM 35
// without FMA and 46 with it; the whole sweep at H = 256, E = 64 took 1.5× less CPU time than
// with XNNPACK. A right-hand side is packed at its first multiply and must not change after
// it (it is released and a new one made instead), as with tfjs's per-tensor packing before.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { F32Buf } from './buffers';
import { WasmHeap } from './buffers';
import type { GemmEngine, GemmMatrix } from './gemm-engine';
import { createWasmGemm, type KernelsVariant, type WasmGemm } from './wasm-kernels';
import { isWasmMemory, type WasmMemory } from './wasm-runtime';

interface EmscriptenModule {
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  asm: { memory: WasmMemory };
}

/** A 16-byte aligned [rows, cols] float32 matrix in the heap, with its packed form once packed. */
class HeapMatrix implements GemmMatrix {
  readonly heap = true;
  readonly base: number;
  /** byte address of the packed panels (0 until the first multiply) and of their allocation */
  packed = 0;
  packedAlloc = 0;
  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly alloc: number,
    private readonly heapSpace: WasmHeap,
  ) {
    this.base = align16(alloc) / 4;
  }
  get length(): number {
    return this.rows * this.cols;
  }
  array(): Float32Array {
    return this.heapSpace.heapF32();
  }
}

const align16 = (address: number) => (address + 15) & ~15;

/** The wasm backend's Emscripten module: its memory, malloc and free. */
export function wasmModuleOf(backend: BackendWasm): { memory: WasmMemory; _malloc(n: number): number; _free(p: number): void } {
  const mod = backend.wasm as unknown as EmscriptenModule;
  if (!isWasmMemory(mod.asm?.memory)) throw new Error('tfjs wasm module does not expose its memory');
  return { memory: mod.asm.memory, _malloc: (n) => mod._malloc(n), _free: (p) => mod._free(p) };
}

export class WasmGemmEngine implements GemmEngine {
  readonly name: string;
  readonly space: WasmHeap;
  readonly memory: WasmMemory;
  private readonly gemm: WasmGemm;
  private readonly mod: { _malloc(n: number): number; _free(p: number): void };
  private live = new Set<HeapMatrix>();
  /** the output buffer, reused by every multiply (grown when needed) */
  private outAlloc = 0;
  private outBase = 0;
  private outCapacity = 0;

  constructor(variant: KernelsVariant = 'auto') {
    if (tf.getBackend() !== 'wasm') throw new Error('WasmGemmEngine needs the wasm backend to be active');
    const mod = wasmModuleOf(tf.backend() as unknown as BackendWasm);
    this.mod = mod;
    this.memory = mod.memory;
    this.space = new WasmHeap(mod);
    this.gemm = createWasmGemm(mod.memory, variant);
    this.name = `wasm SIMD GEMM${this.gemm.fma ? ' with fused multiply-add (relaxed SIMD)' : ''} + SIMD kernels, in place in the tfjs wasm heap`;
  }

  private malloc(bytes: number): number {
    const ptr = this.mod._malloc(Math.max(16, bytes) + 16) >>> 0;
    if (ptr === 0) throw new Error(`out of wasm memory allocating ${(bytes / 1e6).toFixed(1)} MB`);
    return ptr;
  }

  matrix(rows: number, cols: number): GemmMatrix {
    // uninitialised heap memory: no zero-fill pass
    const m = new HeapMatrix(rows, cols, this.malloc(rows * cols * 4), this.space);
    this.live.add(m);
    return m;
  }

  multiply(a: GemmMatrix, w: GemmMatrix): F32Buf {
    const A = a as HeapMatrix;
    const W = w as HeapMatrix;
    if (A.cols !== W.rows) throw new Error(`GEMM shapes do not match: [${A.rows}×${A.cols}]·[${W.rows}×${W.cols}]`);
    if (W.packed === 0) {
      W.packedAlloc = this.malloc(this.gemm.packedLength(W.rows, W.cols) * 4);
      W.packed = align16(W.packedAlloc);
      this.gemm.packB(W.base * 4, W.rows, W.cols, W.packed);
    }
    const n = A.rows * W.cols;
    if (n > this.outCapacity) {
      if (this.outAlloc) this.mod._free(this.outAlloc);
      this.outCapacity = Math.max(n, Math.ceil(this.outCapacity * 1.25));
      this.outAlloc = this.malloc(this.outCapacity * 4);
      this.outBase = align16(this.outAlloc) / 4;
    }
    this.gemm.gemm(A.base * 4, A.rows, A.cols, W.packed, W.cols, this.outBase * 4);
    return this.space.viewF32(this.outBase * 4, n);
  }

  /** The output buffer is reused by the next multiply: nothing to free per product. */
  releaseOutput(): void {}

  release(m: GemmMatrix): void {
    const h = m as HeapMatrix;
    if (!this.live.delete(h)) return;
    this.mod._free(h.alloc);
    if (h.packedAlloc) this.mod._free(h.packedAlloc);
    h.packed = h.packedAlloc = 0;
  }

  dispose(): void {
    for (const m of [...this.live]) this.release(m);
    if (this.outAlloc) this.mod._free(this.outAlloc);
    this.outAlloc = this.outBase = this.outCapacity = 0;
  }
}
