// Where the sweep's arrays live. On the wasm backend everything (GEMM inputs and outputs,
// cell tangents, accumulators) lives in the tfjs wasm heap so that our GEMM and SIMD
// kernels (wasm/kernels.c) work on it in place; elsewhere plain JS arrays are used and
// the JS twins of the kernels run. A buffer is an array plus a base index into it, and
// the array is fetched on use because wasm memory growth replaces the heap's views.
import type { WasmMemory } from './wasm-runtime';

export interface F32Buf {
  /** true when the buffer is in the wasm heap (then `base*4` is its byte address) */
  readonly heap: boolean;
  readonly base: number;
  readonly length: number;
  array(): Float32Array;
}

export interface F64Buf {
  readonly heap: boolean;
  readonly base: number;
  readonly length: number;
  array(): Float64Array;
}

export interface BufferSpace {
  readonly heap: boolean;
  f32(length: number): F32Buf;
  f64(length: number): F64Buf;
  free(buf: F32Buf | F64Buf): void;
}

export function jsF32(array: Float32Array): F32Buf {
  return { heap: false, base: 0, length: array.length, array: () => array };
}

export function jsF64(array: Float64Array): F64Buf {
  return { heap: false, base: 0, length: array.length, array: () => array };
}

export class JsSpace implements BufferSpace {
  readonly heap = false;
  f32(length: number): F32Buf {
    return jsF32(new Float32Array(length));
  }
  f64(length: number): F64Buf {
    return jsF64(new Float64Array(length));
  }
  free(): void {}
}

/** The parts of the tfjs wasm (Emscripten) module the heap space uses. */
export interface WasmHeapModule {
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  memory: WasmMemory;
}

export class WasmHeap implements BufferSpace {
  readonly heap = true;
  private buffer: ArrayBuffer | null = null;
  private f32View = new Float32Array(0);
  private f64View = new Float64Array(0);

  constructor(private readonly mod: WasmHeapModule) {}

  private refresh(): void {
    const buffer = this.mod.memory.buffer;
    if (buffer !== this.buffer) {
      this.buffer = buffer;
      this.f32View = new Float32Array(buffer);
      this.f64View = new Float64Array(buffer);
    }
  }
  heapF32(): Float32Array {
    this.refresh();
    return this.f32View;
  }
  heapF64(): Float64Array {
    this.refresh();
    return this.f64View;
  }
  /** A buffer over memory the caller owns (e.g. a tensor), at a byte address. */
  viewF32(address: number, length: number): F32Buf {
    if (address % 4 !== 0) throw new Error('misaligned float32 buffer');
    return { heap: true, base: address / 4, length, array: () => this.heapF32() };
  }
  f32(length: number): F32Buf {
    const ptr = this.alloc(length * 4);
    return this.viewF32(ptr, length);
  }
  f64(length: number): F64Buf {
    const ptr = this.alloc(length * 8);
    if (ptr % 8 !== 0) throw new Error('misaligned float64 buffer');
    const buf = { heap: true, base: ptr / 8, length, array: () => this.heapF64() };
    this.heapF64().fill(0, buf.base, buf.base + length);
    return buf;
  }
  free(buf: F32Buf | F64Buf): void {
    const bytes = buf.array().BYTES_PER_ELEMENT;
    this.mod._free(buf.base * bytes);
  }
  private alloc(bytes: number): number {
    const ptr = this.mod._malloc(Math.max(8, bytes)) >>> 0;
    if (ptr === 0) throw new Error(`out of wasm memory allocating ${(bytes / 1e6).toFixed(1)} MB`);
    return ptr;
  }
}
