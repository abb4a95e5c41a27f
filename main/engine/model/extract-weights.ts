// Between the tfjs model and the plain-array weights view that analyses consume.
import * as tf from '@tensorflow/tfjs';
import type { RecurrentLayerWeights, RnnLmWeights } from './rnn-weights';
import { gateCount } from './rnn-weights';
import type { LmTensors } from './lstm-forward';
import { architectureOf, modelTensors } from './rnn-lm';

const copy = (t: tf.Tensor) => Float32Array.from(t.dataSync() as Float32Array);

/** Copies the weights of a canonical model (see rnn-lm.ts) into plain arrays. */
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
      const bias = copy(l.bias);
      const layer: RecurrentLayerWeights = {
        cell: l.cell,
        inputSize,
        units,
        kernel: copy(l.kernel),
        recurrentKernel: copy(l.recurrentKernel),
        // 'gru': the [2, 3H] bias splits into the input bias and the recurrent bias.
        bias: l.cell === 'gru' ? bias.slice(0, 3 * units) : bias,
        ...(l.cell === 'gru' && { recurrentBias: bias.slice(3 * units) }),
        recurrentActivation: l.recurrentActivation,
      };
      inputSize = units;
      return layer;
    }),
    outputKernel: copy(t.outputKernel),
    outputBias: copy(t.outputBias),
  };
}

/** Checks one layer's arrays against its cell's layout (rnn-weights.ts); names the layer. */
function checkLayer(l: RecurrentLayerWeights, i: number): void {
  const G = gateCount(l.cell);
  const H = l.units;
  const want: [string, Float32Array | undefined, number][] = [
    ['kernel', l.kernel, l.inputSize * G * H],
    ['recurrentKernel', l.recurrentKernel, H * G * H],
    ['bias', l.bias, G * H],
  ];
  if (l.cell === 'gru') want.push(['recurrentBias', l.recurrentBias, G * H]);
  for (const [name, a, n] of want) {
    if (!a) throw new Error(`layer ${i + 1} (${l.cell}) has no ${name}`);
    if (a.length !== n) throw new Error(`layer ${i + 1} (${l.cell}): ${name} has ${a.length} values, expected ${n}`);
  }
  if (l.cell !== 'gru' && l.recurrentBias) throw new Error(`layer ${i + 1} (${l.cell}) has a recurrentBias, which only 'gru' layers have`);
}

/** Tensors over plain weights, for the functional forward pass; dispose with disposeTensors. */
export function tensorsFromWeights(w: RnnLmWeights): LmTensors {
  w.layers.forEach(checkLayer);
  const H = w.layers[w.layers.length - 1].units;
  return {
    embedding: tf.tensor2d(w.embedding, [w.vocabSize, w.embeddingDim]),
    layers: w.layers.map((l) => {
      const GH = gateCount(l.cell) * l.units;
      let bias: tf.Tensor;
      if (l.cell === 'gru') {
        const both = new Float32Array(2 * GH);
        both.set(l.bias, 0);
        both.set(l.recurrentBias as Float32Array, GH);
        bias = tf.tensor2d(both, [2, GH]);
      } else {
        bias = tf.tensor1d(l.bias);
      }
      return {
        cell: l.cell,
        kernel: tf.tensor2d(l.kernel, [l.inputSize, GH]),
        recurrentKernel: tf.tensor2d(l.recurrentKernel, [l.units, GH]),
        bias,
        recurrentActivation: l.recurrentActivation,
      };
    }),
    outputKernel: tf.tensor2d(w.outputKernel, [H, w.vocabSize]),
    outputBias: tf.tensor1d(w.outputBias),
  };
}

export function disposeTensors(t: LmTensors): void {
  tf.dispose([t.embedding, ...t.layers.flatMap((l) => [l.kernel, l.recurrentKernel, l.bias]), t.outputKernel, t.outputBias]);
}

/** Sets a canonical model's weights from plain arrays (cells and shapes must match its architecture). */
export function assignWeights(model: tf.LayersModel, w: RnnLmWeights): void {
  const m = modelTensors(model);
  if (m.layers.length !== w.layers.length) throw new Error(`the model has ${m.layers.length} recurrent layers, the weights ${w.layers.length}`);
  m.layers.forEach((l, i) => {
    if (l.cell !== w.layers[i].cell) throw new Error(`layer ${i + 1} of the model is ${l.cell}, of the weights ${w.layers[i].cell}`);
  });
  const t = tensorsFromWeights(w);
  try {
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
  } finally {
    disposeTensors(t);
  }
}
