// Importing tfjs Layers models: a valid functional model with TimeDistributed(Dense) and
// hard_sigmoid, and each refusal (a convolution, vocabulary size, NaN weights, truncated weights,
// unsupported settings) with a message that says what is wrong and where.
import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../main/engine/model/backend';
import { fileSaveHandler } from '../../../main/engine/model/file-io-handler';
import { importTfjsModel } from '../../../main/engine/model/import-model';
import { windowLogits, zeroState } from '../../../main/engine/model/lstm-forward';
import { modelTensors } from '../../../main/engine/model/rnn-lm';
import { loadLanguageModel } from '../../../main/engine/model/model-files';
import { tokenStream } from './helpers';

const V = 9;
const words = ['<unk>', '</s>', 'a', 'b', 'c', 'd', 'e', 'f', 'g'];
let root: string;
let n = 0;
const fresh = async () => {
  const d = path.join(root, `d${n++}`);
  await fs.mkdir(d, { recursive: true });
  return d;
};

beforeAll(async () => {
  await selectBackend('wasm');
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'mnemo-import-'));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

/** A Keras-style functional LM: Input → Embedding → LSTM(hard_sigmoid) → Dropout → TimeDistributed(Dense, linear). */
function functionalLm(opts: { recurrentActivation?: string; returnSequences?: boolean } = {}): tf.LayersModel {
  const input = tf.input({ shape: [null] as unknown as number[], dtype: 'int32', name: 'tokens' });
  let x = tf.layers.embedding({ inputDim: V, outputDim: 4, name: 'emb' }).apply(input) as tf.SymbolicTensor;
  x = tf.layers
    .lstm({
      units: 6,
      returnSequences: opts.returnSequences ?? true,
      recurrentActivation: (opts.recurrentActivation ?? 'hardSigmoid') as 'hardSigmoid',
      name: 'rnn',
    })
    .apply(x) as tf.SymbolicTensor;
  x = tf.layers.dropout({ rate: 0.3, name: 'drop' }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.timeDistributed({ layer: tf.layers.dense({ units: V, name: 'proj' }), name: 'td' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'keras_lm' });
}

async function saved(model: tf.LayersModel, vocabText = words.join('\n') + '\n'): Promise<{ dir: string; modelJson: string; vocab: string }> {
  const dir = await fresh();
  await model.save(fileSaveHandler(dir));
  model.dispose();
  await fs.writeFile(path.join(dir, 'vocab.txt'), vocabText);
  return { dir, modelJson: path.join(dir, 'model.json'), vocab: path.join(dir, 'vocab.txt') };
}

describe('importTfjsModel', () => {
  it('imports a functional model and writes it in the canonical format with the same outputs', async () => {
    const source = functionalLm();
    const ids = tokenStream(8, V, 5);
    const x = tf.tensor2d(Array.from(ids), [1, ids.length], 'int32');
    const expected = Float32Array.from((source.predict(x) as tf.Tensor).dataSync());
    const src = await saved(source);
    const out = await fresh();
    const r = await importTfjsModel({ modelJson: src.modelJson, vocab: src.vocab, outDir: out });
    expect(r.architecture).toEqual({
      vocabSize: V,
      embeddingDim: 4,
      layers: [{ units: 6, cell: 'lstm', recurrentActivation: 'hard_sigmoid' }],
      outputActivation: 'linear',
    });
    const loaded = await loadLanguageModel(out);
    expect(loaded.vocab).toEqual({ words, unk: '<unk>', eos: '</s>' });
    expect(loaded.meta.origin).toMatchObject({ kind: 'imported', source: { modelJson: src.modelJson, vocab: src.vocab } });
    const p = modelTensors(loaded.model);
    const w = { inputs: ids, targets: ids, steps: ids.length, batch: 1 };
    const logits = windowLogits(p, w, zeroState(p, 1)).logits.dataSync();
    for (let i = 0; i < expected.length; i++) expect(Math.abs(logits[i] - expected[i])).toBeLessThan(1e-5);
    const json = JSON.parse(await fs.readFile(path.join(out, 'model.json'), 'utf8'));
    expect(json.modelTopology.config.layers.map((l: { class_name: string }) => l.class_name)).toEqual([
      'Embedding',
      'LSTM',
      'Dropout',
      'Dense',
    ]);
    loaded.model.dispose();
  });

  it('refuses a layer that is not Embedding, recurrent, Dropout or Dense, naming it', async () => {
    const m = tf.sequential();
    m.add(tf.layers.embedding({ inputDim: V, outputDim: 4, inputShape: [5] }));
    m.add(tf.layers.conv1d({ filters: 3, kernelSize: 1, name: 'my_conv' }));
    m.add(tf.layers.dense({ units: V }));
    const src = await saved(m);
    await expect(importTfjsModel({ modelJson: src.modelJson, vocab: src.vocab, outDir: await fresh() })).rejects.toThrow(
      /layer 'my_conv' \(Conv1D\): Conv1D layers are not supported; Mnemoscope analyses recurrent \(LSTM, GRU, RNN\) language models/,
    );
  });

  it('refuses a vocabulary of the wrong size', async () => {
    const src = await saved(functionalLm(), 'x\ny\n<unk>\nz\n');
    await expect(importTfjsModel({ modelJson: src.modelJson, vocab: src.vocab, outDir: await fresh() })).rejects.toThrow(
      /vocabulary size mismatch: .*vocab\.txt lists 4 words, but the Embedding of .*model\.json has 9 rows/,
    );
  });

  it('refuses NaN weights, naming the tensor', async () => {
    const src = await saved(functionalLm());
    const json = JSON.parse(await fs.readFile(src.modelJson, 'utf8'));
    const specs: { name: string; shape: number[] }[] = json.weightsManifest[0].weights;
    let offset = 0;
    for (const s of specs) {
      if (s.name.includes('recurrent_kernel')) break;
      offset += s.shape.reduce((a, b) => a * b, 1) * 4;
    }
    const bin = await fs.readFile(path.join(src.dir, 'weights.bin'));
    bin.writeFloatLE(NaN, offset + 8);
    await fs.writeFile(path.join(src.dir, 'weights.bin'), bin);
    await expect(importTfjsModel({ modelJson: src.modelJson, vocab: src.vocab, outDir: await fresh() })).rejects.toThrow(
      /weight 'rnn\/recurrent_kernel' \(shape \[6, 24\]\) holds NaN at index 2/,
    );
  });

  it('refuses a truncated weights file', async () => {
    const src = await saved(functionalLm());
    const file = path.join(src.dir, 'weights.bin');
    const size = (await fs.stat(file)).size;
    await fs.truncate(file, size - 10);
    await expect(importTfjsModel({ modelJson: src.modelJson, vocab: src.vocab, outDir: await fresh() })).rejects.toThrow(
      new RegExp(`weights\\.bin: weights file is truncated: weights\\.bin hold ${size - 10} bytes, but the weightsManifest of .* needs ${size}`),
    );
    await fs.rm(file);
    await expect(importTfjsModel({ modelJson: src.modelJson, vocab: src.vocab, outDir: await fresh() })).rejects.toThrow(
      /weights\.bin: weights file not found \(listed in .*model\.json\)/,
    );
  });

  it('refuses an unsupported recurrent activation, a non-sequence LSTM, and a graph model', async () => {
    const relu = await saved(functionalLm({ recurrentActivation: 'relu' }));
    await expect(importTfjsModel({ modelJson: relu.modelJson, vocab: relu.vocab, outDir: await fresh() })).rejects.toThrow(
      /layer 'rnn' \(LSTM\): recurrent activation 'relu' is not supported \(use sigmoid or hard_sigmoid\)/,
    );
    const m = tf.sequential();
    m.add(tf.layers.embedding({ inputDim: V, outputDim: 4, inputShape: [5] }));
    m.add(tf.layers.lstm({ units: 3, name: 'last_only' }));
    m.add(tf.layers.dense({ units: V }));
    const flat = await saved(m);
    await expect(importTfjsModel({ modelJson: flat.modelJson, vocab: flat.vocab, outDir: await fresh() })).rejects.toThrow(
      /layer 'last_only' \(LSTM\): return_sequences is false/,
    );
    const json = JSON.parse(await fs.readFile(flat.modelJson, 'utf8'));
    await fs.writeFile(flat.modelJson, JSON.stringify({ ...json, format: 'graph-model' }));
    await expect(importTfjsModel({ modelJson: flat.modelJson, vocab: flat.vocab, outDir: await fresh() })).rejects.toThrow(
      /format is 'graph-model', expected a TensorFlow\.js Layers model/,
    );
  });
});
