// Data-parallel training (train-stepper.ts, data-parallel/): worker threads that each take a
// share of the streams give the whole batch's gradients and validation loss, and their
// update the single thread's weights; the same seed and worker count give identical
// weights; the worker count is recorded; what is saved is the current weights.
import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessContext } from '../../../main/engine/jobs/task-context';
import { selectBackend } from '../../../main/engine/model/backend';
import { batchify, windowAt } from '../../../main/engine/model/batchify';
import { zeroState } from '../../../main/engine/model/lstm-forward';
import { buildRnnLm, modelTensors } from '../../../main/engine/model/rnn-lm';
import { loadLanguageModel, readModelMeta } from '../../../main/engine/model/model-files';
import { evaluatePerplexity, streamLoss } from '../../../main/engine/model/perplexity';
import { parallelPerplexity } from '../../../main/engine/model/parallel-perplexity';
import { architectureFor, trainLanguageModel } from '../../../main/engine/model/train-loop';
import { adam, sgd } from '../../../main/engine/model/optimizer';
import { trainStep, windowGradients } from '../../../main/engine/model/train-step';
import { flatLayout } from '../../../main/engine/model/data-parallel/flat-parameters';
import { ShardPool } from '../../../main/engine/model/data-parallel/shard-pool';
import { streamShares, streamsOf } from '../../../main/engine/model/data-parallel/stream-shares';
import { trainingWorkers } from '../../../main/engine/model/train-stepper';
import { TrainConfigSchema, type Cell } from '../../../shared/schemas/model';
import { grammarStream, maxRelativeError } from './helpers';

const { tokens, words } = grammarStream(3200);
const vocab = { words, unk: '<unk>', eos: '<eos>' };
const V = words.length;
let root: string;

beforeAll(async () => {
  await selectBackend('wasm');
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'mnemo-dp-'));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('stream shares', () => {
  it('cover the streams once, in order, sizes differing by at most one', () => {
    expect(streamShares(20, 2)).toEqual([{ first: 0, count: 10 }, { first: 10, count: 10 }]);
    expect(streamShares(7, 3)).toEqual([{ first: 0, count: 3 }, { first: 3, count: 2 }, { first: 5, count: 2 }]);
    expect(streamShares(2, 4)).toEqual([{ first: 0, count: 1 }, { first: 1, count: 1 }]);
    const b = batchify(Int32Array.from({ length: 30 }, (_, i) => i), 3, 30, 'test');
    const s = streamsOf(b, { first: 1, count: 2 });
    // A share's window holds the whole batch's rows of its streams.
    const whole = windowAt(b, 4, 1);
    const part = windowAt(s, 4, 1);
    for (let t = 0; t < part.steps; t++) for (let j = 0; j < 2; j++) expect(part.inputs[t * 2 + j]).toBe(whole.inputs[t * 3 + 1 + j]);
  });

  it('one worker on the tensorflow backends, at most one per stream elsewhere', () => {
    expect(trainingWorkers(4, 'tensorflow', 20)).toBe(1);
    expect(trainingWorkers(4, 'wasm', 3)).toBe(3);
    expect(trainingWorkers(2, 'wasm', 20)).toBe(2);
    expect(trainingWorkers(null, 'cpu', 1000)).toBe(os.availableParallelism());
  });
});

describe.each<Cell>(['lstm', 'gru'])('%s: workers give the whole batch', (cell) => {
  it('summed gradients and validation loss equal the single-thread ones', async () => {
    const config = TrainConfigSchema.parse({ cell, embeddingDim: 8, hiddenSize: 12, batchSize: 5, bptt: 7, vocabSize: V, dropout: 0, embeddingDropout: 0 });
    const arch = architectureFor(config, V);
    const init = { initScale: 0.3, seed: 7, dropout: 0 };
    const model = buildRnnLm(arch, init);
    const params = modelTensors(model);
    const train = batchify(tokens.subarray(0, 1000), 5, V, 'train');
    const valid = batchify(tokens.subarray(1000, 1600), 3, V, 'valid');
    const pool = new ShardPool({
      workers: 2,
      backend: 'wasm',
      arch,
      init,
      variables: params.variables,
      train,
      valid,
      bptt: 7,
      dropout: { seed: 1, embedding: 0, output: 0 },
      optimizer: { kind: 'sgd' },
    });
    try {
      const layout = flatLayout(params.variables);
      let state = zeroState(params, 5);
      for (const k of [0, 1, 2]) {
        // Window k after k windows of carried state: the workers carry their streams' state too.
        const w = windowAt(train, 7, k);
        const whole = windowGradients(params, w, state, null, w.steps);
        state = whole.state;
        const expected = new Float32Array(layout.size);
        params.variables.forEach((v, i) => expected.set(whole.grads![v.name].dataSync() as Float32Array, layout.slots[i].offset));
        tf.dispose(whole.grads!);
        // Learning rate 0: the weights stay those the single thread uses.
        const got = await pool.step(k, { learningRate: 0, clipNorm: 0 });
        expect(got.finite).toBe(true);
        expect(Math.abs(got.loss - whole.loss)).toBeLessThan(1e-5 * whole.loss);
        expect(maxRelativeError(got.gradients, expected)).toBeLessThan(1e-5);
        const norm = Math.sqrt(expected.reduce((a, g) => a + g * g, 0));
        expect(Math.abs(got.gradNorm - norm)).toBeLessThan(1e-5 * norm);
      }
      const direct = streamLoss(params, valid, 7);
      const pooled = await pool.evaluate(() => false);
      expect(pooled!.predicted).toBe(direct.predicted);
      expect(Math.abs(pooled!.nllSum - direct.nllSum)).toBeLessThan(1e-5 * direct.nllSum);
    } finally {
      await pool.close();
      model.dispose();
    }
  }, 60_000);
});

describe.each([
  { name: 'SGD, clipped', make: sgd, lr: 1, clip: 0.5 },
  { name: 'Adam', make: () => adam(), lr: 0.01, clip: 0 },
])('workers update the weights ($name)', ({ make, lr, clip }) => {
  it('as the single thread does, and the leader reads them only when asked', async () => {
    const config = TrainConfigSchema.parse({ embeddingDim: 8, hiddenSize: 12, batchSize: 5, bptt: 7, vocabSize: V, dropout: 0, embeddingDropout: 0 });
    const arch = architectureFor(config, V);
    const init = { initScale: 0.3, seed: 7, dropout: 0 };
    const single = buildRnnLm(arch, init);
    const leader = buildRnnLm(arch, init);
    const singleParams = modelTensors(single);
    const leaderParams = modelTensors(leader);
    const initial = leaderParams.variables.map((v) => Float32Array.from(v.dataSync()));
    const train = batchify(tokens.subarray(0, 1000), 5, V, 'train');
    const singleOpt = make();
    const poolOpt = make();
    const pool = new ShardPool({
      workers: 2,
      backend: 'wasm',
      arch,
      init,
      variables: leaderParams.variables,
      train,
      valid: null,
      bptt: 7,
      dropout: { seed: 1, embedding: 0, output: 0 },
      optimizer: poolOpt.spec,
    });
    try {
      let state = zeroState(singleParams, 5);
      for (const k of [0, 1, 2, 3]) {
        const s = trainStep(singleParams, singleOpt, windowAt(train, 7, k), state, null, lr, clip);
        state = s.state;
        const got = await pool.step(k, { learningRate: lr, clipNorm: clip });
        expect(Math.abs(got.gradNorm - s.gradNorm)).toBeLessThan(1e-5 * s.gradNorm);
        if (clip > 0) expect(s.gradNorm).toBeGreaterThan(clip); // the clipped case clips
      }
      // The leader's variables are not updated by the steps: still the initial weights ...
      leaderParams.variables.forEach((v, i) => expect(Buffer.from((v.dataSync() as Float32Array).buffer).equals(Buffer.from(initial[i].buffer))).toBe(true));
      // ... until it reads them: then the single thread's, up to the order of the gradients' additions.
      pool.readWeights(leaderParams.variables);
      leaderParams.variables.forEach((v, i) => {
        const want = singleParams.variables[i].dataSync() as Float32Array;
        expect(maxRelativeError(v.dataSync() as Float32Array, want)).toBeLessThan(1e-5);
        expect(maxRelativeError(initial[i], want)).toBeGreaterThan(1e-4); // the weights did move
      });
    } finally {
      await pool.close();
      singleOpt.dispose();
      poolOpt.dispose();
      single.dispose();
      leader.dispose();
    }
  }, 60_000);
});

describe.each<Cell>(['lstm', 'gru-classic', 'rnn-relu'])('%s: perplexity over workers', (cell) => {
  it('equals the single thread, with progress counted in windows', async () => {
    const config = TrainConfigSchema.parse({ embeddingDim: 6, hiddenSize: 10, vocabSize: V });
    const arch = { ...architectureFor(config, V), layers: [{ units: 10, cell, recurrentActivation: 'sigmoid' as const }] };
    const model = buildRnnLm(arch, { initScale: 0.4, seed: 3, dropout: 0 });
    try {
      const valid = tokens.subarray(0, 900);
      const single = evaluatePerplexity(model, valid, { batchSize: 5, bptt: 8 });
      const seen: [number, number][] = [];
      const pooled = await parallelPerplexity(model, valid, {
        batchSize: 5,
        bptt: 8,
        workers: 2,
        backend: 'wasm',
        onWindow: (done, total) => void seen.push([done, total]),
      });
      expect(pooled.predicted).toBe(single.predicted);
      expect(Math.abs(pooled.crossEntropy - single.crossEntropy)).toBeLessThan(1e-6 * single.crossEntropy);
      expect(single.perplexity).toBeGreaterThan(2); // an untrained model: the test compares real losses
      const total = seen.length ? seen[0][1] : 0;
      expect(total).toBe(2 * Math.ceil((Math.floor(900 / 5) - 1) / 8));
      expect(seen.every(([d]) => d <= total)).toBe(true);
    } finally {
      model.dispose();
    }
  }, 60_000);
});

describe('a worker that fails', () => {
  it('fails the step with its error, and the pool still closes', async () => {
    const config = TrainConfigSchema.parse({ embeddingDim: 4, hiddenSize: 6, vocabSize: V });
    const arch = architectureFor(config, V);
    const init = { initScale: 0.1, seed: 1, dropout: 0 };
    const model = buildRnnLm(arch, init);
    // Only validation streams: a training step is a command these workers cannot do.
    const pool = new ShardPool({
      workers: 2,
      backend: 'wasm',
      arch,
      init,
      variables: modelTensors(model).variables,
      train: null,
      valid: batchify(tokens.subarray(0, 200), 4, V, 'valid'),
      bptt: 5,
      dropout: { seed: 1, embedding: 0, output: 0 },
      optimizer: { kind: 'sgd' },
    });
    try {
      await expect(pool.step(0, { learningRate: 1, clipNorm: 0 })).rejects.toThrow(/has no training streams/);
    } finally {
      await pool.close();
      model.dispose();
    }
  }, 60_000);
});

describe('data-parallel training', () => {
  const small = { embeddingDim: 8, hiddenSize: 16, batchSize: 4, bptt: 10, vocabSize: V, epochs: 2, dropout: 0.2 };

  async function trainWith(workers: number, name: string) {
    const backend = await selectBackend('wasm');
    const outDir = path.join(root, name);
    const config = TrainConfigSchema.parse({ ...small, workers });
    const r = await trainLanguageModel({ train: tokens.subarray(0, 2800), valid: tokens.subarray(2800), vocab, config, outDir, backend }, inProcessContext());
    const { model } = await loadLanguageModel(outDir);
    const weights = model.getWeights().map((t) => Float32Array.from(t.dataSync()));
    // The checkpoint evaluated in this thread: the perplexity the workers measured on the weights they trained.
    const savedPerplexity = evaluatePerplexity(model, tokens.subarray(2800), { batchSize: small.batchSize, bptt: small.bptt }).perplexity;
    model.dispose();
    return { r, weights, savedPerplexity, meta: await readModelMeta(outDir) };
  }

  it('learns, records its worker count, and repeats itself exactly with the same seed and workers', async () => {
    const a = await trainWith(2, 'two-a');
    const b = await trainWith(2, 'two-b');
    const one = await trainWith(1, 'one');
    expect(a.meta.origin.kind === 'trained' && a.meta.origin.config.workers).toBe(2);
    expect(one.meta.origin.kind === 'trained' && one.meta.origin.config.workers).toBe(1);
    expect(a.r.bestValidPerplexity).toBeLessThan(V / 2);
    // The saved weights are the trained ones, not the leader's stale copy of the initial weights.
    for (const run of [a, one]) expect(Math.abs(run.savedPerplexity - run.r.bestValidPerplexity!)).toBeLessThan(1e-5 * run.savedPerplexity);
    expect(a.weights.length).toBe(b.weights.length);
    a.weights.forEach((w, i) => expect(Buffer.from(w.buffer).equals(Buffer.from(b.weights[i].buffer))).toBe(true));
    // Another worker count draws other dropout masks: the weights differ.
    expect(a.weights.some((w, i) => !Buffer.from(w.buffer).equals(Buffer.from(one.weights[i].buffer)))).toBe(true);
  }, 120_000);
});
