// sweepTask end to end on real code (corpus import, saved model, accumulation, analysis,
// project store), checked against independent references: Ḡ and a class Ḡ against central
// finite differences of a float64 LSTM, the tokens against the split read back as text,
// the pair counts against B·(T − τ), and an independent accumulateStateGradients call.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSplitSentences } from '../../../main/engine/corpus';
import { accumulateStateGradients, meanGradients } from '../../../main/engine/gradients';
import { JobCancelledError } from '../../../main/engine/errors';
import { inProcessContext } from '../../../main/engine/jobs/task-context';
import { extractWeights, loadLanguageModel, selectBackend, type RnnLmWeights } from '../../../main/engine/model';
import { openProject } from '../../../main/engine/project';
import { sweepTask, readRun, type SweepResult, parseAnalyzeParams } from '../../../main/engine/runs';
import { RunRecordSchema, type AnalyzeParams, type AnalyzeProgress } from '../../../shared/schemas/run';
import { fdGradientSums, relError } from '../gradients/reference-lstm';
import { makeRunProject, type RunProject } from './helpers';
import { CancelToken } from '../../../main/engine/cancel-token';

let p: RunProject;
let run: SweepResult;
let weights: RnnLmWeights;
const B = 3;
const T = 20;
const D = 5;

const base = (over: Partial<AnalyzeParams> = {}): AnalyzeParams => ({
  project: p.dir,
  model: 'm',
  corpus: 'c',
  id: 'r',
  streams: B,
  maxTokens: B * T + 2,
  maxDelay: D,
  groups: 2,
  workers: 0,
  ...over,
});

beforeAll(async () => {
  p = await makeRunProject();
  const phases: AnalyzeProgress['phase'][] = [];
  run = await sweepTask(
    parseAnalyzeParams(base({ words: ['dog', 'cats', 'dog'] })),
    inProcessContext((x) => phases.push(x.phase)),
  );
  expect([...new Set(phases)]).toEqual(['prepare', 'accumulate', 'summarise', 'write']);
  await selectBackend('cpu');
  const loaded = await loadLanguageModel((await openProject(p.dir)).itemDir('model', 'm'));
  weights = extractWeights(loaded.model);
  loaded.model.dispose();
});
afterAll(async () => {
  await p.cleanup();
});

describe('sweepTask', () => {
  it('writes a run folder whose run.json validates and lists every array', async () => {
    const store = await openProject(p.dir);
    expect((await store.list('run')).map((e) => e.id)).toEqual(['r']);
    expect(run.dir).toBe(store.itemDir('run', 'r'));
    const data = await readRun(run.dir);
    const r = data.record;
    expect(RunRecordSchema.parse(JSON.parse(await fs.readFile(path.join(run.dir, 'run.json'), 'utf8')))).toEqual(r);
    expect(r).toMatchObject({ schemaVersion: 1, id: 'r', model: 'm', corpus: 'c', split: 'test' });
    expect(r.config).toMatchObject({ state: 'c', layer: 2, layers: 2, maxDelay: D, streams: B, maxTokens: B * T + 2, groups: 2, workers: 0 });
    expect(r.config.classSets).toEqual(['frequency', 'paper', 'upos']);
    expect(r.config.classes.map((c) => c.name)).toContain('noun-sg');
    // The frequency bands are accumulated by default; the corpus has fewer than 101 types, and <unk> is freq-unk.
    expect(r.config.classes.filter((c) => c.set === 'frequency').map((c) => [c.name, c.types])).toEqual([
      ['freq-1-100', p.vocab.length - 2],
      ['freq-unk', 1],
    ]);
    expect(r.config.words).toEqual([
      { word: 'dog', id: p.vocab.indexOf('dog') },
      { word: 'cats', id: p.vocab.indexOf('cats') },
    ]);
    expect(r.config.properties.map((x) => x.name)).toEqual(['sg-pl', 'common-proper']);
    expect(r.summary.delays).toHaveLength(D + 1);
    expect(r.summary.groups).toBe(2);
    expect(r.flops.nominal).toBeGreaterThan(0);
    expect((await fs.readdir(run.dir)).sort()).toEqual(
      ['G.npy', 'G_class.npy', 'G_word.npy', 'U.npy', 'V.npy', 'counts.npy', 'run.json', 'spectrum.npy', 'tokens.npy'],
    );
    for (const name of ['G', 'classG', 'wordG', 'spectrum', 'V', 'U', 'counts', 'tokens'] as const) {
      expect(data.hasArray(name)).toBe(true);
      await data.readArray(name); // checks dtype and shape against run.json
    }
  });

  it('tokens.npy holds exactly the first B·T tokens of the split in B streams, and counts.npy = B·(T − τ)', async () => {
    const data = await readRun(run.dir);
    const tokens = await data.readArray('tokens');
    expect(tokens.dtype).toBe('<i4');
    expect(tokens.shape).toEqual([B, T]);
    const sentences = await readSplitSentences((await openProject(p.dir)).itemDir('corpus', 'c'), 'test');
    const id = (w: string) => (p.vocab.includes(w) ? p.vocab.indexOf(w) : p.vocab.indexOf('<unk>'));
    const ids = sentences.flatMap((s) => [...s, '<eos>']).map(id);
    expect(Array.from(tokens.data)).toEqual(ids.slice(0, B * T));
    const counts = await data.readArray('counts');
    expect(Array.from(counts.data)).toEqual(Array.from({ length: D + 1 }, (_, t) => B * (T - t)));
    expect(data.record.counts).toMatchObject({ streams: B, length: T, positions: B * T, sources: B * T });
  });

  it('G.npy equals finite differences of an independent float64 LSTM, and an independent accumulation', async () => {
    const data = await readRun(run.dir);
    const G = await data.readArray('G');
    expect(G.shape).toEqual([D + 1, 4, 6]);
    const tokens = (await data.readArray('tokens')).data as Int32Array;
    const fd = fdGradientSums(weights, tokens, B, T, 'c', 2, D);
    const ref = new Float64Array((D + 1) * 24);
    fd.sum.forEach((s, t) => s.forEach((v, i) => (ref[t * 24 + i] = v / fd.count[t])));
    expect(relError(G.data, ref)).toBeLessThan(1e-4);

    const acc = await accumulateStateGradients(weights, tokens, { maxDelay: D, streams: B, backend: 'cpu', engine: 'js' }, { workers: 0 });
    expect(relError(G.data, meanGradients(acc, 4, 6))).toBeLessThan(1e-6);
  });

  it('G_class.npy of noun-sg equals finite differences over sources of that class', async () => {
    const data = await readRun(run.dir);
    const classes = data.record.config.classes;
    const k = classes.findIndex((c) => c.name === 'noun-sg');
    const Gc = await data.readArray('classG');
    expect(Gc.shape).toEqual([classes.length, D + 1, 4, 6]);
    const tokens = (await data.readArray('tokens')).data as Int32Array;
    const members = new Set(['dog', 'cat', 'bird', 'house', 'car'].map((w) => p.vocab.indexOf(w)));
    expect(classes[k].types).toBe(5);
    const fd = fdGradientSums(weights, tokens, B, T, 'c', 2, D, (b, s) => members.has(tokens[b * T + s]));
    const block = (D + 1) * 24;
    const mine = Gc.data.subarray(k * block, (k + 1) * block);
    const ref = new Float64Array(block);
    fd.sum.forEach((s, t) => s.forEach((v, i) => (ref[t * 24 + i] = fd.count[t] ? v / fd.count[t] : 0)));
    expect(fd.count[0]).toBeGreaterThan(0);
    expect(relError(mine, ref)).toBeLessThan(1e-4);
    expect(data.record.counts.classPairs['noun-sg']).toEqual(fd.count);
  });

  it('spectrum.npy and the summary agree', async () => {
    const data = await readRun(run.dir);
    const S = await data.readArray('spectrum');
    expect(S.shape).toEqual([D + 1, 4]);
    data.record.summary.delays.forEach((d, t) => {
      expect(S.data[t * 4]).toBeCloseTo(d.sigma1, 6);
      expect(Array.from(S.data.subarray(t * 4, t * 4 + 4)).reduce((a, b) => a + b, 0)).toBeCloseTo(d.sum, 5);
    });
  });

  it('run.json carries class SEs for every accumulated class, ratio SEs and the noise floor', async () => {
    const r = (await readRun(run.dir)).record;
    const names = r.config.classes.map((c) => c.name).sort();
    expect(r.warnings.some((x) => x.startsWith('class standard errors not computed'))).toBe(false);
    for (const d of r.summary.delays) {
      expect(Object.keys(d.classSe).sort()).toEqual(names);
      expect(d.se!.ratio1!.groups).toBe(2);
      expect(d.se!.ratio5!.se).toBeGreaterThanOrEqual(0);
      expect(d.noiseFloor).toBeGreaterThan(0);
    }
    // noun-sg has sources in both time windows at τ = 0 (2 groups: an SE)
    const nounSg = r.summary.delays[0].classSe['noun-sg'];
    expect(nounSg.sigma1!.groups).toBe(2);
    expect(nounSg.sigma1!.se).toBeGreaterThan(0);
  });
});

describe('sweepTask refusals and cancel leave no run behind', () => {
  const refused = async (over: Partial<AnalyzeParams>, message: RegExp) => {
    // the params are parsed where the request enters (here), then the sweep refuses what it finds on disk
    const err = await (async () => sweepTask(parseAnalyzeParams(base({ id: 'bad', ...over })), inProcessContext()))().catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('UserError');
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('\n');
    const store = await openProject(p.dir);
    expect((await store.list('run')).map((e) => e.id)).toEqual(['r']);
    expect(await fs.readdir(path.join(p.dir, 'runs'))).toEqual(['r']);
    expect(await fs.readdir(path.join(p.dir, '.staging'))).toEqual([]);
  };

  it('an unknown class in a property', () => refused({ properties: ['x=noun-sg:nope'] }, /property 'x': unknown class 'nope'; the corpus's classes are: .*noun-sg/));
  it('a malformed property', () => refused({ properties: ['sg-pl=noun-sg'] }, /exactly one ':'/));
  it('an unknown word', () => refused({ words: ['dog', 'Zebra', 'John'] }, /not in the vocabulary of model 'm': 'Zebra', 'John' \(did you mean 'john'\?\)/));
  it('a layer out of range', () => refused({ layer: 3 }, /layer 3 does not exist: model 'm' has 2 LSTM layers/));
  it('an unknown class set', () => refused({ classSets: ['upos', 'nope'] }, /no class set 'nope'; it has: frequency, paper, upos/));
  it('an existing run id', () => refused({ id: 'r' }, /already exists/));
  it('more streams than tokens', () => refused({ streams: 500, maxTokens: 100 }, /cannot fill 500 streams/));
  it('bad parameters', () => refused({ maxDelay: -1 }, /maxDelay/));

  it('a cancel while summarising removes the staged folder', async () => {
    const cancel = CancelToken.create();
    const ctx = inProcessContext<AnalyzeProgress>((x) => {
      if (x.phase === 'summarise') cancel.cancel();
    }, cancel);
    await expect(sweepTask(parseAnalyzeParams(base({ id: 'cancelled' })), ctx)).rejects.toBeInstanceOf(JobCancelledError);
    expect(await fs.readdir(path.join(p.dir, 'runs'))).toEqual(['r']);
    expect(await fs.readdir(path.join(p.dir, '.staging'))).toEqual([]);
  });
});

describe('sweepTask options', () => {
  it('state h of layer 1, a sample, equal-variance normalisation, explicit properties and class sets', async () => {
    const r = await sweepTask(
      parseAnalyzeParams(base({
        id: 'h1',
        state: 'h',
        layer: 1,
        sample: 25,
        seed: 3,
        normalize: 'equal-variance',
        classSets: ['paper'],
        properties: ['num=noun-sg:noun-pl', 'nv=upos/NOUN:upos/VERB'],
      })),
      inProcessContext(),
    );
    const c = r.record.config;
    expect(c).toMatchObject({ state: 'h', layer: 1, sample: 25, seed: 3, normalize: 'equal-variance', classSets: ['paper'] });
    expect(c.properties).toEqual([
      { name: 'num', classA: 'noun-sg', classB: 'noun-pl' },
      { name: 'nv', classA: 'upos/NOUN', classB: 'upos/VERB' },
    ]);
    expect(c.classes.every((x) => x.set === 'paper')).toBe(true);
    expect(r.record.counts.sources).toBe(25);
    expect(r.record.summary.normalisation.kind).toBe('equal-variance');
    expect(Object.keys(r.record.summary.delays[0].properties)).toEqual(['num', 'nv']);
    const G = await (await readRun(r.dir)).readArray('G');
    expect(G.shape).toEqual([D + 1, 5, 6]);
  });
});
