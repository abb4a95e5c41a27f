// runExport and classSetAdd, the engine procedures behind `mnemoscope export` and `corpus
// classes`, called in process through the typed API (so what they promise holds for every
// transport), and the lists that mark broken items (corpusList, modelList, runList): the
// repros of issue 10, defects 1, 2 and 6.
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../main/engine/handlers/create-engine';
import { inProcessContext } from '../../../main/engine/jobs/task-context';
import { sweepTask, exportRun, readRunRecord, parseAnalyzeParams } from '../../../main/engine/runs';
import { makeRunProject, type RunProject } from '../runs/helpers';
import { tempDir, testEngine } from './helpers';

let p: RunProject;
let engine: Engine;
let out: string;

beforeAll(async () => {
  p = await makeRunProject({ models: [{ id: 'm', embeddingDim: 6, units: [5] }] });
  await sweepTask(parseAnalyzeParams({ project: p.dir, corpus: 'c', model: 'm', id: 'r1', streams: 2, maxTokens: 80, maxDelay: 3, groups: 2, workers: 0 }), inProcessContext());
  ({ engine } = await testEngine());
  out = await tempDir('mnemo-export-');
});
afterAll(async () => {
  await engine?.close();
  await p?.cleanup();
  if (out) await fs.rm(out, { recursive: true, force: true });
});

/** A file's kind, inode and (for a regular file) contents: equal before and after means untouched. */
async function state(file: string): Promise<string> {
  const st = await fs.lstat(file);
  const kind = st.isSymbolicLink() ? `link→${await fs.readlink(file)}` : st.isFIFO() ? 'fifo' : st.isDirectory() ? 'dir' : 'file';
  return `${kind} ${st.ino} ${st.isFile() ? await fs.readFile(file, 'utf8') : ''}`;
}

const userFailure = (message: RegExp) => ({ kind: 'user', message: expect.stringMatching(message) });

describe('runExport', () => {
  it('writes the CSV and the JSON export of a run, and says how many rows and columns', async () => {
    const record = await readRunRecord(path.join(p.dir, 'runs', 'r1'));
    const csv = path.join(out, 'r1.csv');
    const r = await engine.api.runExport({ project: p.dir, run: 'r1', format: 'csv', out: csv });
    expect(r).toMatchObject({ run: 'r1', format: 'csv', out: csv, target: csv, rows: 4 });
    expect(await fs.readFile(csv, 'utf8')).toBe(exportRun(record, 'csv'));
    expect(r.columns).toBe((await fs.readFile(csv, 'utf8')).split('\n')[0].split(',').length);
    const json = path.join(out, 'r1.json');
    await engine.api.runExport({ project: p.dir, run: 'r1', format: 'json', out: json });
    expect(JSON.parse(await fs.readFile(json, 'utf8')).delays).toHaveLength(4);
  });

  it('through a symbolic link to a regular file: the link stays a link and its target holds the export', async () => {
    const target = path.join(out, 'target.csv');
    const link = path.join(out, 'link.csv');
    await fs.writeFile(target, 'old contents\n');
    await fs.symlink('target.csv', link);
    const r = await engine.api.runExport({ project: p.dir, run: 'r1', format: 'csv', out: link });
    expect(r).toMatchObject({ out: link, target: await fs.realpath(target) });
    expect((await fs.lstat(link)).isSymbolicLink()).toBe(true);
    expect(await fs.readlink(link)).toBe('target.csv');
    expect(await fs.readFile(target, 'utf8')).toMatch(/^tau,/);
  });

  it('an existing folder is a one-line user error, and the folder is left as it was', async () => {
    const folder = path.join(out, 'a-folder');
    await fs.mkdir(folder);
    const before = await state(folder);
    await expect(engine.api.runExport({ project: p.dir, run: 'r1', format: 'csv', out: folder })).rejects.toMatchObject(
      userFailure(/^cannot write .*a-folder: it is a folder; [^\n]*$/),
    );
    expect(await state(folder)).toBe(before);
    expect(await fs.readdir(folder)).toEqual([]);
  });

  it.runIf(process.platform !== 'win32')('a FIFO and a symbolic link to a FIFO are refused, never opened, and stay as they were', async () => {
    const fifo = path.join(out, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const link = path.join(out, 'to-pipe.csv');
    await fs.symlink(fifo, link);
    const before = [await state(fifo), await state(link)];
    await expect(engine.api.runExport({ project: p.dir, run: 'r1', format: 'csv', out: fifo })).rejects.toMatchObject(userFailure(/named pipe \(FIFO\)/));
    await expect(engine.api.runExport({ project: p.dir, run: 'r1', format: 'json', out: link })).rejects.toMatchObject(
      userFailure(/symbolic link to .*pipe, which is a named pipe/),
    );
    expect([await state(fifo), await state(link)]).toEqual(before);
    expect((await fs.readdir(out)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a malformed request and an unknown run', async () => {
    await expect(engine.dispatch('runExport', { project: p.dir, run: 'r1', format: 'xlsx', out: path.join(out, 'x') })).resolves.toMatchObject({ ok: false });
    await expect(engine.dispatch('runExport', { project: p.dir, run: 'r1', format: 'csv' })).resolves.toMatchObject({ ok: false });
    await expect(engine.api.runExport({ project: p.dir, run: 'nope', format: 'csv', out: path.join(out, 'nope.csv') })).rejects.toMatchObject(
      userFailure(/No run 'nope'/),
    );
    await expect(fs.stat(path.join(out, 'nope.csv'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('classSetAdd', () => {
  const classes = (id: string) => path.join(p.dir, 'corpora', 'c', 'classes', `${id}.json`);
  let words: string;

  beforeAll(async () => {
    words = path.join(out, 'animals.txt');
    await fs.writeFile(words, 'dog\tanimal\ncat\tanimal\nboston\tplace\n');
    await engine.api.classSetList({ project: p.dir, corpus: 'c' }); // writes frequency.json, as opening the corpus does
  });

  it('refuses the id of a built-in set (paper, upos, frequency, in any case), even with replace, and leaves it unchanged', async () => {
    const before = await Promise.all(['paper', 'upos', 'frequency'].map((id) => fs.readFile(classes(id), 'utf8')));
    for (const id of ['paper', 'upos', 'frequency', 'Paper']) {
      for (const replace of [false, true]) {
        await expect(engine.api.classSetAdd({ project: p.dir, corpus: 'c', id, words, replace })).rejects.toMatchObject(
          userFailure(new RegExp(`^'${id}' is a built-in class set of corpus 'c'.*never replaced`)),
        );
      }
    }
    expect(await Promise.all(['paper', 'upos', 'frequency'].map((id) => fs.readFile(classes(id), 'utf8')))).toEqual(before);
    expect((await fs.readdir(path.dirname(classes('x')))).sort()).toEqual(['frequency.json', 'paper.json', 'upos.json']);
  });

  it('adds a user set; the same id again is refused unless replace is asked for, which replaces it', async () => {
    const added = await engine.api.classSetAdd({ project: p.dir, corpus: 'c', id: 'animals', words, defaultClass: 'words' });
    expect(added.replaced).toBe(false);
    expect(added.classSet.classes).toEqual({ animal: ['cat', 'dog'], place: ['boston'] });
    const first = await fs.readFile(classes('animals'), 'utf8');

    const other = path.join(out, 'other.txt');
    await fs.writeFile(other, 'bird\n');
    await expect(engine.api.classSetAdd({ project: p.dir, corpus: 'c', id: 'animals', words: other })).rejects.toMatchObject(
      userFailure(/corpus 'c' already has a class set 'animals'.*--replace/),
    );
    expect(await fs.readFile(classes('animals'), 'utf8')).toBe(first);

    const replaced = await engine.api.classSetAdd({ project: p.dir, corpus: 'c', id: 'animals', words: other, defaultClass: 'birds', replace: true });
    expect(replaced.replaced).toBe(true);
    expect(JSON.parse(await fs.readFile(classes('animals'), 'utf8')).classes).toEqual({ birds: ['bird'] });
    const listed = await engine.api.classSetList({ project: p.dir, corpus: 'c' });
    expect(listed.find((s) => s.id === 'animals')?.sizes).toEqual({ birds: 1 });
  });

  it('refuses a malformed request, an unknown corpus and a missing word list', async () => {
    await expect(engine.dispatch('classSetAdd', { project: p.dir, corpus: 'c', id: '../x', words })).resolves.toMatchObject({ ok: false });
    await expect(engine.dispatch('classSetAdd', { project: p.dir, corpus: 'c', id: 'x', words, replace: 'yes' })).resolves.toMatchObject({ ok: false });
    await expect(engine.api.classSetAdd({ project: p.dir, corpus: 'nope', id: 'x', words })).rejects.toMatchObject(userFailure(/No corpus 'nope'/));
    await expect(engine.api.classSetAdd({ project: p.dir, corpus: 'c', id: 'x', words: path.join(out, 'missing.txt') })).rejects.toMatchObject({
      kind: 'user',
    });
  });
});

describe('broken items in the lists', () => {
  it('a deleted run folder, a corrupt run.json, a deleted model folder and a deleted corpus folder are each marked with what is wrong', async () => {
    const root = await tempDir('mnemo-broken-');
    const dir = path.join(root, 'project');
    await fs.cp(p.dir, dir, { recursive: true });
    await fs.cp(path.join(dir, 'runs', 'r1'), path.join(dir, 'runs', 'r2'), { recursive: true });
    await fs.cp(path.join(dir, 'runs', 'r1'), path.join(dir, 'runs', 'r3'), { recursive: true });
    const manifestFile = path.join(dir, 'project.json');
    const m = JSON.parse(await fs.readFile(manifestFile, 'utf8'));
    m.runs.push({ ...m.runs[0], id: 'r2' }, { ...m.runs[0], id: 'r3' });
    await fs.writeFile(manifestFile, JSON.stringify(m));
    await fs.rm(path.join(dir, 'runs', 'r1'), { recursive: true });
    await fs.writeFile(path.join(dir, 'runs', 'r2', 'run.json'), '{"schemaVersion": 1, "id": "r2"'); // cut short
    await fs.rm(path.join(dir, 'models', 'm'), { recursive: true });
    await fs.rm(path.join(dir, 'corpora', 'c'), { recursive: true });
    try {
      const runs = await engine.api.runList({ project: dir });
      expect(runs.map((r) => [r.id, r.problem ?? null])).toEqual([
        ['r1', expect.stringMatching(/its folder .*runs\/r1 is missing/)],
        ['r2', expect.stringMatching(/runs\/r2\/run\.json: invalid JSON at line 1/)],
        ['r3', null],
      ]);
      expect((await engine.api.modelList({ project: dir }))[0]).toMatchObject({ id: 'm', summary: null, problem: expect.stringMatching(/its folder .*models\/m is missing/) });
      expect((await engine.api.corpusList({ project: dir }))[0]).toMatchObject({ id: 'c', corpus: null, problem: expect.stringMatching(/its folder .*corpora\/c is missing/) });
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});
