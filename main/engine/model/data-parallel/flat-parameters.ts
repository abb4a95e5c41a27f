// The model's variables laid end to end in one Float32Array, in modelTensors' order: how
// weights go from the leader to the workers and gradients come back, through shared memory.
import * as tf from '@tensorflow/tfjs';
import { heapBackend } from '../heap-gemm';

export interface FlatSlot {
  name: string;
  shape: number[];
  offset: number;
  size: number;
}

export interface FlatLayout {
  slots: FlatSlot[];
  /** Total number of parameters. */
  size: number;
}

/** Slots by position: the leader's and a worker's variables differ in name (tfjs numbers them per model) but not in order or shape. */
export function flatLayout(variables: readonly tf.Variable[]): FlatLayout {
  let offset = 0;
  const slots = variables.map((v) => {
    const slot = { name: v.name, shape: v.shape.slice(), offset, size: v.size };
    offset += v.size;
    return slot;
  });
  return { slots, size: offset };
}

function checkSameLayout(variables: readonly tf.Variable[], layout: FlatLayout): void {
  if (variables.length !== layout.slots.length || variables.some((v, i) => v.size !== layout.slots[i].size)) {
    throw new Error('the worker model does not match the training model (variables differ)');
  }
}

/** Copies the variables' values into `flat`. */
export function writeVariables(variables: readonly tf.Variable[], layout: FlatLayout, flat: Float32Array): void {
  checkSameLayout(variables, layout);
  variables.forEach((v, i) => flat.set(v.dataSync() as Float32Array, layout.slots[i].offset));
}

/** Sets the variables from `flat`. */
export function assignVariables(variables: readonly tf.Variable[], layout: FlatLayout, flat: Float32Array): void {
  checkSameLayout(variables, layout);
  variables.forEach((v, i) => {
    const { offset, size, shape } = layout.slots[i];
    const t = tf.tensor(flat.subarray(offset, offset + size), shape);
    v.assign(t);
    t.dispose();
  });
}

/**
 * Copies gradients (by the variables' names) into `flat`, in layout order: on wasm straight
 * from their storage in the heap (dataSync there would copy each one first).
 */
export function writeGradients(variables: readonly tf.Variable[], grads: tf.NamedTensorMap, layout: FlatLayout, flat: Float32Array): void {
  const heap = heapBackend();
  variables.forEach((v, i) => {
    const g = grads[v.name];
    flat.set(heap && g.dtype === 'float32' ? heap.typedArrayFromHeap(g) : (g.dataSync() as Float32Array), layout.slots[i].offset);
  });
}
