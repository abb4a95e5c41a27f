// Zero-copy GEMM on the tfjs wasm backend. The sweep writes tangents and folded weights
// straight into tensors that live in the wasm heap and reads the product where XNNPACK
// wrote it, so the only full passes over memory are the GEMM and the fused SIMD kernels
// (DESIGN §5: every extra elementwise pass costs a few % of the GEMM).
//
// Orientation: out[rows, w] = tangents[rows, K] · M[K, w] (w = 2H or H, tangent-cells.ts). tfjs-wasm
// hands the right operand to XNNPACK as fully-connected weights (packed once per tensor,
// freed with it); the tangent rows are the "batch", XNNPACK's fast case (2-D, no transpose).
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { F32Buf } from './buffers';
import { WasmHeap } from './buffers';
import type { GemmEngine, GemmMatrix } from './gemm-engine';
import { isWasmMemory, type WasmMemory } from './wasm-runtime';

interface EmscriptenModule {
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  asm: { memory: WasmMemory };
}

class WasmMatrix implements GemmMatrix {
  readonly heap = true;
  readonly base: number;
  readonly length: number;
  constructor(
    readonly tensor: tf.Tensor2D,
    address: number,
    private readonly heapSpace: WasmHeap,
  ) {
    this.base = address / 4;
    this.length = tensor.size;
  }
  get rows(): number {
    return this.tensor.shape[0];
  }
  get cols(): number {
    return this.tensor.shape[1];
  }
  array(): Float32Array {
    return this.heapSpace.heapF32();
  }
}

/** The wasm backend's Emscripten module: its memory, malloc and free. */
export function wasmModuleOf(backend: BackendWasm): { memory: WasmMemory; _malloc(n: number): number; _free(p: number): void } {
  const mod = backend.wasm as unknown as EmscriptenModule;
  if (!isWasmMemory(mod.asm?.memory)) throw new Error('tfjs wasm module does not expose its memory');
  return { memory: mod.asm.memory, _malloc: (n) => mod._malloc(n), _free: (p) => mod._free(p) };
}

export class WasmGemmEngine implements GemmEngine {
  readonly name = 'tfjs wasm matMul (XNNPACK) + SIMD kernels, in place in the wasm heap';
  readonly space: WasmHeap;
  readonly memory: WasmMemory;
  private readonly backend: BackendWasm;
  private out: tf.Tensor2D | null = null;
  private live = new Set<tf.Tensor2D>();

  constructor() {
    if (tf.getBackend() !== 'wasm') throw new Error('WasmGemmEngine needs the wasm backend to be active');
    this.backend = tf.backend() as unknown as BackendWasm;
    const mod = wasmModuleOf(this.backend);
    this.memory = mod.memory;
    this.space = new WasmHeap(mod);
  }

  private wrap(t: tf.Tensor2D): WasmMatrix {
    return new WasmMatrix(t, this.backend.getMemoryOffset(t.dataId), this.space);
  }

  matrix(rows: number, cols: number): GemmMatrix {
    // makeOutput without values mallocs uninitialised heap memory: no zero-fill pass.
    const info = this.backend.makeOutput([rows, cols], 'float32');
    const t = tf.engine().makeTensorFromTensorInfo(info, this.backend as unknown as tf.KernelBackend) as tf.Tensor2D;
    this.live.add(t);
    return this.wrap(t);
  }

  multiply(a: GemmMatrix, w: GemmMatrix): F32Buf {
    this.releaseOutput();
    const out = tf.matMul((a as WasmMatrix).tensor, (w as WasmMatrix).tensor) as tf.Tensor2D;
    this.out = out;
    return this.wrap(out);
  }

  releaseOutput(): void {
    if (this.out) this.out.dispose();
    this.out = null;
  }

  release(m: GemmMatrix): void {
    const t = (m as WasmMatrix).tensor;
    this.live.delete(t);
    t.dispose();
  }

  dispose(): void {
    this.releaseOutput();
    tf.dispose([...this.live]);
    this.live.clear();
  }
}
