// How many streams the tensor path sweeps at once: as many as fit in the device's memory.
// tf.memory() does not know the device's size (and on tfjs-node reports only what tfjs
// itself holds), so the size comes from, in this order: the deviceMemory option
// (`--device-memory MB`), `nvidia-smi` (free memory of the first GPU) when the backend runs
// on a GPU, or DEFAULT_DEVICE_MEMORY_MB (capped at half the free system memory) for the
// backends that compute in system memory (tensorflow on the CPU, wasm, cpu).
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import type { RnnLmWeights } from '../../model/rnn-weights';
import { tangentCell } from '../tangent-cells';
import { DeviceSums, type DeviceSumsShape } from './device-sums';

export const DEFAULT_DEVICE_MEMORY_MB = 2048;
/** Share of the device's memory the sweep plans to use: the rest is the allocator's slack, cuBLAS workspaces and other programs. */
const USABLE_FRACTION = 0.7;
const MB = 1024 * 1024;

export type DeviceMemorySource = 'option' | 'nvidia-smi' | 'default';

export interface DeviceMemory {
  megabytes: number;
  source: DeviceMemorySource;
}

/** Free memory of the first GPU in MiB, per nvidia-smi; null when there is none or it does not answer. */
export function gpuFreeMemoryMB(): number | null {
  try {
    const out = execFileSync('nvidia-smi', ['--query-gpu=memory.free', '--format=csv,noheader,nounits'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    });
    const first = Number(out.trim().split('\n')[0]);
    return Number.isFinite(first) && first > 0 ? first : null;
  } catch {
    return null;
  }
}

/**
 * The memory to plan for: the option, else the GPU's free memory (`gpuFree`, from
 * gpuFreeMemoryMB() asked before TensorFlow loaded: TensorFlow reserves most of the GPU's
 * memory for its allocator when it starts, after which nvidia-smi shows it as used), else the default.
 */
export function deviceMemory(option: number | undefined, gpuFree: number | null): DeviceMemory {
  if (option !== undefined) return { megabytes: option, source: 'option' };
  if (gpuFree !== null) return { megabytes: gpuFree, source: 'nvidia-smi' };
  return { megabytes: Math.min(DEFAULT_DEVICE_MEMORY_MB, Math.floor(os.freemem() / 2 / MB)), source: 'default' };
}

export interface ChunkPlan {
  streams: number;
  /** estimated bytes of one stream's tangents and temporaries, and of the accumulators */
  bytesPerStream: number;
  fixedBytes: number;
  /** false when not even one stream fits in the memory given */
  fits: boolean;
}

/**
 * Device bytes of one stream at the widest (D + 1 slots): per layer the tangents (dh, and dc
 * for an LSTM, old and new), the step's temporaries (masked input, stacked input, the
 * product, the advance) and the stream's folded M with its temporaries; the target's rows
 * gathered for classes and words. Fixed: the accumulators twice (old and new while adding).
 */
export function planChunk(
  w: RnnLmWeights,
  layer: number,
  sums: DeviceSumsShape,
  maxMemberships: number,
  streams: number,
  memory: DeviceMemory,
): ChunkPlan {
  const R = sums.maxDelay + 1;
  const E = w.embeddingDim;
  let perSlotRow = 0;
  let perStream = 0;
  w.layers.slice(0, layer).forEach((l, m) => {
    const { width, memory: hasC } = tangentCell(l.cell);
    const K = (m === 0 ? 0 : l.inputSize) + l.units;
    perSlotRow += 2 * l.units * (hasC ? 2 : 1) + K + l.units + 3 * width * l.units + (hasC ? 6 * l.units : 0);
    perStream += 6 * (K + (m === 0 ? E : 0)) * width * l.units;
  });
  perSlotRow += (maxMemberships + 1) * w.layers[layer - 1].units;
  const bytesPerStream = 4 * (R * E * perSlotRow + perStream);
  const fixedBytes = 2 * DeviceSums.bytes(sums);
  const usable = memory.megabytes * MB * USABLE_FRACTION - fixedBytes;
  const n = Math.floor(usable / bytesPerStream);
  return { streams: Math.max(1, Math.min(streams, n)), bytesPerStream, fixedBytes, fits: n >= 1 };
}
