// Upper bounds on model sizes, derived from memory: before training allocates a model, or an
// import reads one, the bytes it would need are estimated and compared with what the running
// backend can have — the wasm backend's heap of 4 GiB per worker, and the machine's RAM.
// A size that does not fit is a UserError saying how much it would need, not a crash deep
// inside TensorFlow.js ("Invalid typed array length", an out-of-memory abort).
import os from 'node:os';
import type { Architecture } from '../../../shared/schemas/model';
import { UserError } from '../errors';
import { formatBytes } from '../../../shared/format';
import { gateCount, hasCellState } from './rnn-weights';

/** A wasm module's linear memory is at most 4 GiB (32-bit addresses); each worker has its own. */
export const WASM_HEAP_BYTES = 4 * 1024 ** 3;

let running: string | null = null;

/** Called by selectBackend: the backend this thread computes with. */
export function noteRunningBackend(name: string): void {
  running = name;
}

/** The backend selectBackend chose in this thread ('wasm', 'tensorflow', 'cpu'), or null before it ran. */
export function runningBackend(): string | null {
  return running;
}

export interface MemoryLimit {
  /** Bytes the model may use. */
  bytes: number;
  /** How the limit reads in a message: 'the wasm backend has 4 GiB per worker and this machine 16 GiB'. */
  text: string;
}

/**
 * What a model may use on `backend` ('wasm', 'tensorflow', 'cpu'; null when not known yet:
 * then the wasm limit counts too, as the backend could be wasm). `machineBytes` is the
 * machine's RAM (default os.totalmem()).
 */
export function memoryLimit(backend: string | null, machineBytes = os.totalmem()): MemoryLimit {
  const machine = `this machine ${formatBytes(machineBytes)}`;
  if (backend === 'wasm' || backend === null) {
    return { bytes: Math.min(WASM_HEAP_BYTES, machineBytes), text: `the wasm backend has ${formatBytes(WASM_HEAP_BYTES)} per worker and ${machine}` };
  }
  return { bytes: machineBytes, text: `the ${backend} backend is limited by memory: ${machine}` };
}

/**
 * Number of weights of an architecture: Embedding, each recurrent layer (kernel, recurrent
 * kernel, bias, and the 'gru' cell's recurrent bias: G·H columns each), Dense.
 */
export function parameterCount(arch: Architecture): number {
  const V = arch.vocabSize;
  let n = V * arch.embeddingDim;
  let input = arch.embeddingDim;
  for (const l of arch.layers) {
    const GH = gateCount(l.cell) * l.units;
    n += GH * (input + l.units) + (l.cell === 'gru' ? 2 : 1) * GH;
    input = l.units;
  }
  return n + input * V + V;
}

export interface TrainingShape {
  batchSize: number;
  bptt: number;
  optimizer: 'sgd' | 'adam';
}

/** Activations per token of one recurrent layer: its G gates, the LSTM's cell, the output. */
function layerActivations(l: Architecture['layers'][number]): number {
  return (gateCount(l.cell) + (hasCellState(l.cell) ? 1 : 0) + 1) * l.units;
}

/**
 * Bytes a training step needs, about: the weights, their gradients, the clipped gradients
 * and the update's temporaries (four copies; Adam keeps two more), and the activations of one
 * window of B×T tokens kept for the backward pass — the embedding, each layer's gates, cell
 * and output, and the V-wide logits, softmax and their gradient — counted twice for the
 * backward pass's own buffers. float32 throughout.
 */
export function trainingBytes(arch: Architecture, shape: TrainingShape): number {
  const copies = shape.optimizer === 'adam' ? 6 : 4;
  const perToken = arch.embeddingDim + arch.layers.reduce((n, l) => n + layerActivations(l), 0) + 3 * arch.vocabSize;
  const activations = 2 * shape.batchSize * shape.bptt * perToken;
  return 4 * (copies * parameterCount(arch) + activations);
}

function describeArch(arch: Architecture): string {
  const H = arch.layers.map((l) => l.units);
  const hidden = H.every((h) => h === H[0]) ? `${H.length} × ${H[0]}` : H.join(', ');
  return `embedding ${arch.embeddingDim}, hidden ${hidden}, vocabulary ${arch.vocabSize}`;
}

/** Refuses a training whose model and step would not fit in memory on `backend`. */
export function checkTrainingFits(arch: Architecture, shape: TrainingShape, backend: string | null, machineBytes?: number): void {
  const need = trainingBytes(arch, shape);
  const limit = memoryLimit(backend, machineBytes);
  if (need > limit.bytes) {
    throw new UserError(
      `a model of ${describeArch(arch)} (batch ${shape.batchSize}, BPTT ${shape.bptt}) needs about ${formatBytes(need)} to train; ` +
        `${limit.text}: choose smaller sizes`,
    );
  }
}

/**
 * Bytes evaluating one window of B×T tokens needs, about: the forward pass's activations
 * (embedding, gates, cell and output per layer, logits and softmax), which live until the
 * window's loss is taken, on top of the weights.
 */
export function evaluationBytes(arch: Architecture, batchSize: number, steps: number): number {
  const perToken = arch.embeddingDim + arch.layers.reduce((n, l) => n + layerActivations(l), 0) + 2 * arch.vocabSize;
  return 4 * (parameterCount(arch) + batchSize * steps * perToken);
}

/** Refuses an evaluation (perplexity) whose windows would not fit in memory on `backend`. */
export function checkEvaluationFits(arch: Architecture, batchSize: number, steps: number, backend: string | null, machineBytes?: number): void {
  const need = evaluationBytes(arch, batchSize, steps);
  const limit = memoryLimit(backend, machineBytes);
  if (need > limit.bytes) {
    throw new UserError(
      `evaluating a model of ${describeArch(arch)} in windows of ${batchSize} × ${steps} tokens needs about ${formatBytes(need)}; ` +
        `${limit.text}: use a smaller batch or BPTT`,
    );
  }
}

/**
 * Refuses reading a model whose weights take `weightBytes`: loading, checking and converting
 * them holds about four copies (the file's bytes, the decoded tensors, the loaded model, the
 * rewritten one).
 */
export function checkWeightsFit(file: string, weightBytes: number, backend: string | null, machineBytes?: number): void {
  const need = 4 * weightBytes;
  const limit = memoryLimit(backend, machineBytes);
  if (need > limit.bytes) {
    throw new UserError(
      `${file}: the model's weights take ${formatBytes(weightBytes)}, and loading them needs about ${formatBytes(need)}; ${limit.text}`,
    );
  }
}
