// The procedures on a real project folder, called in process through the typed API
// (the third transport): projects and the recent list, corpora, models, runs.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importCorpus } from '../../../main/engine/corpus/import-corpus';
import type { Engine } from '../../../main/engine/handlers/create-engine';
import { writeJsonAtomic } from '../../../main/engine/project';
import { CallFailedError } from '../../../shared/call-error';
import { CORPUS_FIXTURES, testEngine } from './helpers';

const engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

async function withProject() {
  const { engine, dir } = await testEngine();
  engines.push(engine);
  const info = await engine.api.projectCreate({ dir: path.join(dir, 'study'), name: 'Memory study' });
  return { engine, api: engine.api, project: info.dir, dir };
}

const architecture = { vocabSize: 12, embeddingDim: 4, layers: [{ units: 8, recurrentActivation: 'sigmoid' }], outputActivation: 'softmax' };
const trainedMeta = {
  schemaVersion: 1,
  created: '2025-03-01T10:00:00.000Z',
  architecture,
  origin: {
    kind: 'trained',
    corpus: { id: 'tiny', dir: '/somewhere/corpora/tiny' },
    config: { epochs: 2 },
    trainTokens: 1000,
    validTokens: 100,
    validBatchSize: 20,
    history: [1, 2].map((epoch) => ({
      epoch,
      learningRate: 1,
      trainLoss: 4 - epoch,
      trainPerplexity: Math.exp(4 - epoch),
      validLoss: 4.5 - epoch,
      validPerplexity: Math.exp(4.5 - epoch),
      seconds: 1,
      tokensPerSecond: 1000,
    })),
    bestEpoch: 2,
    bestValidPerplexity: Math.exp(2.5),
    stoppedEarly: false,
    cancelled: false,
    complete: true,
    wallSeconds: 2,
    tokensPerSecond: 1000,
    backend: { name: 'wasm', description: 'WebAssembly (SIMD)', versions: {} },
  },
};

describe('project procedures', () => {
  it('create, open and info return the manifest; open and create fill the recent list', async () => {
    const { api, project, dir } = await withProject();
    expect(await api.projectInfo({ project })).toMatchObject({ dir: project, manifest: { name: 'Memory study', corpora: [], models: [], runs: [] } });
    const other = await api.projectCreate({ dir: path.join(dir, 'other'), name: 'Other' });
    await api.projectOpen({ dir: project });
    await fs.rm(other.dir, { recursive: true });
    expect((await api.projectRecent({})).map((r) => [r.name, r.available])).toEqual([
      ['Memory study', true],
      ['Other', false],
    ]);
    expect((await api.settingsGet({})).settings.recentProjects.map((r) => r.dir)).toEqual([project, other.dir]);
  });

  it('refuses to create a project in a folder that holds one, as a user error', async () => {
    const { api, project } = await withProject();
    const err = await api.projectCreate({ dir: project, name: 'Again' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CallFailedError);
    expect(err).toMatchObject({ kind: 'user', message: expect.stringMatching(/already contains a Mnemoscope project/) });
    await expect(api.projectOpen({ dir: path.join(project, 'missing') })).rejects.toMatchObject({ kind: 'user', message: expect.stringMatching(/does not exist/) });
  });

  it('lists, shows and deletes corpora with their class sets', async () => {
    const { engine, api, project } = await withProject();
    const store = await engine.projects.get(project);
    const split = (s: string) => path.join(CORPUS_FIXTURES, 'stats', `${s}.txt`);
    await store.stageItem('corpus', 'tiny', (out) =>
      importCorpus({ kind: 'files', train: split('train'), valid: split('valid'), test: split('test') }, { id: 'tiny' }, out),
    );
    await store.stageItem('corpus', 'broken', async (out) => fs.writeFile(path.join(out, 'corpus.json'), '{'));

    const list = await api.corpusList({ project });
    expect(list.map((c) => [c.id, c.corpus?.id ?? null, c.problem === null])).toEqual([
      ['tiny', 'tiny', true],
      ['broken', null, false],
    ]);
    expect(list[1].problem).toMatch(/corpus\.json/);
    const shown = await api.corpusShow({ project, id: 'tiny' });
    expect(shown.corpus.stats.splits.train.tokens).toBe(list[0].corpus?.stats.splits.train.tokens);
    expect(await api.classSetList({ project, corpus: 'tiny' })).toEqual(shown.classSets);
    await expect(api.corpusShow({ project, id: 'nope' })).rejects.toMatchObject({ kind: 'user', message: expect.stringMatching(/No corpus 'nope'.*it has: tiny, broken/) });

    expect(await api.corpusDelete({ project, id: 'broken' })).toEqual({ deleted: 'broken' });
    expect((await api.corpusList({ project })).map((c) => c.id)).toEqual(['tiny']);
  });

  it('lists models with a summary of training.json, shows one in full, reports a broken one', async () => {
    const { engine, api, project } = await withProject();
    const store = await engine.projects.get(project);
    await store.stageItem('model', 'lstm-small', async (out) => {
      await writeJsonAtomic(path.join(out, 'training.json'), trainedMeta);
      await fs.writeFile(path.join(out, 'weights.bin'), new Uint8Array(1234));
    });
    await store.stageItem('model', 'future', async (out) => writeJsonAtomic(path.join(out, 'training.json'), { ...trainedMeta, schemaVersion: 9 }));

    const [small, future] = await api.modelList({ project });
    expect(small).toMatchObject({
      id: 'lstm-small',
      problem: null,
      summary: { origin: 'trained', corpus: 'tiny', epochsRun: 2, bestEpoch: 2, complete: true, backend: 'wasm', weightsBytes: 1234 },
    });
    expect(small.summary?.bestValidPerplexity).toBeCloseTo(Math.exp(2.5));
    expect(future).toMatchObject({ id: 'future', summary: null, problem: expect.stringMatching(/newer Mnemoscope \(schema version 9/) });
    const shown = await api.modelShow({ project, id: 'lstm-small' });
    expect(shown.meta.origin.kind === 'trained' && shown.meta.origin.config.hiddenSize).toBe(256); // defaults filled in
    expect(await api.modelDelete({ project, id: 'future' })).toEqual({ deleted: 'future' });
    expect((await api.modelList({ project })).map((m) => m.id)).toEqual(['lstm-small']);
  });

  it('lists runs with the inputs that are gone, and deletes them', async () => {
    const { engine, api, project } = await withProject();
    const store = await engine.projects.get(project);
    await store.stageItem('run', 'sweep-1', async (out) => writeJsonAtomic(path.join(out, 'run.json'), { model: 'gone', corpus: 'gone-too' }));
    expect(await api.runList({ project })).toMatchObject([{ id: 'sweep-1', model: 'gone', missing: { model: true, corpus: true } }]);
    expect(await api.runDelete({ project, id: 'sweep-1' })).toEqual({ deleted: 'sweep-1' });
    expect(await api.runList({ project })).toEqual([]);
    await expect(api.runDelete({ project, id: 'sweep-1' })).rejects.toMatchObject({ kind: 'user' });
  });
});
