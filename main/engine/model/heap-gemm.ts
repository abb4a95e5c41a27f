// The output layer's matrix products on wasm through the sweep's own GEMM
// (gradients/wasm-kernels.ts: SIMD, with fused multiply-adds where the engine has relaxed
// SIMD), working in place on the tensors' storage in the tfjs wasm heap. At V = 10k these
// products are most of a training step, and tfjs's XNNPACK matMul runs them at 25–35
// GFLOP/s per core here against 46 for this GEMM; it also takes either operand as it lies,
// so the gradient needs no [N, V] transposes.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { createWasmGemm, kernelsInstance, type WasmGemm } from '../gradients/wasm-kernels';
import { wasmModuleOf } from '../gradients/wasm-gemm-engine';

export interface HeapKernels {
  backend: BackendWasm;
  gemm: WasmGemm;
  /** The kernels module's exports, training kernels included (each op types the ones it calls). */
  exports: Record<string, unknown>;
  /** The heap itself: its buffer changes when the heap grows, so take views after every malloc. */
  memory: { readonly buffer: ArrayBuffer };
  malloc(bytes: number): number;
  free(address: number): void;
}

let kernels: HeapKernels | null = null;

/**
 * The running backend when it is tfjs-backend-wasm, whose tensors live in its heap (its
 * public typedArrayFromHeap gives a live view of a tensor's storage); null on any other.
 */
export function heapBackend(): BackendWasm | null {
  if (tf.getBackend() !== 'wasm') return null;
  const backend = tf.backend() as BackendWasm;
  return typeof backend.typedArrayFromHeap === 'function' ? backend : null;
}

/** The GEMM and kernels on the running wasm backend's memory, or null on any other backend. */
export function heapKernels(): HeapKernels | null {
  const backend = heapBackend();
  if (!backend) return null;
  if (kernels?.backend !== backend) {
    const mod = wasmModuleOf(backend);
    kernels = {
      backend,
      gemm: createWasmGemm(mod.memory),
      exports: kernelsInstance(mod.memory).exports,
      memory: mod.memory,
      malloc: mod._malloc,
      free: mod._free,
    };
  }
  return kernels;
}

/** Byte address of a float32 tensor's storage in the heap. */
export function addressOf(k: HeapKernels, t: tf.Tensor): number {
  return k.backend.typedArrayFromHeap(t).byteOffset;
}

/**
 * A new float32 tensor whose storage is allocated in the heap but not filled, for a kernel
 * that writes every element: tf.zeros would build a zero array in JS and copy it in, about
 * 8 ms per [256, 10 000] here.
 */
export function uninitialisedTensor(k: HeapKernels, shape: number[]): tf.Tensor {
  return tf.engine().makeTensorFromTensorInfo(k.backend.makeOutput(shape, 'float32'));
}

/**
 * Regions of one malloc'd block of the heap, by name, each 16-byte aligned (sizes in 4-byte
 * words), released once. `what` names the user of the memory in the error when the heap
 * cannot grow.
 */
export class HeapScratch<R extends string> {
  private readonly block: number;
  readonly at: Record<R, number>;
  private freed = false;

  constructor(
    private readonly k: HeapKernels,
    words: Record<R, number>,
    what: string,
  ) {
    let total = 16;
    const offsets = {} as Record<R, number>;
    for (const name of Object.keys(words) as R[]) {
      offsets[name] = total - 16;
      total += Math.ceil((words[name] * 4) / 16) * 16;
    }
    // (A wasm32 heap ends at 4 GiB; malloc takes its size as an unsigned 32-bit number.)
    this.block = total < 2 ** 32 ? k.malloc(total) : 0;
    if (!this.block) throw new Error(`${what}: out of wasm memory (${(total / 2 ** 20).toFixed(0)} MiB of scratch could not be allocated)`);
    const base = Math.ceil(this.block / 16) * 16; // (not & ~15: addresses may pass 2^31)
    this.at = {} as Record<R, number>;
    for (const name of Object.keys(words) as R[]) this.at[name] = base + offsets[name];
  }

  get released(): boolean {
    return this.freed;
  }

  release(): void {
    if (this.freed) return;
    this.freed = true;
    this.k.free(this.block);
  }
}

/** Runs f on `floats` floats of 16-byte-aligned heap scratch, freed afterwards. */
export function withHeapScratch<T>(k: HeapKernels, floats: number, what: string, f: (address: number) => T): T {
  const s = new HeapScratch(k, { region: floats }, what);
  try {
    return f(s.at.region);
  } finally {
    s.release();
  }
}

/** a [M, K] · b [K, N] as a new tensor, on wasm through the heap GEMM; tf.matMul elsewhere. */
export function heapMatMul(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  const k = heapKernels();
  if (!k || a.dtype !== 'float32' || b.dtype !== 'float32') return tf.matMul(a, b);
  const [M, K] = a.shape;
  const [K2, N] = b.shape;
  if (K !== K2) throw new Error(`heapMatMul: inner sizes differ (${a.shape} · ${b.shape})`);
  if (M === 0 || N === 0 || K === 0) return tf.zeros([M, N]);
  const out = uninitialisedTensor(k, [M, N]) as tf.Tensor2D; // the GEMM writes all of it
  withHeapScratch(k, k.gemm.packedLength(K, N), `heapMatMul, packing a [${K}, ${N}] matrix`, (packed) => {
    k.gemm.packB(addressOf(k, b), K, N, packed);
    k.gemm.gemm(addressOf(k, a), M, K, packed, N, addressOf(k, out));
  });
  return out;
}
