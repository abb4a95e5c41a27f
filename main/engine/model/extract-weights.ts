// Between the tfjs model and the plain-array weights view that analyses consume.
import * as tf from '@tensorflow/tfjs';
import type { RnnLmWeights } from './rnn-weights';
import type { LmTensors } from './lstm-forward';
import { architectureOf, modelTensors } from './lstm-lm';

const copy = (t: tf.Tensor) => Float32Array.from(t.dataSync() as Float32Array);

/** Copies the weights of a canonical model (see lstm-lm.ts) into plain arrays. */
export function extractWeights(model: tf.LayersModel): RnnLmWeights {
  const arch = architectureOf(model);
  const t = modelTensors(model);
  let inputSize = arch.embeddingDim;
  return {
    vocabSize: arch.vocabSize,
    embeddingDim: arch.embeddingDim,
    embedding: copy(t.embedding),
    layers: t.layers.map((l, i) => {
      const units = arch.layers[i].units;
      const layer = {
        inputSize,
        units,
        kernel: copy(l.kernel),
        recurrentKernel: copy(l.recurrentKernel),
        bias: copy(l.bias),
        cell: arch.layers[i].cell, recurrentActivation: l.recurrentActivation,
      };
      inputSize = units;
      return layer;
    }),
    outputKernel: copy(t.outputKernel),
    outputBias: copy(t.outputBias),
  };
}

/** Tensors over plain weights, for the functional forward pass; dispose with disposeTensors. */
export function tensorsFromWeights(w: RnnLmWeights): LmTensors {
  const H = w.layers[w.layers.length - 1].units;
  return {
    embedding: tf.tensor2d(w.embedding, [w.vocabSize, w.embeddingDim]),
    layers: w.layers.map((l) => ({
      kernel: tf.tensor2d(l.kernel, [l.inputSize, 4 * l.units]),
      recurrentKernel: tf.tensor2d(l.recurrentKernel, [l.units, 4 * l.units]),
      bias: tf.tensor1d(l.bias),
      recurrentActivation: l.recurrentActivation,
    })),
    outputKernel: tf.tensor2d(w.outputKernel, [H, w.vocabSize]),
    outputBias: tf.tensor1d(w.outputBias),
  };
}

export function disposeTensors(t: LmTensors): void {
  tf.dispose([t.embedding, ...t.layers.flatMap((l) => [l.kernel, l.recurrentKernel, l.bias]), t.outputKernel, t.outputBias]);
}

/** Sets a canonical model's weights from plain arrays (shapes must match its architecture). */
export function assignWeights(model: tf.LayersModel, w: RnnLmWeights): void {
  const t = tensorsFromWeights(w);
  const m = modelTensors(model);
  const pairs: [tf.Tensor, tf.Tensor][] = [
    [m.embedding, t.embedding],
    ...m.layers.flatMap((l, i): [tf.Tensor, tf.Tensor][] => [
      [l.kernel, t.layers[i].kernel],
      [l.recurrentKernel, t.layers[i].recurrentKernel],
      [l.bias, t.layers[i].bias],
    ]),
    [m.outputKernel, t.outputKernel],
    [m.outputBias, t.outputBias],
  ];
  for (const [v, value] of pairs) (v as tf.Variable).assign(value);
  disposeTensors(t);
}
