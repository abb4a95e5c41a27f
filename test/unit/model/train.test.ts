// Training: it learns, it is reproducible across backends, it keeps tensor memory flat,
// it stops early and on cancel with the best checkpoint on disk.
import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobCancelledError } from '../../../main/engine/errors';
import { inProcessContext } from '../../../main/engine/jobs/task-context';
import { selectBackend } from '../../../main/engine/model/backend';
import { batchify, windowAt } from '../../../main/engine/model/batchify';
import type { RnnState } from '../../../main/engine/model/lstm-forward';
import { zeroState } from '../../../main/engine/model/lstm-forward';
import { buildRnnLm, modelTensors } from '../../../main/engine/model/rnn-lm';
import { loadLanguageModel, readModelMeta } from '../../../main/engine/model/model-files';
import { adam, sgd } from '../../../main/engine/model/optimizer';
import { evaluatePerplexity } from '../../../main/engine/model/perplexity';
import { mulberry32 } from '../../../main/engine/seeded-random';
import { architectureFor, learningRateAt, trainLanguageModel } from '../../../main/engine/model/train-loop';
import { trainStep } from '../../../main/engine/model/train-step';
import type { TrainProgress, TrainResult } from '../../../shared/schemas/model';
import { TrainConfigSchema } from '../../../shared/schemas/model';
import { grammarStream, tokenStream } from './helpers';
import { CancelToken } from '../../../main/engine/cancel-token';

const { tokens, words } = grammarStream(3200);
const vocab = { words, unk: '<unk>', eos: '<eos>' };
const train = tokens.subarray(0, 2800);
const valid = tokens.subarray(2800);
const small = { embeddingDim: 8, hiddenSize: 16, batchSize: 4, bptt: 10, vocabSize: words.length };
let root: string;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'mnemo-train-'));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('training', () => {
  it('uses the PTB schedule: lr 1 for 6 epochs, then ×0.8 per epoch', () => {
    const c = TrainConfigSchema.parse({});
    expect([1, 6, 7, 8].map((e) => learningRateAt(c, e))).toEqual([1, 1, 0.8, 0.8 * 0.8]);
    expect(c).toMatchObject({ layers: 1, embeddingDim: 64, hiddenSize: 256, vocabSize: 10000, dropout: 0.5, clipNorm: 5, batchSize: 20, bptt: 50 });
    expect(learningRateAt(TrainConfigSchema.parse({ optimizer: 'adam' }), 1)).toBe(0.001);
  });

  it('lowers validation perplexity on a small grammar and writes a complete model folder', async () => {
    const backend = await selectBackend('wasm');
    const outDir = path.join(root, 'learn');
    const config = TrainConfigSchema.parse({ ...small, epochs: 3, dropout: 0.1 });
    const events: TrainProgress[] = [];
    const r = await trainLanguageModel({ train, valid, vocab, config, outDir, backend }, inProcessContext((p) => events.push(p)));
    const untrained = buildRnnLm(architectureFor(config, words.length), { initScale: config.initScale, seed: config.seed, dropout: 0 });
    const before = evaluatePerplexity(untrained, valid, { batchSize: 4, bptt: 10 }).perplexity;
    untrained.dispose();
    expect(before).toBeGreaterThan(10); // ≈ uniform over 13 words
    expect(r.bestValidPerplexity).toBeLessThan(before / 2);
    expect(r).toMatchObject({ checkpointSaved: true, epochsRun: 3, cancelled: false, stoppedEarly: false });

    const meta = await readModelMeta(outDir);
    if (meta.origin.kind !== 'trained') throw new Error('expected a trained model');
    expect(meta.origin.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect(meta.origin.history[2].validPerplexity).toBeLessThan(meta.origin.history[0].validPerplexity);
    expect(meta.origin).toMatchObject({ complete: true, bestEpoch: r.bestEpoch, backend: { name: 'wasm' } });
    expect(meta.origin.tokensPerSecond).toBeGreaterThan(0);
    expect(meta.origin.config).toMatchObject({ seed: 1, learningRate: 1 });
    expect(meta.origin.validBatchSize).toBe(4);

    const valids = events.filter((e) => e.phase === 'valid');
    expect(valids.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(valids.every((e) => Number.isFinite(e.validPerplexity))).toBe(true);
    const trains = events.filter((e) => e.phase === 'train');
    expect(trains.length).toBeGreaterThan(0);
    expect(trains.every((e) => e.tokensPerSecond > 0 && e.batchesPerEpoch === 70 && Number.isFinite(e.secondsLeft))).toBe(true);

    // The folder holds the best epoch's weights.
    const loaded = await loadLanguageModel(outDir);
    const ppl = evaluatePerplexity(loaded.model, valid, { batchSize: 4, bptt: 10 }).perplexity;
    expect(Math.abs(ppl - (r.bestValidPerplexity as number)) / ppl).toBeLessThan(1e-5);
    loaded.model.dispose();
  });

  it('keeps tensor memory flat across steps (SGD and Adam)', async () => {
    await selectBackend('wasm');
    const config = TrainConfigSchema.parse(small);
    for (const opt of [sgd(), adam()]) {
      const model = buildRnnLm(architectureFor(config, words.length), { initScale: 0.05, seed: 3, dropout: 0.5 });
      const params = modelTensors(model);
      const data = batchify(train, 4, words.length, 'train');
      const drop = { rng: mulberry32(1), embedding: 0.2, output: 0.5 };
      let state: RnnState = zeroState(params, 4);
      const counts: number[] = [];
      for (let k = 0; k < 6; k++) {
        state = trainStep(params, opt, windowAt(data, 10, k), state, drop, 0.5, 5).state;
        counts.push(tf.memory().numTensors);
      }
      expect(new Set(counts.slice(1)).size).toBe(1);
      opt.dispose();
      model.dispose();
    }
  });

  it('gives the same loss trajectory on wasm (custom gradients) as on cpu', async () => {
    const config = TrainConfigSchema.parse(small);
    const losses: Record<string, number[]> = {};
    for (const b of ['cpu', 'wasm'] as const) {
      await selectBackend(b);
      const model = buildRnnLm(architectureFor(config, words.length), { initScale: 0.1, seed: 9, dropout: 0.5 });
      const params = modelTensors(model);
      const data = batchify(train, 4, words.length, 'train');
      const drop = { rng: mulberry32(5), embedding: 0.1, output: 0.5 };
      const opt = sgd();
      let state: RnnState = zeroState(params, 4);
      losses[b] = [];
      for (let k = 0; k < 4; k++) {
        const s = trainStep(params, opt, windowAt(data, 10, k), state, drop, 1, 5);
        state = s.state;
        losses[b].push(s.loss);
      }
      model.dispose();
    }
    expect(losses.wasm[3]).toBeLessThan(losses.wasm[0]);
    losses.cpu.forEach((l, i) => expect(Math.abs(l - losses.wasm[i]) / l).toBeLessThan(1e-4));
  });

  it('stops early when validation perplexity stops improving (patience)', async () => {
    const backend = await selectBackend('wasm');
    // Validating on random words: the better the model learns the grammar, the worse it does there.
    const noise = tokenStream(400, words.length, 17);
    const config = TrainConfigSchema.parse({ ...small, epochs: 6, patience: 1, dropout: 0 });
    const r = await trainLanguageModel(
      { train, valid: noise, vocab, config, outDir: path.join(root, 'early'), backend },
      inProcessContext(),
    );
    expect(r.stoppedEarly).toBe(true);
    expect(r.epochsRun).toBe((r.bestEpoch as number) + 1);
    const meta = await readModelMeta(path.join(root, 'early'));
    expect(meta.origin).toMatchObject({ kind: 'trained', stoppedEarly: true, complete: true });
  });

  it('on cancel, stops between batches and keeps the best checkpoint written so far', async () => {
    const backend = await selectBackend('wasm');
    const outDir = path.join(root, 'cancel');
    const config = TrainConfigSchema.parse({ ...small, epochs: 5 });
    let epochsDone = 0;
    const ctx = inProcessContext<TrainProgress>((p) => {
      if (p.phase === 'valid' && ++epochsDone >= 2) ctx.cancel.cancel();
    });
    const err = await trainLanguageModel({ train, valid, vocab, config, outDir, backend }, ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobCancelledError);
    const partial = (err as JobCancelledError).partial as TrainResult;
    expect(partial).toMatchObject({ checkpointSaved: true, cancelled: true, epochsRun: 2 });
    const meta = await readModelMeta(outDir);
    expect(meta.origin).toMatchObject({ kind: 'trained', cancelled: true, bestEpoch: partial.bestEpoch });
    const loaded = await loadLanguageModel(outDir);
    const ppl = evaluatePerplexity(loaded.model, valid, { batchSize: 4, bptt: 10 }).perplexity;
    expect(Math.abs(ppl - (partial.bestValidPerplexity as number)) / ppl).toBeLessThan(1e-5);
    loaded.model.dispose();

    // Cancelled before any epoch finished: nothing is written.
    const none = path.join(root, 'cancel-early');
    const err2 = await trainLanguageModel(
      { train, valid, vocab, config, outDir: none, backend },
      inProcessContext(undefined, cancelledToken()),
    ).catch((e: unknown) => e);
    expect(((err2 as JobCancelledError).partial as TrainResult).checkpointSaved).toBe(false);
    await expect(fs.readdir(none)).rejects.toThrow(/ENOENT/);
  });
});

function cancelledToken(): CancelToken {
  const t = CancelToken.create();
  t.cancel();
  return t;
}
