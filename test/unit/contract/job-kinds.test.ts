// The job kinds the UI starts (train, import-model, evaluate, analyze) end to end through
// the engine's API, on a real project with a small Brown slice: validation of their params,
// progress, results, cancellation (training keeps its best checkpoint), and failures that
// name what is wrong. Also corpusPreview and jobDefaults, which the forms use.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../main/engine/handlers/create-engine';
import { analyzeFraction } from '../../../main/engine/handlers/job-kinds/analyze';
import { trainFraction } from '../../../main/engine/handlers/job-kinds/train';
import type { MnemoscopeApi } from '../../../shared/contract';
import type { JobEndEvent, JobProgressEvent } from '../../../shared/events';
import type { JobStartInput } from '../../../shared/jobs';
import type { TrainProgress } from '../../../shared/schemas/model';
import { CORPUS_FIXTURES, testEngine } from './helpers';

let engine: Engine;
let api: MnemoscopeApi;
let project: string;
const progress: JobProgressEvent[] = [];
const ends = new Map<string, JobEndEvent>();

const tiny = { embeddingDim: 8, hiddenSize: 16, vocabSize: 300, batchSize: 4, bptt: 10, maxTokens: 3000, dropout: 0 };

async function run(request: JobStartInput): Promise<{ jobId: string; end: JobEndEvent; progress: JobProgressEvent[] }> {
  const { jobId } = await api.jobStart(request);
  const end = await engine.jobs.whenEnded(jobId)!;
  return { jobId, end, progress: progress.filter((p) => p.jobId === jobId) };
}

function done<T>(end: JobEndEvent): T {
  if (end.status !== 'done') throw new Error(`job ${end.kind} ended ${end.status}: ${end.status === 'failed' ? end.error : ''}`);
  return end.result as T;
}

beforeAll(async () => {
  const made = await testEngine();
  engine = made.engine;
  api = engine.api;
  engine.subscribe((e) => {
    if (e.name === 'jobProgress') progress.push(e.payload);
    if (e.name === 'jobEnd') ends.set(e.payload.jobId, e.payload);
  });
  project = (await api.projectCreate({ dir: path.join(made.dir, 'study'), name: 'Jobs' })).dir;
  const { end } = await run({ kind: 'import-corpus', params: { project, id: 'brown', source: { kind: 'builtin-brown', maxFiles: 3 } } });
  done(end);
});
afterAll(async () => {
  await engine.close();
});

describe('job params are validated before a job starts', () => {
  it.each([
    ['train with an unknown config key', { kind: 'train', params: { project: '/p', corpus: 'c', id: 'm', config: { hidden: 3 } } }, /config: Unrecognized key.*hidden/],
    ['train with a bad value', { kind: 'train', params: { project: '/p', corpus: 'c', id: 'm', config: { dropout: 1 } } }, /params.config.dropout/],
    ['import-model without a vocabulary', { kind: 'import-model', params: { project: '/p', id: 'm', modelJson: '/m.json' } }, /params.vocab/],
    ['evaluate on a split that does not exist', { kind: 'evaluate', params: { project: '/p', model: 'm', corpus: 'c', split: 'dev' } }, /params.split/],
    ['analyze with an unknown option', { kind: 'analyze', params: { project: '/p', model: 'm', corpus: 'c', id: 'r', delays: 3 } }, /Unrecognized key.*delays/],
    ['analyze with a bad run id', { kind: 'analyze', params: { project: '/p', model: 'm', corpus: 'c', id: '../r' } }, /params.id/],
  ])('refuses %s', async (_what, request, message) => {
    await expect(api.jobStart(request as unknown as JobStartInput)).rejects.toMatchObject({ kind: 'user', message: expect.stringMatching(message) });
  });
});

describe('train, evaluate, import-model and analyze', () => {
  it('trains a model with progress, then evaluates it: the valid perplexity is the one training reported', async () => {
    const { end, progress: seen } = await run({ kind: 'train', params: { project, corpus: 'brown', id: 'small', name: 'Small', config: { ...tiny, epochs: 2 }, backend: 'wasm' } });
    const r = done<{ bestEpoch: number; bestValidPerplexity: number; epochsRun: number; cancelled: boolean; model: { id: string } }>(end);
    expect(r).toMatchObject({ model: { id: 'small' }, epochsRun: 2, cancelled: false });
    expect(seen.length).toBeGreaterThan(2);
    const fractions = seen.map((p) => p.fraction ?? 0);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions.at(-1)).toBe(1);
    expect(seen.some((p) => (p.progress as TrainProgress).validPerplexity !== undefined && p.secondsLeft !== null)).toBe(true);

    const [listed] = await api.modelList({ project });
    expect(listed).toMatchObject({ id: 'small', name: 'Small', summary: { origin: 'trained', corpus: 'brown', epochsRun: 2, complete: true } });
    expect(listed.summary!.bestValidPerplexity).toBeCloseTo(r.bestValidPerplexity, 6);

    // Validation during training ran on valid with batchSize streams, dropout off: the
    // saved (best) model evaluated the same way must give the same perplexity.
    const ev = done<{ perplexity: number; split: string }>(
      (await run({ kind: 'evaluate', params: { project, model: 'small', corpus: 'brown', split: 'valid', batchSize: 4, bptt: 10, backend: 'wasm' } })).end,
    );
    expect(ev.split).toBe('valid');
    expect(ev.perplexity).toBeCloseTo(r.bestValidPerplexity, 2);
    const test = done<{ perplexity: number }>((await run({ kind: 'evaluate', params: { project, model: 'small', corpus: 'brown', split: 'test', backend: 'wasm' } })).end);
    expect(Math.abs(test.perplexity - ev.perplexity)).toBeGreaterThan(1e-3);
  });

  it('cancelled during the second epoch, keeps the first epoch as the best checkpoint and says so', async () => {
    const { jobId } = await api.jobStart({ kind: 'train', params: { project, corpus: 'brown', id: 'stopped', config: { ...tiny, epochs: 50, lrDecayAfter: 100 }, backend: 'wasm' } });
    await new Promise<void>((resolve) => {
      const off = engine.subscribe((e) => {
        if (e.name === 'jobProgress' && e.payload.jobId === jobId && (e.payload.progress as TrainProgress).epoch >= 2) {
          off();
          void api.jobCancel({ jobId }).then(() => resolve());
        }
      });
    });
    const end = await engine.jobs.whenEnded(jobId)!;
    const r = done<{ cancelled: boolean; epochsRun: number; bestEpoch: number }>(end);
    expect(r.cancelled).toBe(true);
    expect(r.epochsRun).toBeGreaterThanOrEqual(1);
    expect(r.epochsRun).toBeLessThan(50);
    const shown = await api.modelShow({ project, id: 'stopped' });
    expect(shown.summary).toMatchObject({ cancelled: true, bestEpoch: r.bestEpoch });
  });

  it('cancelled before the first epoch ends, keeps nothing', async () => {
    const { jobId } = await api.jobStart({ kind: 'train', params: { project, corpus: 'brown', id: 'never', config: { ...tiny, epochs: 1, maxTokens: null, bptt: 5, batchSize: 2 }, backend: 'wasm' } });
    await api.jobCancel({ jobId });
    expect((await engine.jobs.whenEnded(jobId)!).status).toBe('cancelled');
    expect((await api.modelList({ project })).map((m) => m.id)).not.toContain('never');
  });

  it('imports a tfjs model with its vocabulary, and refuses an id that is taken', async () => {
    const dir = path.join(project, 'models', 'small');
    const params = { project, id: 'copy', modelJson: path.join(dir, 'model.json'), vocab: path.join(dir, 'vocab.json'), backend: 'wasm' as const };
    const r = done<{ architecture: { embeddingDim: number; layers: { units: number }[] } }>((await run({ kind: 'import-model', params })).end);
    expect(r.architecture).toMatchObject({ vocabSize: expect.any(Number), embeddingDim: 8, layers: [{ units: 16 }] });
    expect((await api.modelShow({ project, id: 'copy' })).summary.origin).toBe('imported');
    const again = (await run({ kind: 'import-model', params })).end;
    expect(again).toMatchObject({ status: 'failed', errorKind: 'user', error: expect.stringMatching(/already has a model 'copy'/) });
    const missing = (await run({ kind: 'import-model', params: { ...params, id: 'gone', modelJson: path.join(dir, 'nope.json') } })).end;
    expect(missing).toMatchObject({ status: 'failed', error: expect.stringContaining('nope.json') });
  });

  it('runs a delay sweep into the project, with progress through its phases', async () => {
    const { end, progress: seen } = await run({
      kind: 'analyze',
      params: { project, model: 'small', corpus: 'brown', id: 'sweep', maxDelay: 4, maxTokens: 400, streams: 4, groups: 4, workers: 0, properties: ['sg-pl=noun-sg:noun-pl'] },
    });
    const r = done<{ run: { id: string; model: string; corpus: string; dir: string } }>(end);
    expect(r.run).toMatchObject({ id: 'sweep', model: 'small', corpus: 'brown', dir: path.join(project, 'runs', 'sweep') });
    expect(await api.runList({ project })).toMatchObject([{ id: 'sweep', model: 'small', corpus: 'brown', missing: {} }]);
    const record = JSON.parse(await fs.readFile(path.join(r.run.dir, 'run.json'), 'utf8'));
    expect(record.config).toMatchObject({ maxDelay: 4, streams: 4, maxTokens: 400, workers: 0, properties: [{ name: 'sg-pl', classA: 'noun-sg', classB: 'noun-pl' }] });
    const fractions = seen.map((p) => p.fraction ?? 0);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(new Set(seen.map((p) => (p.progress as { phase: string }).phase))).toEqual(new Set(['prepare', 'accumulate', 'summarise', 'write']));
  });

  it('a sweep of a model that is not in the project fails with a message naming it', async () => {
    const { end } = await run({ kind: 'analyze', params: { project, model: 'absent', corpus: 'brown', id: 'x' } });
    expect(end).toMatchObject({ status: 'failed', errorKind: 'user', error: expect.stringMatching(/absent/) });
  });
});

describe('progress fractions', () => {
  const p = (over: Partial<TrainProgress>): TrainProgress => ({
    phase: 'train', epoch: 1, epochs: 4, batch: 0, batchesPerEpoch: 10, tokensPerSecond: 1, trainLoss: 1, learningRate: 1, secondsLeft: 1, bestEpoch: null, ...over,
  });
  it('training counts finished epochs and the batches of the current one', () => {
    expect(trainFraction(p({ epoch: 1, batch: 5 }))).toBeCloseTo(0.125);
    expect(trainFraction(p({ epoch: 3, phase: 'valid', batch: 10 }))).toBeCloseTo(0.75);
    expect(trainFraction(p({ epoch: 4, phase: 'valid' }))).toBe(1);
  });
  it('a sweep weights its phases, the accumulation nearly all of it', () => {
    expect(analyzeFraction({ phase: 'prepare', fraction: 0, label: '', secondsLeft: null })).toBe(0);
    expect(analyzeFraction({ phase: 'accumulate', fraction: 0.5, label: '', secondsLeft: null })).toBeCloseTo(0.465);
    expect(analyzeFraction({ phase: 'write', fraction: 1, label: '', secondsLeft: 0 })).toBe(1);
  });
});

describe('procedures the forms use', () => {
  it('corpusPreview shows the first lines with the format and tagset an import would detect', async () => {
    const tagged = await api.corpusPreview({ path: path.join(CORPUS_FIXTURES, 'brown-tagged.txt'), lines: 2 });
    expect(tagged).toMatchObject({ format: 'tagged', tagset: 'brown', more: true });
    expect(tagged.lines).toHaveLength(2);
    expect(await api.corpusPreview({ path: path.join(CORPUS_FIXTURES, 'sample.conllu') })).toMatchObject({ format: 'conllu', more: false });
    expect(await api.corpusPreview({ path: path.join(CORPUS_FIXTURES, 'animals.txt') })).toMatchObject({ format: 'plain', tagset: 'none' });
    await expect(api.corpusPreview({ path: path.join(CORPUS_FIXTURES, 'missing.txt') })).rejects.toMatchObject({ kind: 'user', message: expect.stringMatching(/missing\.txt: no such file/) });
    await expect(api.corpusPreview({ path: CORPUS_FIXTURES })).rejects.toMatchObject({ kind: 'user', message: expect.stringMatching(/not a file/) });
  });

  it('jobDefaults gives the paper configuration and the sweep defaults', async () => {
    const d = await api.jobDefaults({});
    expect(d.train).toMatchObject({ layers: 1, embeddingDim: 64, hiddenSize: 256, vocabSize: 10000, epochs: 13, batchSize: 20, bptt: 50, dropout: 0.5, learningRate: null, patience: null });
    expect(d.analyze).toEqual({ split: 'test', state: 'c', maxDelay: 30, streams: 20, seed: 1, normalize: 'none', groups: 10 });
    expect(d.backends).toContain('auto');
  });
});
