// Importing a TensorFlow.js Layers model (model.json + the weight files its manifest
// lists) with its vocabulary. The model is checked (architecture, activations, shapes
// against the vocabulary, finite weights) and rewritten in the canonical form trained
// models have (model.json + weights.bin, vocab.json, training.json marked 'imported').
import * as tf from '@tensorflow/tfjs';
import path from 'node:path';
import type { ImportModelResult } from '../../../shared/schemas/model';
import { UserError } from '../errors';
import { artifactsOf, readModelFiles, tfjsMessage } from './file-io-handler';
import type { RecurrentLayerWeights, RnnLmWeights } from './rnn-weights';
import { gateCount } from './rnn-weights';
import { writeImportedModel } from './imported-model-folder';
import type { CheckedRecurrentLayer } from './model-topology';
import { architectureOfTopology, checkTopology, topologyLayers, withResetAfterGruClass } from './model-topology';
// Registers the ResetAfterGRU class that reset_after GRUs are loaded as.
import './reset-after-gru';
import { readVocabularyFile } from './vocab-file';

export interface ImportOptions {
  /** Path of the model.json. */
  modelJson: string;
  /** vocab.json or a one-word-per-line text file (see vocab-file.ts). */
  vocab: string;
  /** Folder to write the canonical model into (created if missing). */
  outDir: string;
}

/** Refuses a weight holding NaN or ±Inf, naming it. */
function checkFinite(file: string, specs: tf.io.WeightsManifestEntry[], data: ArrayBuffer): void {
  const named = tf.io.decodeWeights(data, specs);
  try {
    for (const spec of specs) {
      const t = named[spec.name];
      if (!t || t.dtype !== 'float32') continue;
      const v = t.dataSync();
      for (let i = 0; i < v.length; i++) {
        if (!Number.isFinite(v[i])) {
          throw new UserError(
            `${file}: weight '${spec.name}' (shape [${spec.shape.join(', ')}]) holds ${v[i]} at index ${i}; the model cannot be used`,
          );
        }
      }
    }
  } finally {
    tf.dispose(Object.values(named));
  }
}

const copy = (t: tf.Tensor) => Float32Array.from(t.dataSync() as Float32Array);

export async function importTfjsModel(opts: ImportOptions): Promise<ImportModelResult> {
  const modelJsonPath = path.resolve(opts.modelJson);
  const vocabPath = path.resolve(opts.vocab);
  const files = await readModelFiles(modelJsonPath);
  const checked = checkTopology(modelJsonPath, topologyLayers(modelJsonPath, files.modelJson.modelTopology));
  const vocab = await readVocabularyFile(vocabPath);
  const V = vocab.words.length;
  if (checked.embedding.inputDim !== V) {
    throw new UserError(
      `vocabulary size mismatch: ${vocabPath} lists ${V} words, but the Embedding of ${modelJsonPath} has ${checked.embedding.inputDim} rows`,
    );
  }
  if (checked.dense.units !== V) {
    throw new UserError(
      `vocabulary size mismatch: ${vocabPath} lists ${V} words, but the output Dense layer '${checked.dense.name}' of ${modelJsonPath} has ${checked.dense.units} units`,
    );
  }
  checkFinite(modelJsonPath, files.weightSpecs, files.weightData);

  let source: tf.LayersModel;
  try {
    const artifacts = artifactsOf(files);
    const topology = withResetAfterGruClass(files.modelJson.modelTopology);
    source = await tf.loadLayersModel(tf.io.fromMemory({ ...artifacts, modelTopology: topology }));
  } catch (err) {
    throw new UserError(`${modelJsonPath}: cannot load the TensorFlow.js model: ${tfjsMessage(err)}`);
  }
  let weights: RnnLmWeights;
  try {
    weights = weightsOf(source, checked.embedding.outputDim, V, checked.recurrent);
  } finally {
    source.dispose();
  }
  const arch = architectureOfTopology(checked);
  return writeImportedModel({
    outDir: opts.outDir,
    architecture: arch,
    weights,
    vocab,
    dropout: checked.dropoutRate,
    source: { modelJson: modelJsonPath, vocab: vocabPath, weightFiles: files.weightFiles },
    notes: checked.notes,
  });
}

const RECURRENT_CLASSES = new Set(['LSTM', 'GRU', 'SimpleRNN', 'ResetAfterGRU']);

/** Plain weights of a loaded model that passed checkTopology (biases default to zero when absent). */
function weightsOf(model: tf.LayersModel, E: number, V: number, checked: CheckedRecurrentLayer[]): RnnLmWeights {
  const layers = model.layers;
  const emb = layers.find((l) => l.getClassName() === 'Embedding') as tf.layers.Layer;
  const out = layers[layers.length - 1];
  const recurrent = layers.filter((l) => RECURRENT_CLASSES.has(l.getClassName()));
  if (recurrent.length !== checked.length) throw new Error(`loaded ${recurrent.length} recurrent layers, the topology lists ${checked.length}`);
  let inputSize = E;
  const rnn: RecurrentLayerWeights[] = recurrent.map((l, i) => {
    const { cell, recurrentActivation } = checked[i];
    const [k, r, b] = l.getWeights();
    const units = r.shape[0] as number;
    const GH = gateCount(cell) * units;
    const bias = b ? copy(b) : new Float32Array(cell === 'gru' ? 2 * GH : GH);
    const layer: RecurrentLayerWeights = {
      cell,
      inputSize,
      units,
      kernel: copy(k),
      recurrentKernel: copy(r),
      // A reset_after GRU's bias is [2, 3H]: the input bias, then the recurrent bias.
      bias: cell === 'gru' ? bias.slice(0, GH) : bias,
      ...(cell === 'gru' && { recurrentBias: bias.slice(GH) }),
      recurrentActivation,
    };
    inputSize = units;
    return layer;
  });
  const [dk, db] = out.getWeights();
  return {
    vocabSize: V,
    embeddingDim: E,
    embedding: copy(emb.getWeights()[0]),
    layers: rnn,
    outputKernel: copy(dk),
    outputBias: db ? copy(db) : new Float32Array(V),
  };
}
