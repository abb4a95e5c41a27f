// The update of data-parallel training over flat arrays in the pool's shared memory
// (flat-parameters.ts layout), made by the workers themselves, each on its own slice of the
// parameters: the sum of the workers' gradients in worker order, the global norm, clipping,
// and SGD or Adam. The arithmetic is the SIMD kernels' (wasm/flat-update.c), which follow
// optimizer.ts' formulas and clipByGlobalNorm's scaling operation by operation in float32,
// with the scalars rounded as tfjs rounds them: the weights follow the tfjs update up to the
// order of the norm's additions.
//
// The shared memory is a WebAssembly.Memory, so that the kernels work on it in place:
// [reserved page | gradient slots W × P | weights P | Adam's m P, s P (Adam only)].
import { UserError } from '../../errors';
import { clipScale, type OptimizerSpec } from '../optimizer';
import { FLAT_UPDATE_WASM_BASE64 } from './wasm/flat-update-binary';

const PAGE = 65536;
/** wasm32 addresses: the whole memory must stay under 4 GiB. */
const MAX_PAGES = 65536;

/** A shared WebAssembly.Memory (it goes to the workers with the other buffers). */
export interface SharedWasmMemory {
  readonly buffer: SharedArrayBuffer;
}

interface WasmGlobal {
  Memory: new (d: { initial: number; maximum: number; shared: true }) => SharedWasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmGlobal }).WebAssembly;

/** Byte offsets of the arrays in the shared memory. */
export interface FlatRegions {
  memory: SharedWasmMemory;
  workers: number;
  parameters: number;
  gradients: number;
  weights: number;
  /** Adam's m then s, or -1 for SGD. */
  moments: number;
}

/** The pool's shared memory for W workers and P parameters, zeroed. */
export function flatRegions(workers: number, parameters: number, optimizer: OptimizerSpec | null): FlatRegions {
  const bytes = parameters * 4;
  const gradients = PAGE;
  const weights = gradients + workers * bytes;
  const moments = optimizer?.kind === 'adam' ? weights + bytes : -1;
  const end = (moments >= 0 ? moments + 2 * bytes : weights + bytes) + 16;
  const pages = Math.ceil(end / PAGE);
  if (pages > MAX_PAGES) {
    throw new UserError(
      `data-parallel training needs ${(end / 2 ** 30).toFixed(1)} GiB of shared memory for ${workers} workers × ${parameters} parameters (at most 4 GiB): use fewer workers`,
    );
  }
  return { memory: new wasm.Memory({ initial: pages, maximum: pages, shared: true }), workers, parameters, gradients, weights, moments };
}

export interface FlatViews {
  /** The workers' gradient slots, W × P: after a step's reduction slot 0 holds their sum. */
  slots: Float32Array;
  weights: Float32Array;
}

export function flatViews(r: FlatRegions): FlatViews {
  const b = r.memory.buffer;
  return {
    slots: new Float32Array(b, r.gradients, r.workers * r.parameters),
    weights: new Float32Array(b, r.weights, r.parameters),
  };
}

export interface ParameterSlice {
  /** First parameter of the slice. */
  lo: number;
  /** One past the last. */
  hi: number;
}

/** Worker w's slice of `size` parameters shared among `workers`: contiguous, in order, sizes differing by at most one. */
export function parameterSlice(size: number, workers: number, w: number): ParameterSlice {
  return { lo: Math.floor((size * w) / workers), hi: Math.floor((size * (w + 1)) / workers) };
}

export interface FlatStep {
  learningRate: number;
  /** The global norm of the summed gradients before clipping. */
  norm: number;
  /** clipByGlobalNorm's maxNorm (0: no clipping). */
  clipNorm: number;
  /** Adam's step count, from 1 (this update included). */
  t: number;
}

interface KernelExports {
  sum_slots(slots: number, workers: number, size: number, lo: number, hi: number): number;
  sgd(w: number, g: number, lo: number, hi: number, scale: number, lr: number): void;
  adam(
    w: number,
    g: number,
    m: number,
    s: number,
    lo: number,
    hi: number,
    scale: number,
    lr: number,
    b1: number,
    a1: number,
    b2: number,
    a2: number,
    c1: number,
    c2: number,
    eps: number,
  ): void;
}

let compiled: object | null = null;

/** The update's kernels on the pool's shared memory (in whichever thread calls this). */
export class FlatUpdater {
  private readonly k: KernelExports;

  constructor(private readonly r: FlatRegions) {
    compiled ??= new wasm.Module(Buffer.from(FLAT_UPDATE_WASM_BASE64, 'base64'));
    this.k = new wasm.Instance(compiled, { env: { memory: r.memory } }).exports as unknown as KernelExports;
  }

  /** Adds the W gradient slots over the slice into slot 0, in worker order; returns the slice's sum of squares of the sum. */
  sumSlots({ lo, hi }: ParameterSlice): number {
    return this.k.sum_slots(this.r.gradients, this.r.workers, this.r.parameters, lo, hi);
  }

  /** One update of the weights over the slice from the summed gradients in slot 0 (clipped here by the global norm). */
  update(spec: OptimizerSpec, { lo, hi }: ParameterSlice, step: FlatStep): void {
    const { weights, gradients, moments, parameters } = this.r;
    // The kernels take float32 scalars: each is rounded once on the way in, as tfjs rounds its scalar tensors.
    const scale = clipScale(step.norm, step.clipNorm);
    if (spec.kind === 'sgd') {
      this.k.sgd(weights, gradients, lo, hi, scale, step.learningRate);
      return;
    }
    if (moments < 0) throw new Error('Adam needs its moments in the shared memory');
    const { beta1, beta2, epsilon } = spec;
    const c1 = 1 - beta1 ** step.t;
    const c2 = 1 - beta2 ** step.t;
    this.k.adam(weights, gradients, moments, moments + parameters * 4, lo, hi, scale, step.learningRate, beta1, 1 - beta1, beta2, 1 - beta2, c1, c2, epsilon);
  }
}
