// Saving a model folder and loading it back gives the same network; and the functional
// forward pass used for training agrees with tfjs's own LSTM layers (model.predict).
import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../main/engine/model/backend';
import { assignWeights, extractWeights } from '../../../main/engine/model/extract-weights';
import { windowLogits, zeroState } from '../../../main/engine/model/lstm-forward';
import { buildRnnLm, modelTensors } from '../../../main/engine/model/rnn-lm';
import { loadLanguageModel, saveModelWeights, writeModelMeta, writeVocabulary } from '../../../main/engine/model/model-files';
import { MODEL_META_SCHEMA_VERSION, type Architecture } from '../../../shared/schemas/model';
import { tinyWeights, tokenStream } from './helpers';

const arch: Architecture = {
  vocabSize: 9,
  embeddingDim: 4,
  layers: [
    { units: 5, cell: 'lstm' as const, recurrentActivation: 'sigmoid' },
    { units: 3, cell: 'lstm' as const, recurrentActivation: 'sigmoid' },
  ],
  outputActivation: 'softmax',
};
const vocab = { words: ['<unk>', '<eos>', 'a', 'b', 'c', 'd', 'e', 'f', 'g'], unk: '<unk>', eos: '<eos>' };
let dir: string;

beforeAll(async () => {
  await selectBackend('wasm');
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mnemo-model-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function logitsOn(model: tf.LayersModel, ids: Int32Array): Float32Array {
  const p = modelTensors(model);
  const w = { inputs: ids.subarray(0, -1), targets: ids.subarray(1), steps: ids.length - 1, batch: 1 };
  const r = windowLogits(p, w, zeroState(p, 1));
  const out = r.logits.dataSync() as Float32Array;
  r.logits.dispose();
  return Float32Array.from(out);
}

describe('model folder', () => {
  it('save → load gives the same weights, logits and predictions', async () => {
    const model = buildRnnLm(arch, { initScale: 0.3, seed: 5, dropout: 0.5 });
    await saveModelWeights(dir, model);
    await writeVocabulary(dir, vocab);
    await writeModelMeta(dir, {
      schemaVersion: MODEL_META_SCHEMA_VERSION,
      created: new Date().toISOString(),
      architecture: arch,
      origin: { kind: 'imported', source: { modelJson: '/x/model.json', vocab: '/x/vocab.txt', weightFiles: [] }, notes: [] },
    });
    expect((await fs.readdir(dir)).sort()).toEqual(['model.json', 'training.json', 'vocab.json', 'weights.bin']);
    const modelJson = JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8'));
    expect(modelJson.format).toBe('layers-model');
    expect(modelJson.weightsManifest[0].paths).toEqual(['weights.bin']);
    const lstm = modelJson.modelTopology.config.layers[1];
    expect(lstm.class_name).toBe('LSTM');
    expect(lstm.config.recurrent_activation).toBe('sigmoid');

    const loaded = await loadLanguageModel(dir);
    expect(loaded.vocab).toEqual(vocab);
    expect(loaded.meta.architecture).toEqual(arch);
    const ids = tokenStream(12, 9);
    const a = logitsOn(model, ids);
    const b = logitsOn(loaded.model, ids);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-6);
    expect(extractWeights(loaded.model)).toEqual(extractWeights(model));

    const x = tf.tensor2d(Array.from(ids), [1, ids.length], 'int32');
    const pa = (model.predict(x) as tf.Tensor).dataSync();
    const pb = (loaded.model.predict(x) as tf.Tensor).dataSync();
    for (let i = 0; i < pa.length; i++) expect(Math.abs(pa[i] - pb[i])).toBeLessThan(1e-6);
    model.dispose();
    loaded.model.dispose();
  });

  it('the functional forward pass equals tfjs LSTM layers (softmax of logits = model.predict)', () => {
    const model = buildRnnLm(arch, { initScale: 0.1, seed: 1, dropout: 0.5 });
    assignWeights(model, tinyWeights(9, 4, [5, 3], 13));
    const ids = tokenStream(10, 9, 2);
    const logits = tf.tensor2d(logitsOn(model, ids), [ids.length - 1, 9]);
    const mine = tf.softmax(logits).dataSync();
    const x = tf.tensor2d(Array.from(ids.subarray(0, -1)), [1, ids.length - 1], 'int32');
    const theirs = (model.predict(x) as tf.Tensor).dataSync();
    expect(theirs.length).toBe(mine.length);
    for (let i = 0; i < mine.length; i++) expect(Math.abs(mine[i] - theirs[i])).toBeLessThan(1e-5);
    model.dispose();
  });

  it('refuses a vocab.json that does not fit the model, naming the file', async () => {
    const other = await fs.mkdtemp(path.join(os.tmpdir(), 'mnemo-model-'));
    try {
      for (const f of ['model.json', 'weights.bin', 'training.json']) await fs.copyFile(path.join(dir, f), path.join(other, f));
      await writeVocabulary(other, { words: ['<unk>', 'a', 'b'], unk: '<unk>', eos: null });
      await expect(loadLanguageModel(other)).rejects.toThrow(/vocab\.json: lists 3 words but the model's vocabulary has 9/);
      await fs.writeFile(path.join(other, 'training.json'), JSON.stringify({ schemaVersion: 7 }));
      await expect(loadLanguageModel(other)).rejects.toThrow(/training\.json: written by a newer Mnemoscope \(schema version 7/);
    } finally {
      await fs.rm(other, { recursive: true, force: true });
    }
  });
});
