// The model: a standard tfjs Layers model Embedding(V, E) → [recurrent(H) → Dropout] × L →
// Dense(V, softmax), the recurrent layer per cell (rnn-weights.ts):
//   lstm         tfjs LSTM                          lstm_<i>
//   gru          ResetAfterGRU (reset-after-gru.ts)  gru_<i>
//   gru-classic  tfjs GRU (reset_after false)       gru_<i>
//   rnn-tanh/relu tfjs SimpleRNN (tanh / relu)      simple_rnn_<i>
// The saved Dense has a softmax activation so that `model.predict` (tfjs, or Keras after
// conversion) returns next-word probabilities; training and evaluation compute the logits
// (the Dense pre-activation) and apply the softmax inside the loss. Analyses read the
// weights only (extract-weights.ts).
import * as tf from '@tensorflow/tfjs';
import type { Architecture } from '../../../shared/schemas/model';
import type { LmTensors } from './lstm-forward';
import { ResetAfterGRU, recurrentActivationOf, type Initializer } from './reset-after-gru';
import type { Cell, RecurrentActivation } from './rnn-weights';

export { recurrentActivationOf };

export interface InitOptions {
  /** Weights start uniform in [−initScale, initScale]; biases zero (LSTM forget gate: forgetBias). */
  initScale: number;
  /** Base seed; each weight gets its own seed derived from it, so init is reproducible. */
  seed: number;
  /** Rate stored in the Dropout layers (used by tfjs/Keras `fit`, ignored at inference). */
  dropout: number;
  /** Initial LSTM forget-gate bias (default 0: TF1's forget_bias 0, the authors' setting); other cells have none. */
  forgetBias?: number;
}

const CELL_PREFIX: Record<Cell, string> = {
  lstm: 'lstm',
  gru: 'gru',
  'gru-classic': 'gru',
  'rnn-tanh': 'simple_rnn',
  'rnn-relu': 'simple_rnn',
};

/** Canonical layer names, so that saved weight names are stable: embedding/embeddings, lstm_1/kernel, ... */
export const layerNames = {
  embedding: 'embedding',
  recurrent: (cell: Cell, i: number) => `${CELL_PREFIX[cell]}_${i + 1}`,
  dropout: (i: number) => `dropout_${i + 1}`,
  dense: 'dense',
};

/** tfjs class name of the recurrent layers in a canonical model. */
const RECURRENT_CLASSES = ['LSTM', 'GRU', ResetAfterGRU.className, 'SimpleRNN'];

// Distinct, deterministic seeds per weight (tfjs treats seed 0 as "random").
function weightSeed(base: number, slot: number): number {
  return ((base * 7919 + slot * 104729) % 2147483629) + 1;
}

const tfjsActivation = (a: RecurrentActivation) => (a === 'sigmoid' ? 'sigmoid' : 'hardSigmoid');

function recurrentLayer(
  layer: Architecture['layers'][number],
  name: string,
  kernelInitializer: Initializer,
  recurrentInitializer: Initializer,
): tf.layers.Layer {
  const common = { name, units: layer.units, returnSequences: true, kernelInitializer, recurrentInitializer, biasInitializer: 'zeros' as const };
  switch (layer.cell) {
    case 'lstm':
      return tf.layers.lstm({
        ...common,
        activation: 'tanh',
        recurrentActivation: tfjsActivation(layer.recurrentActivation),
        // The forget-gate bias is set after building: Keras' unitForgetBias can only make it 1.
        unitForgetBias: false,
      });
    case 'gru-classic':
      // tfjs' GRU is reset_after false (it refuses true): gates z, r, h as Keras,
      // h' = z⊙h + (1−z)⊙ĥ, ĥ = tanh(x·W_h + (r⊙h)·U_h + b_h).
      return tf.layers.gru({ ...common, activation: 'tanh', recurrentActivation: tfjsActivation(layer.recurrentActivation) });
    case 'gru':
      return new ResetAfterGRU({
        name,
        units: layer.units,
        recurrentActivation: tfjsActivation(layer.recurrentActivation),
        kernelInitializer,
        recurrentInitializer,
        biasInitializer: tf.initializers.zeros(),
      });
    case 'rnn-tanh':
    case 'rnn-relu':
      return tf.layers.simpleRNN({ ...common, activation: layer.cell === 'rnn-tanh' ? 'tanh' : 'relu' });
  }
}

export function buildRnnLm(arch: Architecture, init: InitOptions): tf.Sequential {
  const u = (slot: number) =>
    tf.initializers.randomUniform({ minval: -init.initScale, maxval: init.initScale, seed: weightSeed(init.seed, slot) });
  const model = tf.sequential({ name: 'rnn_lm' });
  model.add(
    tf.layers.embedding({
      name: layerNames.embedding,
      inputDim: arch.vocabSize,
      outputDim: arch.embeddingDim,
      // Variable-length sequences of any batch size.
      batchInputShape: [null, null],
      embeddingsInitializer: u(0),
    }),
  );
  arch.layers.forEach((layer, i) => {
    model.add(recurrentLayer(layer, layerNames.recurrent(layer.cell, i), u(1 + 2 * i), u(2 + 2 * i)));
    model.add(tf.layers.dropout({ name: layerNames.dropout(i), rate: init.dropout }));
  });
  const forgetBias = init.forgetBias ?? 0;
  if (forgetBias !== 0) {
    const notLstm = arch.layers.find((l) => l.cell !== 'lstm');
    if (notLstm) throw new Error(`a forget-gate bias applies to LSTM layers only, not to ${notLstm.cell}`);
    // Gate order i, f, c, o: the forget gate is the second block of H.
    for (const [i, layer] of recurrentLayers(model).entries()) {
      const H = arch.layers[i].units;
      const bias = new Float32Array(4 * H);
      bias.fill(forgetBias, H, 2 * H);
      layer.weights[2].write(tf.tensor1d(bias));
    }
  }
  model.add(
    tf.layers.dense({
      name: layerNames.dense,
      units: arch.vocabSize,
      activation: arch.outputActivation,
      kernelInitializer: u(1000),
      biasInitializer: 'zeros',
    }),
  );
  return model;
}

function recurrentLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.filter((l) => RECURRENT_CLASSES.includes(l.getClassName()));
}

function onlyLayer(model: tf.LayersModel, cls: string): tf.layers.Layer {
  const found = model.layers.filter((l) => l.getClassName() === cls);
  if (found.length !== 1) throw new Error(`expected one ${cls} layer, found ${found.length}`);
  return found[0];
}

/** The cell and gate activation of a canonical model's recurrent layer. */
function cellOf(l: tf.layers.Layer): { cell: Cell; recurrentActivation: RecurrentActivation } {
  const cfg = l.getConfig();
  const cls = l.getClassName();
  if (cls === 'SimpleRNN') {
    if (cfg.activation !== 'tanh' && cfg.activation !== 'relu') {
      throw new Error(`SimpleRNN '${l.name}' has unsupported activation ${String(cfg.activation)} (tanh or relu)`);
    }
    return { cell: cfg.activation === 'tanh' ? 'rnn-tanh' : 'rnn-relu', recurrentActivation: 'sigmoid' };
  }
  if (cfg.activation !== 'tanh') throw new Error(`${cls} '${l.name}' has unsupported activation ${String(cfg.activation)} (tanh)`);
  const act = recurrentActivationOf(cfg.recurrentActivation);
  if (!act) throw new Error(`${cls} '${l.name}' has unsupported recurrent activation ${String(cfg.recurrentActivation)}`);
  const cell: Cell = cls === 'LSTM' ? 'lstm' : cls === 'GRU' ? 'gru-classic' : 'gru';
  return { cell, recurrentActivation: act };
}

/** The architecture of a canonical model (one built by buildRnnLm or written by import). */
export function architectureOf(model: tf.LayersModel): Architecture {
  const emb = onlyLayer(model, 'Embedding').getConfig();
  const dense = onlyLayer(model, 'Dense').getConfig();
  const layers = recurrentLayers(model);
  if (layers.length === 0) throw new Error('the model has no recurrent layer');
  return {
    vocabSize: emb.inputDim as number,
    embeddingDim: emb.outputDim as number,
    layers: layers.map((l) => ({ units: l.getConfig().units as number, ...cellOf(l) })),
    outputActivation: dense.activation === 'softmax' ? 'softmax' : 'linear',
  };
}

/**
 * The model's own weight variables, for the functional forward pass. Training updates
 * them in place, so the model stays a plain Layers model that saves as usual. A 'gru'
 * layer's bias is its [2, 3H] variable (input bias, recurrent bias).
 */
export function modelTensors(model: tf.LayersModel): LmTensors & { variables: tf.Variable[] } {
  const read = (l: tf.layers.Layer, k: number) => l.weights[k].read() as tf.Variable;
  const emb = onlyLayer(model, 'Embedding');
  const dense = onlyLayer(model, 'Dense');
  const arch = architectureOf(model);
  const t: LmTensors = {
    embedding: read(emb, 0),
    layers: recurrentLayers(model).map((l, i) => {
      if (l.weights.length !== 3) throw new Error(`recurrent layer '${l.name}' has ${l.weights.length} weights; a canonical model has kernel, recurrent kernel and bias`);
      return {
        cell: arch.layers[i].cell,
        kernel: read(l, 0),
        recurrentKernel: read(l, 1),
        bias: read(l, 2),
        recurrentActivation: arch.layers[i].recurrentActivation,
      };
    }),
    outputKernel: read(dense, 0),
    outputBias: read(dense, 1),
  };
  const variables = [
    t.embedding,
    ...t.layers.flatMap((l) => [l.kernel, l.recurrentKernel, l.bias]),
    t.outputKernel,
    t.outputBias,
  ] as tf.Variable[];
  return { ...t, variables };
}
