// Training GRU and vanilla-RNN language models: each cell learns a small grammar, records
// its cell in training.json, loads back as the same cell and evaluates to the recorded
// perplexity; memory stays flat; the forget-gate bias is refused for cells without a forget
// gate (schema, engine, form); the recipe sets the cell and an explicit cell wins; the time
// estimate counts the cell's gates.
import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessContext } from '../../../main/engine/jobs/task-context';
import { selectBackend } from '../../../main/engine/model/backend';
import { batchify, windowAt } from '../../../main/engine/model/batchify';
import { zeroState } from '../../../main/engine/model/lstm-forward';
import { loadLanguageModel, readModelMeta } from '../../../main/engine/model/model-files';
import { sgd } from '../../../main/engine/model/optimizer';
import { evaluatePerplexity } from '../../../main/engine/model/perplexity';
import { buildRnnLm, modelTensors } from '../../../main/engine/model/rnn-lm';
import { mulberry32 } from '../../../main/engine/seeded-random';
import { architectureFor, trainLanguageModel } from '../../../main/engine/model/train-loop';
import { trainStep } from '../../../main/engine/model/train-step';
import { TrainConfigRequestSchema, TrainConfigSchema, TrainTaskParamsSchema } from '../../../shared/schemas/model';
import { jobKinds } from '../../../shared/jobs';
import { TRAIN_CELL_OPTIONS, checkTrainForm, trainFormValues, withRecipe } from '../../../renderer/src/lib/state/train-form';
import { macsPerToken } from '../../../renderer/src/lib/state/train-estimate';
import { grammarStream } from './helpers';

const { tokens, words } = grammarStream(3200);
const vocab = { words, unk: '<unk>', eos: '<eos>' };
const train = tokens.subarray(0, 2800);
const valid = tokens.subarray(2800);
const small = { embeddingDim: 8, hiddenSize: 16, batchSize: 4, bptt: 10, vocabSize: words.length };
let root: string;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'mnemo-train-cells-'));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('training each cell', () => {
  for (const cell of ['gru', 'rnn-tanh', 'rnn-relu'] as const) {
    it(`${cell}: lowers validation perplexity, records the cell, and loads back as it`, async () => {
      const backend = await selectBackend('wasm');
      const outDir = path.join(root, cell);
      // SGD at lr 1 (the LSTM recipe's) overshoots with a vanilla RNN here (valid ppl 10–180); 0.2 learns.
      const learningRate = cell === 'gru' ? 1 : 0.2;
      // One worker: the thresholds were set on its dropout masks (data-parallel.test.ts covers the workers).
      const config = TrainConfigSchema.parse({ ...small, cell, layers: 2, epochs: 3, dropout: 0.1, embeddingDropout: 0.1, initScale: 0.1, learningRate, workers: 1 });
      const r = await trainLanguageModel({ train, valid, vocab, config, outDir, backend }, inProcessContext());
      const untrained = buildRnnLm(architectureFor(config, words.length), { initScale: config.initScale, seed: config.seed, dropout: 0 });
      const before = evaluatePerplexity(untrained, valid, { batchSize: 4, bptt: 10 }).perplexity;
      untrained.dispose();
      expect(before).toBeGreaterThan(10); // ≈ uniform over 13 words
      expect(r.bestValidPerplexity).toBeLessThan(before / 2);

      const meta = await readModelMeta(outDir);
      if (meta.origin.kind !== 'trained') throw new Error('expected a trained model');
      expect(meta.origin.config.cell).toBe(cell);
      expect(meta.architecture.layers).toEqual([
        { units: 16, cell, recurrentActivation: 'sigmoid' },
        { units: 16, cell, recurrentActivation: 'sigmoid' },
      ]);
      const loaded = await loadLanguageModel(outDir);
      try {
        expect(modelTensors(loaded.model).layers.map((l) => l.cell)).toEqual([cell, cell]);
        const ppl = evaluatePerplexity(loaded.model, valid, { batchSize: 4, bptt: 10 }).perplexity;
        expect(Math.abs(ppl - (r.bestValidPerplexity as number)) / ppl).toBeLessThan(1e-5);
      } finally {
        loaded.model.dispose();
      }
    });
  }

  it('keeps tensor memory flat across steps, and gives the same losses on cpu and wasm, for every cell', async () => {
    for (const cell of ['gru', 'rnn-tanh', 'rnn-relu'] as const) {
      const config = TrainConfigSchema.parse({ ...small, cell });
      const losses: Record<string, number[]> = {};
      for (const b of ['cpu', 'wasm'] as const) {
        await selectBackend(b);
        const model = buildRnnLm(architectureFor(config, words.length), { initScale: 0.1, seed: 9, dropout: 0.5 });
        const params = modelTensors(model);
        const data = batchify(train, 4, words.length, 'train');
        const drop = { rng: mulberry32(5), embedding: 0.1, output: 0.3 };
        const opt = sgd();
        let state = zeroState(params, 4);
        losses[b] = [];
        const counts: number[] = [];
        for (let k = 0; k < 5; k++) {
          const s = trainStep(params, opt, windowAt(data, 10, k), state, drop, 1, 5);
          state = s.state;
          losses[b].push(s.loss);
          counts.push(tf.memory().numTensors);
        }
        expect(new Set(counts.slice(1)).size, `${cell} on ${b}: tensors per step`).toBe(1);
        expect(state.c.every((c) => c.length === 0)).toBe(true);
        opt.dispose();
        model.dispose();
      }
      expect(losses.wasm[4]).toBeLessThan(losses.wasm[0]);
      losses.cpu.forEach((l, i) => expect(Math.abs(l - losses.wasm[i]) / l, `${cell} step ${i}`).toBeLessThan(1e-4));
    }
  });

  it('initialises every weight uniform in ±initScale and every bias at 0 (both GRU bias rows)', async () => {
    await selectBackend('cpu');
    for (const cell of ['gru', 'rnn-relu'] as const) {
      const model = buildRnnLm(architectureFor(TrainConfigSchema.parse({ ...small, cell }), words.length), { initScale: 0.07, seed: 4, dropout: 0 });
      const p = modelTensors(model);
      for (const l of p.layers) {
        for (const w of [l.kernel, l.recurrentKernel]) {
          const v = Array.from(w.dataSync());
          expect(Math.max(...v.map(Math.abs))).toBeLessThanOrEqual(0.07);
          expect(Math.max(...v.map(Math.abs))).toBeGreaterThan(0.05);
        }
        expect(l.bias.shape).toEqual(cell === 'gru' ? [2, 48] : [16]);
        expect(Array.from(l.bias.dataSync()).every((x) => x === 0)).toBe(true);
      }
      model.dispose();
    }
  });
});

describe('cell options', () => {
  it('refuses a forget-gate bias for cells without a forget gate: request schema, engine, builder, form', async () => {
    const bad = TrainConfigRequestSchema.safeParse({ cell: 'gru', forgetBias: 1 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({ path: ['forgetBias'], message: expect.stringMatching(/applies to LSTM cells only/) });
    expect(TrainConfigRequestSchema.parse({ cell: 'lstm', forgetBias: 1 }).forgetBias).toBe(1);
    expect(TrainConfigRequestSchema.parse({ cell: 'rnn-relu' }).forgetBias).toBe(0);
    expect(() => jobKinds.train.params.parse({ project: '/p', corpus: 'c', id: 'm', config: { cell: 'rnn-tanh', forgetBias: 0.5 } })).toThrow(
      /applies to LSTM cells only/,
    );

    const backend = await selectBackend('wasm');
    const config = TrainConfigSchema.parse({ ...small, cell: 'gru', forgetBias: 1, epochs: 1 });
    await expect(
      trainLanguageModel({ train, valid, vocab, config, outDir: path.join(root, 'refused'), backend }, inProcessContext()),
    ).rejects.toThrow(/forgetBias 1 applies to LSTM cells only; a gru has no forget gate/);
    await expect(fs.stat(path.join(root, 'refused'))).rejects.toThrow();
    expect(() =>
      buildRnnLm(architectureFor(TrainConfigSchema.parse({ cell: 'rnn-tanh' }), 10), { initScale: 0.1, seed: 1, dropout: 0, forgetBias: 1 }),
    ).toThrow(/forget-gate bias applies to LSTM layers only, not to rnn-tanh/);

    const defaults = TrainConfigSchema.parse({});
    const v = { ...trainFormValues(defaults, { id: 'm', corpus: 'c' }), cell: 'gru' as const };
    v.fields.forgetBias = '1';
    const checked = checkTrainForm(v, '/p', new Set());
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.errors.forgetBias).toMatch(/applies to LSTM cells only \(a GRU has no forget gate\)/);
    v.fields.forgetBias = '0';
    const ok = checkTrainForm(v, '/p', new Set());
    expect(ok.ok && ok.params.config.cell).toBe('gru');
  });

  it('the verwimp2018 recipe sets an LSTM; an explicit cell wins; the form offers the trainable cells', () => {
    expect(TrainConfigRequestSchema.parse({ recipe: 'verwimp2018' }).cell).toBe('lstm');
    const gru = TrainConfigRequestSchema.parse({ recipe: 'verwimp2018', cell: 'gru' });
    expect(gru).toMatchObject({ cell: 'gru', hiddenSize: 256, epochs: 39, forgetBias: 0 });
    expect(TrainTaskParamsSchema.parse({ source: { kind: 'corpus', dir: '/c' }, outDir: '/o', config: { cell: 'rnn-relu' } }).config.cell).toBe('rnn-relu');
    expect(TrainConfigSchema.safeParse({ cell: 'gru-classic' }).success).toBe(false);

    expect(TRAIN_CELL_OPTIONS).toEqual([
      { value: 'lstm', label: 'LSTM' },
      { value: 'gru', label: 'GRU' },
      { value: 'rnn-tanh', label: 'RNN (tanh)' },
      { value: 'rnn-relu', label: 'RNN (ReLU)' },
    ]);
    const defaults = TrainConfigSchema.parse({});
    const form = { ...trainFormValues(defaults, { id: 'm', corpus: 'c' }), cell: 'gru' as const };
    expect(withRecipe(form, 'verwimp2018', defaults).cell).toBe('lstm');
  });

  it('the time estimate counts G·H·(in + H) per layer: 4 gates for an LSTM, 3 for a GRU, 1 for an RNN', () => {
    const size = { embeddingDim: 64, hiddenSize: 256, layers: 2, vocabSize: 10000 };
    const recurrent = 256 * (64 + 256) + 256 * (256 + 256);
    expect(macsPerToken(size)).toBe(4 * recurrent + 2_560_000);
    expect(macsPerToken({ ...size, cell: 'lstm' })).toBe(4 * recurrent + 2_560_000);
    expect(macsPerToken({ ...size, cell: 'gru' })).toBe(3 * recurrent + 2_560_000);
    expect(macsPerToken({ ...size, cell: 'rnn-relu' })).toBe(recurrent + 2_560_000);
  });
});
