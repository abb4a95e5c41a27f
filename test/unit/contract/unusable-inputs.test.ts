// Issue 10, defects 3–5, through the engine's API (the transport-free core of the server
// and the app): a FIFO given as model.json, vocabulary, weights or corpus file is refused
// at once, naming it; imports that would save a corpus training rejects are refused with
// nothing saved; a CoNLL-U file with empty or blank XPOS imports and trains; model sizes
// beyond memory fail the job with a message saying how much memory they need.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../main/engine/handlers/create-engine';
import { selectBackend } from '../../../main/engine/model/backend';
import { buildRnnLm } from '../../../main/engine/model/rnn-lm';
import { saveModelWeights } from '../../../main/engine/model/model-files';
import type { MnemoscopeApi } from '../../../shared/contract';
import type { JobEndEvent } from '../../../shared/events';
import type { JobStartInput } from '../../../shared/jobs';
import { hasFifos, literal, makeFifo, releaseFifos, settlesWithin } from '../project/fifo';
import { CORPUS_FIXTURES, testEngine } from './helpers';

let engine: Engine;
let api: MnemoscopeApi;
let dir: string;
let project: string;

const split = (s: string) => path.join(CORPUS_FIXTURES, 'stats', `${s}.txt`);
const tinyTrain = { embeddingDim: 4, hiddenSize: 6, vocabSize: 50, batchSize: 1, bptt: 3, epochs: 1, dropout: 0, embeddingDropout: 0 };

async function run(request: JobStartInput, ms = 60_000): Promise<JobEndEvent> {
  const { jobId } = await api.jobStart(request);
  return settlesWithin(engine.jobs.whenEnded(jobId)!, ms, `the ${request.kind} job`);
}

/** The project holds nothing but what it held before: no listed item, no folder, no staging left. */
async function expectNothingAdded(kind: 'corpora' | 'models', id: string): Promise<void> {
  const listed = kind === 'corpora' ? await api.corpusList({ project }) : await api.modelList({ project });
  expect(listed.map((x) => x.id)).not.toContain(id);
  await expect(fs.stat(path.join(project, kind, id))).rejects.toThrow(/ENOENT/);
  expect(await fs.readdir(path.join(project, '.staging')).catch(() => [])).toEqual([]);
}

/** A small valid model (Embedding 3 → LSTM 4 → Dense 5) with a 5-word vocabulary file beside it. */
async function smallModel(name: string): Promise<{ modelJson: string; vocab: string; weights: string }> {
  const out = path.join(dir, name);
  const model = buildRnnLm(
    { vocabSize: 5, embeddingDim: 3, layers: [{ units: 4, cell: 'lstm' as const, recurrentActivation: 'sigmoid' }], outputActivation: 'softmax' },
    { initScale: 0.1, seed: 1, dropout: 0 },
  );
  try {
    await saveModelWeights(out, model);
  } finally {
    model.dispose();
  }
  const vocab = path.join(out, 'vocab.txt');
  await fs.writeFile(vocab, ['<unk>', '<eos>', 'a', 'b', 'c'].join('\n') + '\n');
  return { modelJson: path.join(out, 'model.json'), vocab, weights: path.join(out, 'weights.bin') };
}

beforeAll(async () => {
  await selectBackend('wasm');
  const made = await testEngine();
  engine = made.engine;
  api = engine.api;
  dir = made.dir;
  project = (await api.projectCreate({ dir: path.join(dir, 'study'), name: 'Study' })).dir;
  const tiny = await run({ kind: 'import-corpus', params: { project, id: 'tiny', source: { kind: 'files', train: split('train'), valid: split('valid'), test: split('test') } } });
  expect(tiny.status).toBe('done');
});
afterEach(releaseFifos);
afterAll(async () => {
  releaseFifos();
  await engine.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe.runIf(hasFifos)('a FIFO where a file is expected (defect 3)', () => {
  it('as model.json: the import fails at once with a user error naming it, and nothing is written', async () => {
    const fifo = makeFifo(path.join(dir, 'model-fifo.json'));
    const { vocab } = await smallModel('for-fifo');
    const end = await run({ kind: 'import-model', params: { project, id: 'fifo1', modelJson: fifo, vocab, backend: 'wasm' } }, 30_000);
    expect(end).toMatchObject({ status: 'failed', errorKind: 'user', error: expect.stringMatching(new RegExp(`^${literal(fifo)}: is a FIFO \\(named pipe\\), not a regular file`)) });
    await expectNothingAdded('models', 'fifo1');
  });

  it('as the vocabulary, and as a weights file: refused the same way', async () => {
    const m = await smallModel('vocab-fifo');
    const vocabFifo = makeFifo(path.join(dir, 'vocab-fifo.txt'));
    const byVocab = await run({ kind: 'import-model', params: { project, id: 'fifo2', modelJson: m.modelJson, vocab: vocabFifo, backend: 'wasm' } }, 30_000);
    expect(byVocab).toMatchObject({ status: 'failed', errorKind: 'user', error: expect.stringMatching(/vocab-fifo\.txt: is a FIFO \(named pipe\), not a regular file; expected a vocabulary file/) });
    await fs.rm(m.weights);
    makeFifo(m.weights);
    const byWeights = await run({ kind: 'import-model', params: { project, id: 'fifo3', modelJson: m.modelJson, vocab: m.vocab, backend: 'wasm' } }, 30_000);
    expect(byWeights).toMatchObject({ status: 'failed', errorKind: 'user', error: expect.stringMatching(/weights\.bin: is a FIFO \(named pipe\), not a regular file; expected a weights file/) });
    await expectNothingAdded('models', 'fifo2');
    await expectNothingAdded('models', 'fifo3');
  });

  it('as a corpus file: the preview and the import refuse it at once', async () => {
    const fifo = makeFifo(path.join(dir, 'corpus-fifo.txt'));
    await expect(settlesWithin(api.corpusPreview({ path: fifo }), 5000)).rejects.toMatchObject({ kind: 'user', message: expect.stringMatching(/corpus-fifo\.txt: is a FIFO/) });
    const end = await run({ kind: 'import-corpus', params: { project, id: 'fromfifo', source: { kind: 'file', path: fifo } } }, 30_000);
    expect(end).toMatchObject({ status: 'failed', errorKind: 'user', error: expect.stringMatching(/corpus-fifo\.txt: is a FIFO \(named pipe\), not a regular file/) });
    const asSplit = await run({ kind: 'import-corpus', params: { project, id: 'fromfifo', source: { kind: 'files', train: split('train'), valid: fifo, test: split('test') } } }, 30_000);
    expect(asSplit).toMatchObject({ status: 'failed', errorKind: 'user', error: expect.stringMatching(/corpus-fifo\.txt: is a FIFO/) });
    await expectNothingAdded('corpora', 'fromfifo');
  });
});

describe('imports that training would reject (defect 4)', () => {
  it('a ratio of 1e308:1:1 is refused: it leaves the valid split empty, and nothing is saved', async () => {
    const file = path.join(dir, 'sentences.txt');
    await fs.writeFile(file, Array.from({ length: 30 }, (_, i) => `sentence number ${i} is here`).join('\n') + '\n');
    const end = await run({ kind: 'import-corpus', params: { project, id: 'skewed', source: { kind: 'file', path: file, ratio: [1e308, 1, 1] } } });
    expect(end).toMatchObject({ status: 'failed', errorKind: 'user', error: expect.stringMatching(/30 sentences cut 1e\+308:1:1 leave the valid split empty/) });
    await expectNothingAdded('corpora', 'skewed');
    // Huge but balanced parts are fine: only the shares count.
    const balanced = await run({ kind: 'import-corpus', params: { project, id: 'balanced', source: { kind: 'file', path: file, ratio: [1e308, 1e308, 1e308] } } });
    expect(balanced).toMatchObject({ status: 'done' });
    const stats = (await api.corpusShow({ project, id: 'balanced' })).corpus.stats.splits;
    expect([stats.train.sentences, stats.valid.sentences, stats.test.sentences]).toEqual([10, 10, 10]);
  });

  it('a CoNLL-U file whose XPOS is empty or blank imports with those tags as "_", and trains', async () => {
    const rows = (xpos: string[]) =>
      ['dogs', 'bark', 'loudly', '.'].map((w, i) => [i + 1, w, w, i === 3 ? 'PUNCT' : 'NOUN', xpos[i], '_', 0, 'dep', '_', '_'].join('\t')).join('\n');
    const sentences = Array.from({ length: 12 }, (_, k) => rows(k % 2 ? ['NNS', '', 'RB', '.'] : ['NNS', ' ', 'R B', '.']));
    const file = path.join(dir, 'blank-xpos.conllu');
    await fs.writeFile(file, sentences.join('\n\n') + '\n');
    const imported = await run({ kind: 'import-corpus', params: { project, id: 'conllu', source: { kind: 'file', path: file }, tagset: 'ptb' } });
    expect(imported, JSON.stringify(imported)).toMatchObject({ status: 'done' });
    const lexicon = await fs.readFile(path.join(project, 'corpora', 'conllu', 'lexicon.tsv'), 'utf8');
    expect(lexicon).toMatch(/^bark\t12\t.*\t_=12\t/m);
    expect(lexicon).toMatch(/^loudly\t12\t.*\t(R_B=6 RB=6|RB=6 R_B=6)\t/m);
    const trained = await run({ kind: 'train', params: { project, corpus: 'conllu', id: 'on-conllu', config: tinyTrain, backend: 'wasm' } });
    expect(trained, JSON.stringify(trained)).toMatchObject({ status: 'done', result: { epochsRun: 1 } });
  });
});

describe('sizes beyond memory (defect 5)', () => {
  it('hidden 999999999 fails the train job with a user error saying how much memory it needs', async () => {
    const end = await run({ kind: 'train', params: { project, corpus: 'tiny', id: 'huge', config: { ...tinyTrain, hiddenSize: 999_999_999 }, backend: 'wasm' } });
    expect(end).toMatchObject({
      status: 'failed',
      errorKind: 'user',
      error: expect.stringMatching(/^a model of embedding 4, hidden 1 × 999999999, vocabulary \d+ \(batch 1, BPTT 3\) needs about .+ to train; the wasm backend has 4 GiB per worker and this machine .+ GiB: choose smaller sizes$/),
    });
    await expectNothingAdded('models', 'huge');
  });

  it('embedding 999999999 the same', async () => {
    const end = await run({ kind: 'train', params: { project, corpus: 'tiny', id: 'wide', config: { ...tinyTrain, embeddingDim: 999_999_999 }, backend: 'wasm' } });
    expect(end).toMatchObject({ status: 'failed', errorKind: 'user', error: expect.stringMatching(/^a model of embedding 999999999, .* needs about .* to train; the wasm backend has 4 GiB per worker/) });
    await expectNothingAdded('models', 'wide');
  });
});
