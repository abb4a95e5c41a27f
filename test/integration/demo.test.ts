// The demo project (issue 4 §3): installed from build/demo into a temporary folder, it
// opens with the Brown corpus, the shipped model and the shipped sweep; the shipped weights,
// vocabulary and the regenerated corpus agree (the test perplexity recorded by train:demo
// comes out again); a second install changes nothing; a damaged item is repaired while
// the user's own runs stay; a new sweep runs on it at once; and a first start of the
// engine installs it and puts it first in the recent list.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_CORPUS,
  DEMO_MODEL,
  DEMO_RUN,
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
import { readRun, runAnalysis } from '../../main/engine/runs';
import { createEngine } from '../../main/engine/handlers/create-engine';
import type { EvaluateResult } from '../../shared/schemas/model';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let tmp: string;
let dir: string;
let manifest: DemoManifest;
let first: DemoInstallResult;
/** τ = 0..D of the shipped sweep */
const delays = () => (manifest.run.params as { maxDelay: number }).maxDelay + 1;
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
  it('is installed in <data dir>/Demo project with the corpus, the model and the run', async () => {
    expect(dir).toBe(path.join(tmp, 'data', 'Demo project'));
    expect(first.dir).toBe(dir);
    expect(first.created).toBe(true);
    expect(first.added).toEqual([`corpus ${DEMO_CORPUS.id}`, `model ${DEMO_MODEL.id}`, `run ${DEMO_RUN.id}`]);
    expect(first.warnings).toEqual([]);
    const store = await openProject(dir);
    expect(store.name).toBe('Demo');
    expect((await store.list('corpus')).map((e) => e.id)).toEqual(['brown']);
    expect((await store.list('model')).map((e) => e.id)).toEqual([DEMO_MODEL.id]);
    const runs = await store.listRuns();
    expect(runs.map((r) => [r.id, r.model, r.corpus, r.missing])).toEqual([[DEMO_RUN.id, DEMO_MODEL.id, 'brown', {}]]);
  });

  it('ships a sweep that reads back, with G and the tokens of the recorded shapes and the paper classes and properties', async () => {
    const store = await openProject(dir);
    const run = await readRun(store.itemDir('run', DEMO_RUN.id));
    const { record } = run;
    const a = manifest.model.config as { embeddingDim: number; hiddenSize: number };
    const G = await run.readArray('G');
    expect(G.shape).toEqual([record.config.maxDelay + 1, a.hiddenSize, a.embeddingDim]);
    expect(G.shape).toEqual(record.arrays.find((x) => x.file === 'G.npy')?.shape);
    const tokens = await run.readArray('tokens');
    expect(tokens.dtype).toBe('<i4');
    expect(tokens.shape).toEqual([record.counts.streams, record.counts.length]);
    expect(run.hasArray('classG')).toBe(false); // left out of the shipped demo, and said so
    expect(record.warnings.some((w) => w.includes('G_class.npy'))).toBe(true);
    expect(record.config.classes.map((c) => c.class).sort()).toEqual(['noun-common', 'noun-pl', 'noun-proper', 'noun-sg', 'pronoun']);
    expect(record.config.properties.map((p) => p.name)).toEqual(['sg-pl', 'common-proper']);
    const d0 = record.summary.delays[0];
    expect(Object.keys(d0.properties).sort()).toEqual(['common-proper', 'sg-pl']);
    expect(d0.sigma1).toBeGreaterThan(0);
  });

  it('has the test perplexity train:demo recorded: shipped weights, vocabulary and regenerated corpus agree', async () => {
    const store = await openProject(dir);
    const r = await runInWorker<EvaluateResult>('evaluate', {
      modelDir: store.itemDir('model', DEMO_MODEL.id),
      source: { kind: 'corpus', dir: store.itemDir('corpus', DEMO_CORPUS.id), split: 'test' },
      backend: DEMO_MODEL.backend,
    });
    expect(r.predicted).toBe(manifest.model.test.predicted);
    expect(Math.abs(r.perplexity - manifest.model.test.perplexity) / manifest.model.test.perplexity).toBeLessThan(1e-4);
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
    const { record } = await runAnalysis({
      project: dir,
      model: DEMO_MODEL.id,
      corpus: DEMO_CORPUS.id,
      id: 'mine',
      maxTokens: 400,
      maxDelay: 5,
      workers: 1,
    });
    expect(record.summary.delays).toHaveLength(6);
    expect(record.config.properties.map((p) => p.name)).toEqual(['sg-pl', 'common-proper']);

    const store = await openProject(dir);
    await store.rename('My demo');
    await fs.rm(path.join(store.itemDir('run', DEMO_RUN.id), 'G.npy'));
    const repaired = await installDemoProject(dir);
    expect(repaired.added).toEqual([]);
    expect(repaired.repaired).toEqual([`run ${DEMO_RUN.id} (G.npy is missing)`]);
    const after = await store.readManifest();
    expect(after.name).toBe('My demo');
    expect(after.runs.map((r) => r.id).sort()).toEqual([DEMO_RUN.id, 'mine'].sort());
    expect((await readRun(store.itemDir('run', DEMO_RUN.id)).then((r) => r.readArray('G'))).shape[0]).toBe(delays());

    // A run of the user's own under the demo's id is theirs: kept, with a warning.
    await store.deleteItem('run', DEMO_RUN.id);
    const mine = store.itemDir('run', 'mine');
    await store.stageItem('run', DEMO_RUN.id, async (out) => {
      for (const f of await fs.readdir(mine)) await fs.copyFile(path.join(mine, f), path.join(out, f));
    });
    const kept = await installDemoProject(dir);
    expect(kept).toMatchObject({ added: [], repaired: [] });
    expect(kept.warnings).toEqual([expect.stringContaining(`run '${DEMO_RUN.id}' is not the demo's`)]);
    expect((await readRun(store.itemDir('run', DEMO_RUN.id))).record.config.maxDelay).toBe(5);
    // Deleted, it comes back.
    await store.deleteItem('run', DEMO_RUN.id);
    expect((await installDemoProject(dir)).added).toEqual([`run ${DEMO_RUN.id}`]);
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
      expect(info.demo).toMatchObject({ added: [], repaired: [], run: DEMO_RUN.id });
      const shown = await engine.api.runShow({ project: dir, run: DEMO_RUN.id });
      expect(shown.spectrum).toHaveLength(delays());
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
    expect(userDataDir({}, 'linux', home)).toBe('/home/ada/.local/share/mnemoscope');
    expect(userDataDir({ XDG_DATA_HOME: '/data' }, 'linux', home)).toBe('/data/mnemoscope');
    expect(userDataDir({}, 'darwin', home)).toBe('/home/ada/Library/Application Support/Mnemoscope');
    expect(userDataDir({ APPDATA: '/appdata' }, 'win32', home)).toBe(path.join('/appdata', 'Mnemoscope'));
    expect(userDataDir({ MNEMOSCOPE_CONFIG_DIR: '/portable' }, 'linux', home)).toBe(path.resolve('/portable'));
    expect(userDataDir({ MNEMOSCOPE_DATA_DIR: '/d', MNEMOSCOPE_CONFIG_DIR: '/portable' }, 'linux', home)).toBe(path.resolve('/d'));
  });
});
