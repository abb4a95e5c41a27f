// `npm run train:demo` (build/train-demo.ts) and the installer, on a --smoke build made into
// a temporary folder: the build refuses what could overwrite build/demo or a scratch project;
// it writes demo.json version 2 with both models (adam-small byte for byte the earlier
// demo's, from whichever layout build/demo has) and a sweep of each; a --reuse build on the
// same scratch project skips every step and ships the same files; and the installer adds
// every item, does nothing the second time, repairs a damaged file, and gives a project an
// earlier version installed (demo-lstm, demo-sweep) the new items while keeping the old.
import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installDemoProject, readDemoManifest, type DemoManifest } from '../../main/engine/demo';
import { resolvedTrainConfig } from '../../main/engine/demo/demo-build';
import { DEMO_ADAM_MODEL, DEMO_VERWIMP_MODEL } from '../../main/engine/demo/demo-spec';
import { sha256File } from '../../main/engine/demo/file-digest';
import { createProject, openProject } from '../../main/engine/project';
import { readRun } from '../../main/engine/runs';
import { ModelMetaSchema } from '../../shared/schemas/model';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const shipped = path.join(root, 'build', 'demo');
const BUILD_MS = 600_000;

function trainDemo(args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'build', 'train-demo.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: BUILD_MS,
  });
  return { status: r.status, stderr: r.stderr };
}

/** file → sha256 of every file under `dir` (relative paths); empty when it does not exist. */
async function digests(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, full)] = await sha256File(full);
  }
  return out;
}

let tmp: string;
let out: string;
let work: string;
let manifest: DemoManifest;
let build: { status: number | null; stderr: string };
let before: { demo: Record<string, string>; readme: string };
/** The earlier demo's copy of adam-small: its own folder (version 2) or model/ (version 1). */
const earlierAdam = () => [path.join(shipped, 'models', 'adam-small'), path.join(shipped, 'model')].find((d) => existsSync(path.join(d, 'weights.bin')))!;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'mnemo-train-demo-'));
  out = path.join(tmp, 'out');
  work = path.join(tmp, 'work');
  before = { demo: await digests(shipped), readme: await sha256File(path.join(root, 'README.md')) };
  build = trainDemo(['--smoke', '--out', out, '--work', work]);
  if (build.status !== 0) throw new Error(`train:demo --smoke failed (${build.status}):\n${build.stderr}`);
  manifest = await readDemoManifest(out);
}, BUILD_MS);

afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('npm run train:demo --smoke', () => {
  it('refuses to write a smoke build to build/demo, to build on a project without --reuse, and --reuse without --work', async () => {
    for (const args of [['--smoke'], ['--smoke', '--out', shipped], ['--smoke', '--out', path.join(shipped, 'x')], ['--smoke', '--out', path.join(root, 'build')]]) {
      const r = trainDemo(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/--smoke needs --out|--smoke would write over/);
    }
    expect(trainDemo(['--reuse']).stderr).toContain('--reuse needs --work');
    expect(trainDemo(['--smoke', '--out', path.join(tmp, 'x'), '--work', work]).stderr).toContain('holds a project: give --reuse');
    const junk = path.join(tmp, 'junk');
    await fs.mkdir(junk);
    await fs.writeFile(path.join(junk, 'notes.txt'), 'mine');
    expect(trainDemo(['--smoke', '--out', path.join(tmp, 'x'), '--work', junk]).stderr).toContain('is not empty and holds no project');
    expect(await fs.readFile(path.join(junk, 'notes.txt'), 'utf8')).toBe('mine');
    expect(existsSync(path.join(tmp, 'x'))).toBe(false);
  });

  it('never touches build/demo or the README, and says it is a smoke build', async () => {
    expect(await digests(shipped)).toEqual(before.demo);
    expect(await sha256File(path.join(root, 'README.md'))).toBe(before.readme);
    expect(manifest.smoke).toBe(true);
    expect(await fs.readFile(path.join(out, 'README.md'), 'utf8')).toContain('A `--smoke` build');
    expect(build.stderr).toContain('SMOKE build (never ship it)');
    expect(build.stderr).toMatch(/shipped size: \d+\.\d\d MB \(models \d+\.\d\d MB, runs \d+\.\d\d MB\)/);
    expect(build.stderr).toMatch(/left\n/); // progress lines say how long is left
  });

  it('writes demo.json version 2: both models, a sweep of each naming its model, and the Compare view it opens on', async () => {
    expect(manifest.schemaVersion).toBe(2);
    expect(manifest.models.map((m) => [m.id, m.origin])).toEqual([
      ['verwimp2018', 'trained'],
      ['adam-small', 'copied'],
    ]);
    expect(manifest.runs.map((r) => [r.id, r.model])).toEqual([
      ['verwimp2018-sweep', 'verwimp2018'],
      ['adam-small-sweep', 'adam-small'],
    ]);
    expect(manifest.opens).toEqual(['verwimp2018-sweep', 'adam-small-sweep']);
    for (const m of manifest.models) {
      expect(m.valid.perplexity).toBeGreaterThan(1);
      expect(m.test.maxTokens).toBe(2000); // a smoke build measures on the first tokens only, and says so
    }
    // Exactly the files listed, with their digests, in models/<id>/ and runs/<id>/.
    const listed: Record<string, string> = {};
    for (const m of manifest.models) for (const f of m.files) listed[path.join('models', m.id, f.file)] = f.sha256;
    for (const r of manifest.runs) for (const f of r.files) listed[path.join('runs', r.id, f.file)] = f.sha256;
    const all = await digests(out);
    for (const f of ['demo.json', 'README.md', '.gitattributes']) delete all[f];
    expect(all).toEqual(listed);
  });

  it('copies adam-small byte for byte from the earlier demo, and trains verwimp2018 with the spec resolved', async () => {
    const adam = manifest.models.find((m) => m.id === 'adam-small')!;
    expect(await digests(path.join(out, 'models', 'adam-small'))).toEqual(await digests(earlierAdam()));
    expect(adam.copiedFrom).toBe(`build/demo/${path.relative(shipped, earlierAdam()).split(path.sep).join('/')}`);
    expect(adam.config).toMatchObject({ optimizer: 'adam', hiddenSize: 128, vocabSize: 5000, maxTokens: 300000 });
    expect(adam.about).toBe(DEMO_ADAM_MODEL.about);

    const meta = ModelMetaSchema.parse(JSON.parse(await fs.readFile(path.join(out, 'models', 'verwimp2018', 'training.json'), 'utf8')));
    if (meta.origin.kind !== 'trained') throw new Error('not trained');
    expect(meta.origin.config).toEqual(resolvedTrainConfig({ ...DEMO_VERWIMP_MODEL.config, epochs: 1, maxTokens: 5000 }));
    expect(meta.origin.corpus.dir).toBeNull(); // not the build machine's path
    expect(meta.origin.backend.name).toBe('wasm');
    expect(manifest.models[0].parameters).toBe(10000 * 64 + 4 * 256 * (64 + 256 + 1) + 10000 * 257);
  });

  it('ships sweeps with the spec’s class sets and properties, without G_class.npy, and their curves in demo.json', async () => {
    for (const r of manifest.runs) {
      const run = await readRun(path.join(out, 'runs', r.id));
      expect(run.record.id).toBe(r.id);
      expect(run.record.model).toBe(r.model);
      expect(run.record.config.classSets).toEqual(['paper', 'upos', 'frequency']);
      expect(run.record.config.properties.map((p) => p.name)).toEqual(['sg-pl', 'common-proper']);
      expect(run.hasArray('classG')).toBe(false);
      expect(run.record.warnings.some((w) => w.includes('G_class.npy'))).toBe(true);
      expect(r.omitted.map((o) => o.file)).toEqual(['G_class.npy']);
      expect(r.curves.sigma1).toEqual(run.record.summary.delays.map((d) => d.sigma1));
      expect(Object.keys(r.curves.properties)).toEqual(['sg-pl', 'common-proper']);
    }
  });

  it('with --reuse on the same scratch project skips every step and ships the same files', async () => {
    const again = path.join(tmp, 'again');
    const r = trainDemo(['--smoke', '--out', again, '--work', work, '--reuse']);
    expect(r.status, r.stderr).toBe(0);
    for (const line of [
      'corpus brown: reused',
      'model verwimp2018: reused',
      'model adam-small: reused',
      'run verwimp2018-sweep: reused',
      'run adam-small-sweep: reused',
    ]) {
      expect(r.stderr).toContain(line);
    }
    expect(r.stderr.match(/measured by an earlier build on the same weights/g)).toHaveLength(4);
    expect(r.stderr).not.toMatch(/training \{|sweeping|importing/);
    const a = await digests(out);
    const b = await digests(again);
    for (const f of ['demo.json', 'README.md']) {
      delete a[f];
      delete b[f];
    }
    expect(b).toEqual(a);
  });
});

describe('installing a demo built by train:demo', () => {
  let dir: string;
  const ids = ['corpus brown', 'model verwimp2018', 'model adam-small', 'run verwimp2018-sweep', 'run adam-small-sweep'];

  it('adds the corpus, both models and both sweeps to a new project', async () => {
    dir = path.join(tmp, 'Demo project');
    const r = await installDemoProject(dir, { source: out });
    expect(r).toMatchObject({
      dir,
      source: out,
      created: true,
      added: ids,
      repaired: [],
      warnings: [],
      corpus: 'brown',
      models: ['verwimp2018', 'adam-small'],
      runs: ['verwimp2018-sweep', 'adam-small-sweep'],
      opens: ['verwimp2018-sweep', 'adam-small-sweep'],
    });
    const store = await openProject(dir);
    expect((await store.list('model')).map((e) => [e.id, e.name])).toEqual(manifest.models.map((m) => [m.id, m.name]));
    const runs = await store.listRuns();
    expect(runs.map((x) => [x.id, x.model, x.corpus, x.missing])).toEqual([
      ['verwimp2018-sweep', 'verwimp2018', 'brown', {}],
      ['adam-small-sweep', 'adam-small', 'brown', {}],
    ]);
    for (const m of manifest.models) expect(await digests(store.itemDir('model', m.id))).toEqual(await digests(path.join(out, 'models', m.id)));
    // Each sweep's G is H × E of its own model.
    for (const [run, H] of [['verwimp2018-sweep', 256], ['adam-small-sweep', 128]] as const) {
      const G = await (await readRun(store.itemDir('run', run))).readArray('G');
      expect(G.shape.slice(1)).toEqual([H, 64]);
    }
  });

  it('does nothing the second time', async () => {
    const manifestBefore = await fs.readFile(path.join(dir, 'project.json'), 'utf8');
    const r = await installDemoProject(dir, { source: out });
    expect(r).toMatchObject({ created: false, added: [], repaired: [], warnings: [] });
    expect(await fs.readFile(path.join(dir, 'project.json'), 'utf8')).toBe(manifestBefore);
  });

  it('puts back a damaged model and a damaged sweep, and nothing else', async () => {
    const store = await openProject(dir);
    const weights = path.join(store.itemDir('model', 'verwimp2018'), 'weights.bin');
    const good = await sha256File(weights);
    await fs.rm(weights);
    await fs.rm(path.join(store.itemDir('run', 'adam-small-sweep'), 'G.npy'));
    const r = await installDemoProject(dir, { source: out });
    expect(r.added).toEqual([]);
    expect(r.repaired).toEqual(['model verwimp2018 (weights.bin is missing)', 'run adam-small-sweep (G.npy is missing)']);
    expect(await sha256File(weights)).toBe(good);
    expect((await (await readRun(store.itemDir('run', 'adam-small-sweep'))).readArray('G')).shape[0]).toBe(manifest.runs[1].curves.sigma1.length);
    expect((await installDemoProject(dir, { source: out })).repaired).toEqual([]);
  });

  it('gives a project the first demo installed (demo-lstm, demo-sweep) the new items, and keeps the old as the user’s', async () => {
    const installed = await openProject(dir);
    const old = path.join(tmp, 'Old demo');
    const store = await createProject(old, 'Demo');
    // What version 1 installed: the Brown corpus, model demo-lstm (the files adam-small now has) and its sweep demo-sweep.
    await store.stageItem('corpus', 'brown', (to) => fs.cp(installed.itemDir('corpus', 'brown'), to, { recursive: true }), { name: 'Brown corpus' });
    await store.stageItem('model', 'demo-lstm', (to) => fs.cp(installed.itemDir('model', 'adam-small'), to, { recursive: true }), {
      name: 'Demo LSTM (E 64, H 128, V 5000)',
    });
    await store.stageItem('run', 'demo-sweep', async (to) => {
      await fs.cp(installed.itemDir('run', 'adam-small-sweep'), to, { recursive: true });
      const record = JSON.parse(await fs.readFile(path.join(to, 'run.json'), 'utf8')) as { id: string; model: string };
      await fs.writeFile(path.join(to, 'run.json'), JSON.stringify({ ...record, id: 'demo-sweep', model: 'demo-lstm' }));
    });
    const oldWeights = await sha256File(path.join(store.itemDir('model', 'demo-lstm'), 'weights.bin'));

    const r = await installDemoProject(old, { source: out });
    expect(r).toMatchObject({ created: false, added: ids.slice(1), repaired: [], warnings: [] });
    const after = await store.readManifest();
    expect(after.name).toBe('Demo');
    expect(after.models.map((e) => e.id)).toEqual(['demo-lstm', 'verwimp2018', 'adam-small']);
    const runs = await store.listRuns();
    expect(runs.map((x) => [x.id, x.model, x.missing])).toEqual([
      ['demo-sweep', 'demo-lstm', {}],
      ['verwimp2018-sweep', 'verwimp2018', {}],
      ['adam-small-sweep', 'adam-small', {}],
    ]);
    expect(await sha256File(path.join(store.itemDir('model', 'demo-lstm'), 'weights.bin'))).toBe(oldWeights);
    expect((await readRun(store.itemDir('run', 'demo-sweep'))).record.model).toBe('demo-lstm');
    expect(await installDemoProject(old, { source: out })).toMatchObject({ added: [], repaired: [], warnings: [] });
  });
});
