// Training lowers validation perplexity on a slice of the Brown corpus: the real importer,
// vocabulary, training loop and evaluation, compared with the same model before training.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importCorpus } from '../../main/engine/corpus';
import { readTrainingData } from '../../main/engine/model/train-task';
import { trainLanguageModel, architectureFor } from '../../main/engine/model/train-loop';
import { buildRnnLm } from '../../main/engine/model/rnn-lm';
import { evaluatePerplexity } from '../../main/engine/model/perplexity';
import { loadLanguageModel } from '../../main/engine/model/model-files';
import { selectBackend } from '../../main/engine/model/backend';
import { inProcessContext } from '../../main/engine/jobs/task-context';
import { TrainConfigSchema, type TrainProgress } from '../../shared/schemas/model';

let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'mnemoscope-train-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('training on a Brown slice', () => {
  it('lowers validation perplexity well below the untrained model and keeps the best epoch', async () => {
    const corpusDir = path.join(tmp, 'brown');
    await fs.mkdir(corpusDir);
    await importCorpus({ kind: 'builtin-brown', maxFiles: 12 }, { id: 'brown' }, corpusDir);
    const config = TrainConfigSchema.parse({
      embeddingDim: 16, hiddenSize: 32, vocabSize: 600, epochs: 3, batchSize: 10, bptt: 20, maxTokens: 15000, seed: 7,
    });
    const data = await readTrainingData(corpusDir, config.vocabSize);
    const backend = await selectBackend('wasm');
    const V = data.vocab.words.length;

    const untrained = buildRnnLm(architectureFor(config, V), { initScale: config.initScale, seed: config.seed, dropout: 0 });
    const before = evaluatePerplexity(untrained, data.valid, { batchSize: 10, bptt: 20 }).perplexity;
    untrained.dispose();
    // Small uniform weights predict nearly uniformly over the vocabulary.
    expect(before).toBeGreaterThan(0.8 * V);

    const progress: TrainProgress[] = [];
    const outDir = path.join(tmp, 'model');
    const result = await trainLanguageModel(
      { ...data, config, outDir, backend, corpus: { id: 'brown', dir: corpusDir } },
      inProcessContext<TrainProgress>((p) => progress.push(p)),
    );
    expect(result.epochsRun).toBe(3);
    expect(result.bestValidPerplexity).not.toBeNull();
    expect(result.bestValidPerplexity as number).toBeLessThan(0.4 * before);
    expect(progress.some((p) => p.validPerplexity !== undefined)).toBe(true);
    expect(progress.at(-1)?.secondsLeft).toBeGreaterThanOrEqual(0);

    // The saved checkpoint is the best epoch, and reloads to exactly that perplexity.
    const { model, meta } = await loadLanguageModel(outDir);
    const after = evaluatePerplexity(model, data.valid, { batchSize: 10, bptt: 20 }).perplexity;
    model.dispose();
    expect(meta.origin.kind).toBe('trained');
    if (meta.origin.kind === 'trained') {
      const best = Math.min(...meta.origin.history.map((h) => h.validPerplexity));
      expect(meta.origin.bestValidPerplexity).toBeCloseTo(best, 8);
      expect(Math.abs(after - best) / best).toBeLessThan(1e-5);
    }
  });
});
