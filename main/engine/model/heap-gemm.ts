// The output layer's matrix products on wasm through the sweep's own GEMM
// (gradients/wasm-kernels.ts: SIMD, with fused multiply-adds where the engine has relaxed
// SIMD), working in place on the tensors' storage in the tfjs wasm heap. At V = 10k these
// products are most of a training step, and tfjs's XNNPACK matMul runs them at 25–35
// GFLOP/s per core here against 46 for this GEMM; it also takes either operand as it lies,
// so the gradient needs no [N, V] transposes.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { createWasmGemm, type WasmGemm } from '../gradients/wasm-kernels';
import { wasmModuleOf } from '../gradients/wasm-gemm-engine';

interface HeapKernels {
  backend: BackendWasm;
  gemm: WasmGemm;
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

/** The GEMM on the running wasm backend's memory, or null on any other backend. */
function heapKernels(): HeapKernels | null {
  const backend = heapBackend();
  if (!backend) return null;
  if (kernels?.backend !== backend) {
    const mod = wasmModuleOf(backend);
    kernels = { backend, gemm: createWasmGemm(mod.memory), malloc: mod._malloc, free: mod._free };
  }
  return kernels;
}

/** Byte address of a float32 tensor's storage in the heap. */
function addressOf(k: HeapKernels, t: tf.Tensor): number {
  return k.backend.typedArrayFromHeap(t).byteOffset;
}

/** a [M, K] · b [K, N] as a new tensor, on wasm through the heap GEMM; tf.matMul elsewhere. */
export function heapMatMul(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  const k = heapKernels();
  if (!k || a.dtype !== 'float32' || b.dtype !== 'float32') return tf.matMul(a, b);
  const [M, K] = a.shape;
  const [K2, N] = b.shape;
  if (K !== K2) throw new Error(`heapMatMul: inner sizes differ (${a.shape} · ${b.shape})`);
  const out = tf.zeros([M, N]) as tf.Tensor2D;
  if (M === 0 || N === 0 || K === 0) return out;
  const alloc = k.malloc(k.gemm.packedLength(K, N) * 4 + 16);
  if (!alloc) throw new Error(`heapMatMul: out of wasm memory packing a [${K}, ${N}] matrix`);
  try {
    const packed = (alloc + 15) & ~15;
    k.gemm.packB(addressOf(k, b), K, N, packed);
    k.gemm.gemm(addressOf(k, a), M, K, packed, N, addressOf(k, out));
  } finally {
    k.free(alloc);
  }
  return out;
}
