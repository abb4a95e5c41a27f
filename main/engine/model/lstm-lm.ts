// The model: a standard tfjs Layers model Embedding(V, E) → [LSTM(H) → Dropout] × L →
// Dense(V, softmax). The saved Dense has a softmax activation so that `model.predict`
// (tfjs, or Keras after conversion) returns next-word probabilities; training and
// evaluation compute the logits (the Dense pre-activation) and apply the softmax inside
// the loss. Analyses read the weights only (extract-weights.ts).
import * as tf from '@tensorflow/tfjs';
import type { Architecture } from '../../../shared/schemas/model';
import type { LmTensors } from './lstm-forward';
import type { RecurrentActivation } from './rnn-weights';

export interface InitOptions {
  /** Weights start uniform in [−initScale, initScale]; biases zero (forget gate 1). */
  initScale: number;
  /** Base seed; each weight gets its own seed derived from it, so init is reproducible. */
  seed: number;
  /** Rate stored in the Dropout layers (used by tfjs/Keras `fit`, ignored at inference). */
  dropout: number;
  /** Initial forget-gate bias (default 0: TF1's forget_bias 0, the authors' setting). */
  forgetBias?: number;
}

/** Canonical layer names, so that saved weight names are stable: embedding/embeddings, lstm_1/kernel, ... */
export const layerNames = {
  embedding: 'embedding',
  lstm: (i: number) => `lstm_${i + 1}`,
  dropout: (i: number) => `dropout_${i + 1}`,
  dense: 'dense',
};

// Distinct, deterministic seeds per weight (tfjs treats seed 0 as "random").
function weightSeed(base: number, slot: number): number {
  return ((base * 7919 + slot * 104729) % 2147483629) + 1;
}

export function buildLstmLm(arch: Architecture, init: InitOptions): tf.Sequential {
  const u = (slot: number) =>
    tf.initializers.randomUniform({ minval: -init.initScale, maxval: init.initScale, seed: weightSeed(init.seed, slot) });
  const model = tf.sequential({ name: 'lstm_lm' });
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
    model.add(
      tf.layers.lstm({
        name: layerNames.lstm(i),
        units: layer.units,
        returnSequences: true,
        activation: 'tanh',
        recurrentActivation: layer.recurrentActivation === 'sigmoid' ? 'sigmoid' : 'hardSigmoid',
        // The forget-gate bias is set below: Keras' unitForgetBias can only make it 1.
        unitForgetBias: false,
        kernelInitializer: u(1 + 2 * i),
        recurrentInitializer: u(2 + 2 * i),
        biasInitializer: 'zeros',
      }),
    );
    model.add(tf.layers.dropout({ name: layerNames.dropout(i), rate: init.dropout }));
  });
  const forgetBias = init.forgetBias ?? 0;
  if (forgetBias !== 0) {
    // Gate order i, f, c, o: the forget gate is the second block of H.
    for (const [i, layer] of lstmLayers(model).entries()) {
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

/** tfjs writes 'hardSigmoid', Keras 'hard_sigmoid'; anything else is not supported here. */
export function recurrentActivationOf(name: unknown): RecurrentActivation | null {
  if (name === 'sigmoid') return 'sigmoid';
  if (name === 'hardSigmoid' || name === 'hard_sigmoid') return 'hard_sigmoid';
  return null;
}

function lstmLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.filter((l) => l.getClassName() === 'LSTM');
}

function onlyLayer(model: tf.LayersModel, cls: string): tf.layers.Layer {
  const found = model.layers.filter((l) => l.getClassName() === cls);
  if (found.length !== 1) throw new Error(`expected one ${cls} layer, found ${found.length}`);
  return found[0];
}

/** The architecture of a canonical model (one built by buildLstmLm or written by import). */
export function architectureOf(model: tf.LayersModel): Architecture {
  const emb = onlyLayer(model, 'Embedding').getConfig();
  const dense = onlyLayer(model, 'Dense').getConfig();
  return {
    vocabSize: emb.inputDim as number,
    embeddingDim: emb.outputDim as number,
    layers: lstmLayers(model).map((l) => {
      const cfg = l.getConfig();
      const act = recurrentActivationOf(cfg.recurrentActivation);
      if (!act) throw new Error(`LSTM '${l.name}' has unsupported recurrent activation ${String(cfg.recurrentActivation)}`);
      return { units: cfg.units as number, cell: 'lstm' as const, recurrentActivation: act };
    }),
    outputActivation: dense.activation === 'softmax' ? 'softmax' : 'linear',
  };
}

/**
 * The model's own weight variables, for the functional forward pass. Training updates
 * them in place, so the model stays a plain Layers model that saves as usual.
 */
export function modelTensors(model: tf.LayersModel): LmTensors & { variables: tf.Variable[] } {
  const read = (l: tf.layers.Layer, k: number) => l.weights[k].read() as tf.Variable;
  const emb = onlyLayer(model, 'Embedding');
  const dense = onlyLayer(model, 'Dense');
  const arch = architectureOf(model);
  const t: LmTensors = {
    embedding: read(emb, 0),
    layers: lstmLayers(model).map((l, i) => ({
      kernel: read(l, 0),
      recurrentKernel: read(l, 1),
      bias: read(l, 2),
      recurrentActivation: arch.layers[i].recurrentActivation,
    })),
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
