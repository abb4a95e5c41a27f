// The shipped demo project (issue 4 §3, issue 8 §2): installed from build/demo into a
// temporary folder, it opens with the Brown corpus, both shipped models and a sweep of each;
// the shipped weights, vocabulary and the regenerated corpus agree (the test perplexities
// recorded by train:demo come out again); the recipe model shows the paper's picture and the
// Adam model does not, as the READMEs say; a second install changes nothing; a damaged item
// is repaired while the user's own runs stay; a new sweep runs on it at once; and a first
// start of the engine installs it, puts it first in the recent list and opens on Compare.
// The demo is whatever train:demo last wrote to build/demo (MNEMOSCOPE_DEMO_SOURCE may point
// at another build, e.g. a --smoke one; the checks of measured memory are then skipped).
import { execFile } from 'node:child_process';
import { readFileSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_COMPARE,
  DEMO_CORPUS,
  DEMO_MODELS,
  DEMO_RUNS,
  defaultDemoProjectDir,
  userDataDir,
  findDemoSource,
  firstStart,
  installDemoProject,
  readDemoManifest,
  type DemoInstallResult,
  type DemoManifest,
} from '../../main/engine/demo';
import { runInWorker } from '../../main/engine/jobs/run-in-worker';
import { openProject } from '../../main/engine/project';
import { readRun, runTasks, parseAnalyzeParams } from '../../main/engine/runs';
import { modelTasks } from '../../main/engine/model/tasks';
import { createEngine } from '../../main/engine/handlers/create-engine';
import { encodeSplit } from '../../main/engine/corpus';
import { indexVocabulary } from '../../main/engine/corpus/vocabulary';
import { readVocabularyJson } from '../../main/engine/model/model-files';
import type { EvaluateTaskParams } from '../../shared/schemas/model';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let tmp: string;
let dir: string;
let manifest: DemoManifest;
let first: DemoInstallResult;
/** τ = 0..D of a shipped sweep */
const delays = (run: string) => (manifest.runs.find((r) => r.id === run)!.params as { maxDelay: number }).maxDelay + 1;
const [MAIN_RUN] = DEMO_RUNS;
const itemIds = () => [`corpus ${DEMO_CORPUS.id}`, ...DEMO_MODELS.map((m) => `model ${m.id}`), ...DEMO_RUNS.map((r) => `run ${r.id}`)];
/** A --smoke build (a few seconds of training): nothing it measures means anything. */
const smokeSource = (() => {
  const source = findDemoSource();
  if (source === null) return false;
  try {
    return (JSON.parse(readFileSync(path.join(source, 'demo.json'), 'utf8')) as { smoke?: unknown }).smoke === true;
  } catch {
    return false;
  }
})();
const savedEnv = { data: process.env.MNEMOSCOPE_DATA_DIR, config: process.env.MNEMOSCOPE_CONFIG_DIR };

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'mnemoscope-demo-'));
  // The default location, in the temporary folder: the engine's first start below finds it there.
  process.env.MNEMOSCOPE_DATA_DIR = path.join(tmp, 'data');
  delete process.env.MNEMOSCOPE_CONFIG_DIR;
  dir = defaultDemoProjectDir();
  const source = findDemoSource();
  if (source === null) throw new Error('build/demo is missing: run npm run train:demo');
  manifest = await readDemoManifest(source);
  first = await installDemoProject();
});

afterAll(async () => {
  for (const [key, value] of [
    ['MNEMOSCOPE_DATA_DIR', savedEnv.data],
    ['MNEMOSCOPE_CONFIG_DIR', savedEnv.config],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('the demo project', () => {
  it('is installed in <data dir>/Demo project with the corpus, both models and a sweep of each', async () => {
    expect(dir).toBe(path.join(tmp, 'data', 'Demo project'));
    expect(first.dir).toBe(dir);
    expect(first.created).toBe(true);
    expect(first.added).toEqual(itemIds());
    expect(first).toMatchObject({ models: DEMO_MODELS.map((m) => m.id), runs: DEMO_RUNS.map((r) => r.id), opens: DEMO_COMPARE });
    expect(first.warnings).toEqual([]);
    // A smoke build is never what build/demo ships.
    if (!process.env.MNEMOSCOPE_DEMO_SOURCE) expect(manifest.smoke).toBe(false);
    const store = await openProject(dir);
    expect(store.name).toBe('Demo');
    expect((await store.list('corpus')).map((e) => e.id)).toEqual(['brown']);
    // The regenerated corpus has every built-in class set, the frequency bands included.
    expect((await fs.readdir(path.join(store.itemDir('corpus', 'brown'), 'classes'))).sort()).toEqual(['frequency.json', 'paper.json', 'upos.json']);
    expect((await store.list('model')).map((e) => e.id)).toEqual(DEMO_MODELS.map((m) => m.id));
    const runs = await store.listRuns();
    expect(runs.map((r) => [r.id, r.model, r.corpus, r.missing])).toEqual(DEMO_RUNS.map((r) => [r.id, r.model, 'brown', {}]));
  });

  it('ships sweeps that read back, with G and the tokens of the recorded shapes, every class set the findings need and the paper properties', async () => {
    const store = await openProject(dir);
    for (const spec of DEMO_RUNS) {
      const run = await readRun(store.itemDir('run', spec.id));
      const { record } = run;
      const a = manifest.models.find((m) => m.id === spec.model)!.config as { embeddingDim: number; hiddenSize: number };
      const G = await run.readArray('G');
      expect(G.shape).toEqual([record.config.maxDelay + 1, a.hiddenSize, a.embeddingDim]);
      expect(G.shape).toEqual(record.arrays.find((x) => x.file === 'G.npy')?.shape);
      const tokens = await run.readArray('tokens');
      expect(tokens.dtype).toBe('<i4');
      expect(tokens.shape).toEqual([record.counts.streams, record.counts.length]);
      expect(run.hasArray('classG')).toBe(false); // left out of the shipped demo, and said so
      expect(record.warnings.some((w) => w.includes('G_class.npy'))).toBe(true);
      expect(record.config.classSets).toEqual(['paper', 'upos', 'frequency']);
      const classes = (set: string) => record.config.classes.filter((c) => c.set === set).map((c) => c.class);
      expect(classes('paper').sort()).toEqual(['noun-common', 'noun-pl', 'noun-proper', 'noun-sg', 'pronoun']);
      expect(classes('upos')).toEqual(expect.arrayContaining(['NOUN', 'VERB', 'PRON', 'ADJ']));
      expect(classes('frequency')).toEqual(expect.arrayContaining(['freq-1-100', 'freq-101-1000', 'freq-unk']));
      expect(record.config.properties.map((p) => p.name)).toEqual(['sg-pl', 'common-proper']);
      const d0 = record.summary.delays[0];
      expect(Object.keys(d0.properties).sort()).toEqual(['common-proper', 'sg-pl']);
      expect(d0.sigma1).toBeGreaterThan(0);
      expect(manifest.runs.find((r) => r.id === spec.id)!.curves.sigma1).toEqual(record.summary.delays.map((d) => d.sigma1));
    }
  });

  it('has the test perplexities train:demo recorded: shipped weights, vocabularies and regenerated corpus agree', async () => {
    const store = await openProject(dir);
    for (const spec of DEMO_MODELS) {
      const recorded = manifest.models.find((m) => m.id === spec.id)!.test;
      const modelDir = store.itemDir('model', spec.id);
      const corpusDir = store.itemDir('corpus', DEMO_CORPUS.id);
      // As train:demo measured it: the whole split, or (a --smoke build) its first tokens.
      const source: EvaluateTaskParams['source'] =
        recorded.maxTokens === null
          ? { kind: 'corpus', dir: corpusDir, split: 'test' }
          : {
              kind: 'tokens',
              tokens: (await encodeSplit(corpusDir, 'test', indexVocabulary(await readVocabularyJson(path.join(modelDir, 'vocab.json'))))).slice(0, recorded.maxTokens),
            };
      const r = await runInWorker(modelTasks.evaluate, { modelDir, source, backend: spec.backend });
      expect(r.predicted).toBe(recorded.predicted);
      expect(Math.abs(r.perplexity - recorded.perplexity) / recorded.perplexity).toBeLessThan(1e-4);
    }
  }, 600_000);

  // What both READMEs say the Compare view shows (DESIGN §6): measured, so it could come out otherwise.
  it.skipIf(smokeSource)('shows the paper’s picture for the recipe model and not for the Adam model, at about the same perplexity', () => {
    const curves = (model: string) => manifest.runs.find((r) => r.model === model)!.curves;
    const v = curves('verwimp2018');
    const a = curves('adam-small');
    // The recipe model's memory fades fast; the Adam model's barely does.
    expect(v.sigma1[20] / v.sigma1[0]).toBeLessThan(0.1);
    expect(a.sigma1[20] / a.sigma1[0]).toBeGreaterThan(0.3);
    // What is left becomes more selective.
    expect(v.ratio1[20]!).toBeGreaterThan(v.ratio1[0]! * 2);
    expect(v.ratio5[20]!).toBeGreaterThan(v.ratio5[0]!);
    // The properties are remembered less after a few words.
    for (const p of ['sg-pl', 'common-proper']) expect(v.properties[p].m[3]!).toBeLessThan(v.properties[p].m[0]! * 0.9);
    const ppl = (id: string) => manifest.models.find((m) => m.id === id)!.test.perplexity;
    expect(Math.abs(ppl('verwimp2018') - ppl('adam-small')) / ppl('adam-small')).toBeLessThan(0.25);
  });

  it('does nothing when installed again', async () => {
    const before = await fs.readFile(path.join(dir, 'project.json'), 'utf8');
    const again = await installDemoProject(dir);
    expect(again).toMatchObject({ dir, created: false, added: [], repaired: [], warnings: [] });
    expect(await fs.readFile(path.join(dir, 'project.json'), 'utf8')).toBe(before);
  });

  it('is installed by `mnemoscope demo` (the bundled CLI finds build/demo too)', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(root, 'main/cli/mnemoscope.mjs'), 'demo', '--project', dir, '--json'], {
      cwd: root,
    });
    const out = JSON.parse(stdout) as { ok: boolean; demo: DemoInstallResult };
    expect(out.ok).toBe(true);
    expect(out.demo).toMatchObject({ dir, created: false, added: [], repaired: [] });
  });

  it('runs a new sweep right away, keeps it, and repairs a damaged shipped item', async () => {
    const { record } = await runInWorker(runTasks.sweep, parseAnalyzeParams({
      project: dir,
      model: MAIN_RUN.model,
      corpus: DEMO_CORPUS.id,
      id: 'mine',
      maxTokens: 400,
      maxDelay: 5,
      workers: 1,
    }));
    expect(record.summary.delays).toHaveLength(6);
    expect(record.config.properties.map((p) => p.name)).toEqual(['sg-pl', 'common-proper']);

    const store = await openProject(dir);
    await store.rename('My demo');
    await fs.rm(path.join(store.itemDir('run', MAIN_RUN.id), 'G.npy'));
    const repaired = await installDemoProject(dir);
    expect(repaired.added).toEqual([]);
    expect(repaired.repaired).toEqual([`run ${MAIN_RUN.id} (G.npy is missing)`]);
    const after = await store.readManifest();
    expect(after.name).toBe('My demo');
    expect(after.runs.map((r) => r.id).sort()).toEqual([...DEMO_RUNS.map((r) => r.id), 'mine'].sort());
    expect((await readRun(store.itemDir('run', MAIN_RUN.id)).then((r) => r.readArray('G'))).shape[0]).toBe(delays(MAIN_RUN.id));

    // A run of the user's own under the demo's id is theirs: kept, with a warning.
    await store.deleteItem('run', MAIN_RUN.id);
    const mine = store.itemDir('run', 'mine');
    await store.stageItem('run', MAIN_RUN.id, async (out) => {
      for (const f of await fs.readdir(mine)) await fs.copyFile(path.join(mine, f), path.join(out, f));
    });
    const kept = await installDemoProject(dir);
    expect(kept).toMatchObject({ added: [], repaired: [] });
    expect(kept.warnings).toEqual([expect.stringContaining(`run '${MAIN_RUN.id}' is not the demo's`)]);
    expect((await readRun(store.itemDir('run', MAIN_RUN.id))).record.config.maxDelay).toBe(5);
    // Deleted, it comes back.
    await store.deleteItem('run', MAIN_RUN.id);
    expect((await installDemoProject(dir)).added).toEqual([`run ${MAIN_RUN.id}`]);
  });

  it('is what the engine opens on a first start, through the projectDemo procedure', async () => {
    const engine = createEngine({ settingsFile: path.join(tmp, 'settings.json') });
    try {
      const start = firstStart(engine, (err) => {
        throw err;
      });
      expect(await start.isFirst).toBe(true);
      await start.before('projectRecent'); // the renderer's first call waits for the install
      expect(await start.done).toBe(dir);
      const recent = await engine.api.projectRecent({});
      expect(recent.map((r) => [r.dir, r.available])).toEqual([[dir, true]]);
      const info = await engine.api.projectDemo({ dir });
      expect(info.dir).toBe(dir);
      expect(info.demo).toMatchObject({ added: [], repaired: [], opens: DEMO_COMPARE });
      for (const run of info.demo.opens) {
        const shown = await engine.api.runShow({ project: dir, run });
        expect(shown.spectrum).toHaveLength(delays(run));
      }
      // The Paper check of the shipped sweeps, as the README describes it: the recipe model
      // agrees with the 2018 paper on the decay, what is left after 20 words, selectivity and
      // the properties, the Adam model does not decay at all.
      if (!smokeSource) {
        const holds = async (run: string) =>
          Object.fromEntries((await engine.api.runFindings({ project: dir, run })).findings.map((f) => [f.id, f.holds]));
        expect(await holds('verwimp2018-sweep')).toMatchObject({
          'sv-decay-fast': true,
          'memory-after-20': true,
          'selectivity-increases': true,
          'properties-drop-early': true,
          'decay-not-exponential': true,
          'nouns-remembered-best': true,
          'pronoun-largest-at-0': false,
          'sgpl-then-cmpr': false,
          'rare-remembered-longer': false,
        });
        const adam = await holds('adam-small-sweep');
        expect(adam).toMatchObject({ 'sv-decay-fast': false, 'properties-drop-early': false, 'selectivity-increases': false, 'memory-after-20': true });
        // Its σ₁ rises from τ = 0 to 1, then decays like one slow exponential: the better fit of two
        // exponentials spends a component at the rate cap on τ = 1 alone and is not chosen.
        expect(adam['decay-not-exponential']).toBe(false);
        expect(Object.values(adam).filter((h) => h === true)).toHaveLength(1);
      }
      // Not a first start any more.
      expect(await firstStart(engine, () => {}).isFirst).toBe(false);
    } finally {
      await engine.close();
    }
  });
});

describe('where the demo project goes', () => {
  const home = '/home/ada';
  it('follows each platform’s data folder, with overrides for portable installs and tests', () => {
    expect(userDataDir({ env: {}, platform: 'linux', home })).toBe('/home/ada/.local/share/mnemoscope');
    expect(userDataDir({ env: { XDG_DATA_HOME: '/data' }, platform: 'linux', home })).toBe('/data/mnemoscope');
    expect(userDataDir({ env: {}, platform: 'darwin', home })).toBe('/home/ada/Library/Application Support/Mnemoscope');
    expect(userDataDir({ env: { APPDATA: '/appdata' }, platform: 'win32', home })).toBe(path.join('/appdata', 'Mnemoscope'));
    expect(userDataDir({ env: { MNEMOSCOPE_CONFIG_DIR: '/portable' }, platform: 'linux', home })).toBe(path.resolve('/portable'));
    expect(userDataDir({ env: { MNEMOSCOPE_DATA_DIR: '/d', MNEMOSCOPE_CONFIG_DIR: '/portable' }, platform: 'linux', home })).toBe(path.resolve('/d'));
  });
});
