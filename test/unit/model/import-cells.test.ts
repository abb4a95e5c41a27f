// Every cell through the model folder: writeImportedModel from plain weights (what the
// PyTorch and ONNX imports use) and loading it back; and tfjs/Keras imports of GRU
// (reset_after false as tfjs writes it, true as Keras writes it) and SimpleRNN models,
// with the refusals of activations the cells cannot have.
import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../main/engine/model/backend';
import { extractWeights, tensorsFromWeights } from '../../../main/engine/model/extract-weights';
import { fileSaveHandler } from '../../../main/engine/model/file-io-handler';
import { importTfjsModel } from '../../../main/engine/model/import-model';
import { writeImportedModel } from '../../../main/engine/model/imported-model-folder';
import { windowLogits, zeroState } from '../../../main/engine/model/lstm-forward';
import { loadLanguageModel } from '../../../main/engine/model/model-files';
import { evaluatePerplexity, weightsPerplexity } from '../../../main/engine/model/perplexity';
import { architectureOfWeights } from '../../../main/engine/model/read-model';
import { ResetAfterGRU } from '../../../main/engine/model/reset-after-gru';
import { architectureOf, modelTensors } from '../../../main/engine/model/rnn-lm';
import type { Cell, RecurrentActivation } from '../../../main/engine/model/rnn-weights';
import { tinyCellWeights, tokenStream } from './helpers';

const V = 9;
const words = ['<unk>', '</s>', 'a', 'b', 'c', 'd', 'e', 'f', 'g'];
const vocab = { words, unk: '<unk>', eos: '</s>' };
let root: string;
let n = 0;
const fresh = async () => {
  const d = path.join(root, `d${n++}`);
  await fs.mkdir(d, { recursive: true });
  return d;
};

beforeAll(async () => {
  await selectBackend('wasm');
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'mnemo-cells-'));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

/** Logits [T·B, V] of `ids` (time-major) by the model's tfjs layers, rearranged from predict's [B, T, V]. */
function predictedLogits(model: tf.LayersModel, ids: Int32Array, B: number, T: number): Float32Array {
  const batchMajor = Int32Array.from({ length: B * T }, (_, i) => ids[(i % T) * B + Math.floor(i / T)]);
  const out = tf.tidy(() => (model.predict(tf.tensor2d(batchMajor, [B, T], 'int32')) as tf.Tensor).dataSync());
  const r = new Float32Array(B * T * V);
  for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) for (let v = 0; v < V; v++) r[(t * B + b) * V + v] = out[(b * T + t) * V + v];
  return r;
}

function expectClose(a: Float32Array, b: Float32Array, tol: number): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `[${i}]`).toBeLessThan(tol);
}

describe('writeImportedModel and loading, every cell', () => {
  const LAYERS: { cell: Cell; units: number; act?: RecurrentActivation }[][] = [
    [{ cell: 'lstm', units: 5 }],
    [{ cell: 'gru', units: 5 }, { cell: 'gru', units: 4, act: 'hard_sigmoid' }],
    [{ cell: 'gru-classic', units: 5, act: 'hard_sigmoid' }],
    [{ cell: 'rnn-tanh', units: 5 }],
    [{ cell: 'rnn-relu', units: 5 }, { cell: 'rnn-relu', units: 3 }],
    [{ cell: 'gru-classic', units: 4 }, { cell: 'rnn-tanh', units: 5 }, { cell: 'gru', units: 3 }],
  ];
  const CLASS: Record<Cell, string> = { lstm: 'LSTM', gru: 'ResetAfterGRU', 'gru-classic': 'GRU', 'rnn-tanh': 'SimpleRNN', 'rnn-relu': 'SimpleRNN' };

  for (const layers of LAYERS) {
    it(`writes a canonical folder that loads back exactly: ${layers.map((l) => l.cell).join(' → ')}`, async () => {
      const w = tinyCellWeights(V, 4, layers, 3, 0.6);
      const arch = architectureOfWeights(w);
      const outDir = await fresh();
      const r = await writeImportedModel({
        outDir,
        architecture: arch,
        weights: w,
        vocab,
        dropout: 0.2,
        source: { vocab: '/v.txt', weightFiles: [] },
        notes: [],
      });
      expect(r.architecture).toEqual(arch);
      const json = JSON.parse(await fs.readFile(path.join(outDir, 'model.json'), 'utf8'));
      const classes: string[] = json.modelTopology.config.layers.map((l: { class_name: string }) => l.class_name);
      expect(classes.filter((c) => !['Embedding', 'Dropout', 'Dense'].includes(c))).toEqual(layers.map((l) => CLASS[l.cell]));
      const names: string[] = json.weightsManifest[0].weights.map((s: { name: string }) => s.name);
      if (layers.some((l) => l.cell === 'gru')) {
        const i = layers.findIndex((l) => l.cell === 'gru');
        const spec = json.weightsManifest[0].weights.find((s: { name: string }) => s.name === `gru_${i + 1}/bias`);
        expect(spec.shape).toEqual([2, 3 * layers[i].units]);
      }
      expect(names.length).toBe(1 + 3 * layers.length + 2); // embedding, 3 per layer, dense kernel + bias

      const loaded = await loadLanguageModel(outDir);
      try {
        expect(architectureOf(loaded.model)).toEqual(arch);
        expect(loaded.meta.architecture).toEqual(arch);
        expect(extractWeights(loaded.model)).toEqual(w);
        // The loaded tfjs layers (ResetAfterGRU deserialized from its registered class) compute what the functional pass does.
        const B = 2;
        const T = 5;
        const ids = tokenStream(B * T, V, 9);
        const p = tensorsFromWeights(w);
        const mine = windowLogits(p, { inputs: ids, targets: ids, steps: T, batch: B }, zeroState(p, B)).logits.dataSync() as Float32Array;
        expectClose(predictedLogits(loaded.model, ids, B, T), mine, 2e-5);
        // Perplexity of the loaded model equals that of the plain weights.
        const stream = tokenStream(200, V, 4);
        const opts = { batchSize: 3, bptt: 7 };
        const a = evaluatePerplexity(loaded.model, stream, opts).perplexity;
        const b = weightsPerplexity(w, stream, opts).perplexity;
        expect(Math.abs(a - b) / b).toBeLessThan(1e-6);
        expect(a).toBeGreaterThan(1);
      } finally {
        loaded.model.dispose();
      }
    });
  }

  it('refuses weights whose cells do not match the architecture, and a recurrent bias on a cell without one', async () => {
    const w = tinyCellWeights(V, 4, [{ cell: 'gru', units: 3 }]);
    await expect(
      writeImportedModel({
        outDir: await fresh(),
        architecture: { ...architectureOfWeights(w), layers: [{ units: 3, cell: 'gru-classic', recurrentActivation: 'sigmoid' }] },
        weights: w,
        vocab,
        dropout: 0,
        source: { vocab: '/v.txt', weightFiles: [] },
        notes: [],
      }),
    ).rejects.toThrow(/layer 1 of the model is gru-classic, of the weights gru/);
    const bad = tinyCellWeights(V, 4, [{ cell: 'rnn-tanh', units: 3 }]);
    bad.layers[0].recurrentBias = new Float32Array(3);
    expect(() => tensorsFromWeights(bad)).toThrow(/layer 1 \(rnn-tanh\) has a recurrentBias, which only 'gru' layers have/);
    const short = tinyCellWeights(V, 4, [{ cell: 'gru', units: 3 }]);
    delete short.layers[0].recurrentBias;
    expect(() => tensorsFromWeights(short)).toThrow(/layer 1 \(gru\) has no recurrentBias/);
  });
});

async function saved(model: tf.LayersModel): Promise<{ dir: string; modelJson: string; vocab: string }> {
  const dir = await fresh();
  await model.save(fileSaveHandler(dir));
  model.dispose();
  await fs.writeFile(path.join(dir, 'vocab.txt'), words.join('\n') + '\n');
  return { dir, modelJson: path.join(dir, 'model.json'), vocab: path.join(dir, 'vocab.txt') };
}

/** A model's logits as its own layers compute them, for `ids` as one stream (batch 1). */
function sourceLogits(model: tf.LayersModel, ids: Int32Array): Float32Array {
  return tf.tidy(() => Float32Array.from((model.predict(tf.tensor2d(Array.from(ids), [1, ids.length], 'int32')) as tf.Tensor).dataSync()));
}

/** Nonzero biases, so that importing them wrongly would show in the outputs. */
function randomizeBiases(model: tf.LayersModel, seed: number): void {
  let s = seed;
  for (const l of model.layers) {
    for (const v of l.weights) {
      if (!v.name.endsWith('bias')) continue;
      const size = v.shape.reduce((a: number, b) => a * (b as number), 1);
      v.write(tf.tensor(Float32Array.from({ length: size }, () => ((s = (s * 16807) % 2147483647) / 2147483647 - 0.5)), v.shape as number[]));
    }
  }
}

async function importedLogits(outDir: string, ids: Int32Array): Promise<Float32Array> {
  const loaded = await loadLanguageModel(outDir);
  try {
    const p = modelTensors(loaded.model);
    return windowLogits(p, { inputs: ids, targets: ids, steps: ids.length, batch: 1 }, zeroState(p, 1)).logits.dataSync() as Float32Array;
  } finally {
    loaded.model.dispose();
  }
}

describe('importTfjsModel, GRU and SimpleRNN', () => {
  it('imports tfjs GRUs (reset_after false, hard_sigmoid by tfjs default) and a SimpleRNN(relu), with Dropout between', async () => {
    const m = tf.sequential();
    m.add(tf.layers.embedding({ inputDim: V, outputDim: 4, inputShape: [null] as unknown as number[] }));
    m.add(tf.layers.gru({ units: 5, returnSequences: true, name: 'g1' }));
    m.add(tf.layers.dropout({ rate: 0.25 }));
    m.add(tf.layers.simpleRNN({ units: 4, returnSequences: true, activation: 'relu', name: 'r1' }));
    m.add(tf.layers.gru({ units: 3, returnSequences: true, recurrentActivation: 'sigmoid', name: 'g2' }));
    m.add(tf.layers.dense({ units: V }));
    randomizeBiases(m, 17);
    const ids = tokenStream(9, V, 5);
    const expected = sourceLogits(m, ids);
    const src = await saved(m);
    const out = await fresh();
    const r = await importTfjsModel({ modelJson: src.modelJson, vocab: src.vocab, outDir: out });
    expect(r.architecture.layers).toEqual([
      { units: 5, cell: 'gru-classic', recurrentActivation: 'hard_sigmoid' },
      { units: 4, cell: 'rnn-relu', recurrentActivation: 'sigmoid' },
      { units: 3, cell: 'gru-classic', recurrentActivation: 'sigmoid' },
    ]);
    expect(r.notes.join(' ')).toMatch(/the layers mix cells \(gru-classic, rnn-relu\)/);
    expectClose(await importedLogits(out, ids), expected, 1e-5);
  });

  it('imports a Keras reset_after GRU (class GRU, bias [2, 3H], cell-scoped weight names, no recurrent_activation: sigmoid)', async () => {
    // tfjs cannot build a reset_after GRU; ResetAfterGRU has the same weights, and its model.json is
    // rewritten below into what the Keras converter writes for keras.layers.GRU(reset_after=True).
    const m = tf.sequential();
    m.add(tf.layers.embedding({ inputDim: V, outputDim: 4, inputShape: [null] as unknown as number[], name: 'emb' }));
    m.add(new ResetAfterGRU({ units: 6, name: 'gru', recurrentActivation: 'sigmoid' }));
    m.add(tf.layers.dense({ units: V, activation: 'softmax', name: 'out' }));
    randomizeBiases(m, 5);
    const ids = tokenStream(8, V, 2);
    const probs = sourceLogits(m, ids);
    const src = await saved(m);
    const json = JSON.parse(await fs.readFile(src.modelJson, 'utf8'));
    const gru = json.modelTopology.config.layers[1];
    expect(gru.class_name).toBe('ResetAfterGRU');
    expect(gru.config).toMatchObject({ reset_after: true, recurrent_activation: 'sigmoid' });
    gru.class_name = 'GRU';
    delete gru.config.recurrent_activation;
    for (const s of json.weightsManifest[0].weights) s.name = s.name.replace(/^gru\//, 'gru/gru_cell/');
    await fs.writeFile(src.modelJson, JSON.stringify(json));

    const out = await fresh();
    const r = await importTfjsModel({ modelJson: src.modelJson, vocab: src.vocab, outDir: out });
    expect(r.architecture).toEqual({
      vocabSize: V,
      embeddingDim: 4,
      layers: [{ units: 6, cell: 'gru', recurrentActivation: 'sigmoid' }],
      outputActivation: 'softmax',
    });
    const logits = await importedLogits(out, ids);
    // The source's softmax of the imported logits.
    const soft = tf.tidy(() => tf.softmax(tf.tensor2d(logits, [ids.length, V])).dataSync() as Float32Array);
    expectClose(soft, probs, 1e-6);
    const loaded = await loadLanguageModel(out);
    const w = extractWeights(loaded.model);
    loaded.model.dispose();
    expect(w.layers[0].recurrentBias?.length).toBe(18);
    expect(w.layers[0].recurrentBias?.some((x) => x !== 0)).toBe(true);
  });

  it('imports two SimpleRNN(tanh) layers', async () => {
    const m = tf.sequential();
    m.add(tf.layers.embedding({ inputDim: V, outputDim: 3, inputShape: [null] as unknown as number[] }));
    m.add(tf.layers.simpleRNN({ units: 4, returnSequences: true }));
    m.add(tf.layers.simpleRNN({ units: 5, returnSequences: true }));
    m.add(tf.layers.dropout({ rate: 0.1 }));
    m.add(tf.layers.dense({ units: V }));
    randomizeBiases(m, 3);
    const ids = tokenStream(7, V, 1);
    const expected = sourceLogits(m, ids);
    const src = await saved(m);
    const out = await fresh();
    const r = await importTfjsModel({ modelJson: src.modelJson, vocab: src.vocab, outDir: out });
    expect(r.architecture.layers.map((l) => l.cell)).toEqual(['rnn-tanh', 'rnn-tanh']);
    expectClose(await importedLogits(out, ids), expected, 1e-5);
  });

  it('refuses activations the cells cannot have, naming the layer', async () => {
    const rnn = tf.sequential();
    rnn.add(tf.layers.embedding({ inputDim: V, outputDim: 3, inputShape: [4] }));
    rnn.add(tf.layers.simpleRNN({ units: 4, returnSequences: true, activation: 'sigmoid', name: 'sig_rnn' }));
    rnn.add(tf.layers.dense({ units: V }));
    const a = await saved(rnn);
    await expect(importTfjsModel({ modelJson: a.modelJson, vocab: a.vocab, outDir: await fresh() })).rejects.toThrow(
      /layer 'sig_rnn' \(SimpleRNN\): activation 'sigmoid' is not supported \(a SimpleRNN must use tanh or relu\)/,
    );
    const gru = tf.sequential();
    gru.add(tf.layers.embedding({ inputDim: V, outputDim: 3, inputShape: [4] }));
    gru.add(tf.layers.gru({ units: 4, returnSequences: true, activation: 'relu', name: 'relu_gru' }));
    gru.add(tf.layers.dense({ units: V }));
    const b = await saved(gru);
    await expect(importTfjsModel({ modelJson: b.modelJson, vocab: b.vocab, outDir: await fresh() })).rejects.toThrow(
      /layer 'relu_gru' \(GRU\): activation 'relu' is not supported \(the GRU cell must use tanh\)/,
    );
    const last = tf.sequential();
    last.add(tf.layers.embedding({ inputDim: V, outputDim: 3, inputShape: [4] }));
    last.add(tf.layers.gru({ units: 4, name: 'last_gru' }));
    last.add(tf.layers.dense({ units: V }));
    const c = await saved(last);
    await expect(importTfjsModel({ modelJson: c.modelJson, vocab: c.vocab, outDir: await fresh() })).rejects.toThrow(
      /layer 'last_gru' \(GRU\): return_sequences is false; .* every GRU must return sequences/,
    );
  });
});
