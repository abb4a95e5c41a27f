import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProject, openProject, type ProjectStore } from '../../../main/engine/project/project-store';
import { JobCancelledError, UserError } from '../../../main/engine/errors';
import { ProjectManifestSchema } from '../../../shared/schemas/project';
import { tempDir } from './helpers/temp-dirs';
import { CancelToken } from '../../../main/engine/cancel-token';

afterEach(() => {
  vi.restoreAllMocks();
});

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

async function userMessage(p: Promise<unknown>): Promise<string> {
  const err = await rejection(p);
  expect(err).toBeInstanceOf(UserError);
  return err.message;
}

const ls = async (d: string) => (await fs.readdir(d).catch(() => [])).sort();
const readManifest = async (dir: string) =>
  ProjectManifestSchema.parse(JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8')));

async function addCorpus(store: ProjectStore, id: string, name?: string) {
  return store.stageItem(
    'corpus',
    id,
    async (dir) => {
      await fs.writeFile(path.join(dir, 'corpus.json'), JSON.stringify({ source: 'test' }));
      await fs.writeFile(path.join(dir, 'tokens.bin'), 'abc');
      return { tokens: 3 };
    },
    name === undefined ? {} : { name },
  );
}

describe('createProject / openProject', () => {
  it('creates the documented layout and opens it again', async () => {
    const dir = path.join(await tempDir(), 'new', 'proj');
    const store = await createProject(dir, '  My study ');
    expect(store.dir).toBe(dir);
    expect(await ls(dir)).toEqual(['corpora', 'models', 'project.json', 'runs']);
    const m = await readManifest(dir);
    expect(m).toMatchObject({ schemaVersion: 1, app: 'mnemoscope', name: 'My study', corpora: [], models: [], runs: [] });
    expect(m.modified).toBe(m.created);
    const again = await openProject(dir);
    expect(again.name).toBe('My study');
  });

  it('accepts an empty existing folder (OS clutter allowed) and the leftovers of an interrupted create', async () => {
    const dir = await tempDir();
    await fs.writeFile(path.join(dir, '.DS_Store'), '');
    await fs.mkdir(path.join(dir, 'models'));
    await createProject(dir, 'P');
    const dir2 = await tempDir();
    await fs.mkdir(path.join(dir2, 'runs', 'r1'), { recursive: true });
    expect(await userMessage(createProject(dir2, 'P'))).toMatch(/it contains runs\)/);
  });

  it('refuses a non-empty folder that is not a project, an existing project, a file, and a bad name', async () => {
    const dir = await tempDir();
    await fs.writeFile(path.join(dir, 'thesis.tex'), '');
    expect(await userMessage(createProject(dir, 'P'))).toBe(
      `${dir} is not empty and is not a Mnemoscope project (it contains thesis.tex); choose a new or empty folder.`,
    );
    expect(await ls(dir)).toEqual(['thesis.tex']);

    const proj = await tempDir();
    await createProject(proj, 'P');
    expect(await userMessage(createProject(proj, 'Q'))).toMatch(/already contains a Mnemoscope project .*open it instead/);
    expect(await userMessage(createProject(path.join(dir, 'thesis.tex'), 'P'))).toMatch(/exists and is not a folder/);
    expect(await userMessage(createProject(await tempDir(), '   '))).toMatch(/Invalid project name " {3}": must not be empty/);
  });

  it('refuses to open a missing folder or one without project.json', async () => {
    const dir = await tempDir();
    expect(await userMessage(openProject(path.join(dir, 'nope')))).toMatch(/nope does not exist/);
    expect(await userMessage(openProject(dir))).toMatch(/is not a Mnemoscope project \(no project\.json\)/);
  });
});

describe('stageItem', () => {
  it('writes into staging, then moves the folder into place and lists the id', async () => {
    const dir = await tempDir();
    const store = await createProject(dir, 'P');
    let seen = '';
    const { entry, dir: itemDir, meta } = await store.stageItem('corpus', 'brown', async (staging) => {
      seen = staging;
      expect(path.dirname(staging)).toBe(path.join(dir, '.staging'));
      await fs.writeFile(path.join(staging, 'corpus.json'), '{}');
      return { tokens: 12 };
    }, { name: 'Brown corpus' });
    expect(meta).toEqual({ tokens: 12 });
    expect(itemDir).toBe(path.join(dir, 'corpora', 'brown'));
    expect(await ls(itemDir)).toEqual(['corpus.json']);
    expect(entry).toMatchObject({ id: 'brown', name: 'Brown corpus' });
    expect((await readManifest(dir)).corpora).toEqual([entry]);
    expect(await ls(path.join(dir, '.staging'))).toEqual([]);
    await expect(fs.access(seen)).rejects.toThrow();
    expect(await store.has('corpus', 'brown')).toBe(true);
    expect(await store.has('model', 'brown')).toBe(false);
    expect((await addCorpus(store, 'two')).entry.name).toBe('two');
  });

  it('refuses invalid ids', async () => {
    const store = await createProject(await tempDir(), 'P');
    const writer = vi.fn(async () => 1);
    for (const id of ['', '../evil', '.hidden', 'a/b', 'a b', 'x'.repeat(65), 'é']) {
      expect(await userMessage(store.stageItem('model', id, writer))).toMatch(/^Invalid model id .*letters, digits/);
    }
    expect(writer).not.toHaveBeenCalled();
    await expect(store.stageItem('model', 'x'.repeat(64), writer)).resolves.toBeDefined();
  });

  it('refuses a duplicate id before doing any work', async () => {
    const dir = await tempDir();
    const store = await createProject(dir, 'P');
    await addCorpus(store, 'c1');
    const writer = vi.fn(async () => 1);
    expect(await userMessage(store.stageItem('corpus', 'c1', writer))).toBe(
      `A corpus with id 'c1' already exists in project ${dir}; choose another id or delete it first.`,
    );
    expect(writer).not.toHaveBeenCalled();
    // Same id for a different kind is fine: they live in different folders.
    await store.stageItem('model', 'c1', async () => 1);
  });

  it('of two concurrent stages with one id, exactly one wins', async () => {
    const dir = await tempDir();
    const a = await createProject(dir, 'P');
    const b = await openProject(dir);
    const results = await Promise.allSettled([addCorpus(a, 'same'), addCorpus(b, 'same')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failed.reason).toBeInstanceOf(UserError);
    expect((await readManifest(dir)).corpora.map((c) => c.id)).toEqual(['same']);
    expect(await ls(path.join(dir, '.staging'))).toEqual([]);
  });

  it('loses no update when many items are added at once through different store objects', async () => {
    const dir = await tempDir();
    const stores = [await createProject(dir, 'P'), await openProject(dir), await openProject(dir)];
    await Promise.all(Array.from({ length: 9 }, (_, k) => addCorpus(stores[k % 3], `c${k}`)));
    expect((await readManifest(dir)).corpora.map((c) => c.id).sort()).toEqual(
      Array.from({ length: 9 }, (_, k) => `c${k}`),
    );
    await expect(fs.access(path.join(dir, 'project.lock'))).rejects.toThrow();
  });

  it('a failing writer leaves the project unchanged and the error is rethrown', async () => {
    const dir = await tempDir();
    const store = await createProject(dir, 'P');
    const before = await fs.readFile(path.join(dir, 'project.json'), 'utf8');
    const boom = new UserError('corpus.txt line 3: invalid UTF-8');
    const err = await rejection(
      store.stageItem('corpus', 'bad', async (staging) => {
        await fs.writeFile(path.join(staging, 'half.bin'), 'partial');
        throw boom;
      }),
    );
    expect(err).toBe(boom);
    expect(await fs.readFile(path.join(dir, 'project.json'), 'utf8')).toBe(before);
    expect(await ls(path.join(dir, 'corpora'))).toEqual([]);
    expect(await ls(path.join(dir, '.staging'))).toEqual([]);
  });

  it('a cancelled stage is discarded', async () => {
    const dir = await tempDir();
    const store = await createProject(dir, 'P');
    const cancel = CancelToken.create();
    const err = await rejection(
      store.stageItem('model', 'm', async (staging) => {
        await fs.writeFile(path.join(staging, 'weights.bin'), 'x');
        cancel.cancel();
        return 1;
      }, { cancel }),
    );
    expect(err).toBeInstanceOf(JobCancelledError);
    expect(await ls(path.join(dir, 'models'))).toEqual([]);
    expect((await readManifest(dir)).models).toEqual([]);
  });

  it('if project.json cannot be written at commit, the item folder is taken back out', async () => {
    const dir = await tempDir();
    const store = await createProject(dir, 'P');
    const realRename = fs.rename;
    vi.spyOn(fs, 'rename').mockImplementation(async (from, to) => {
      if (String(to).endsWith('project.json')) throw Object.assign(new Error('ENOSPC: no space left'), { code: 'ENOSPC' });
      return realRename(from, to);
    });
    expect((await rejection(addCorpus(store, 'c'))).message).toMatch(/no space/);
    vi.restoreAllMocks();
    expect(await ls(path.join(dir, 'corpora'))).toEqual([]);
    expect(await ls(path.join(dir, '.staging'))).toEqual([]);
    expect((await readManifest(dir)).corpora).toEqual([]);
    await addCorpus(store, 'c'); // and the id is still free
  });

  it('refuses to overwrite a folder that exists but is not listed', async () => {
    const dir = await tempDir();
    const store = await createProject(dir, 'P');
    await fs.mkdir(path.join(dir, 'corpora', 'hand'));
    await fs.writeFile(path.join(dir, 'corpora', 'hand', 'mine.txt'), 'keep me');
    expect(await userMessage(addCorpus(store, 'hand'))).toMatch(/folder .*hand exists but is not listed/);
    expect(await fs.readFile(path.join(dir, 'corpora', 'hand', 'mine.txt'), 'utf8')).toBe('keep me');
  });
});

describe('replaceItem', () => {
  async function withModel() {
    const dir = await tempDir();
    const store = await createProject(dir, 'P');
    await store.stageItem('model', 'lm', async (d) => {
      await fs.writeFile(path.join(d, 'weights.bin'), 'epoch1');
      await fs.writeFile(path.join(d, 'vocab.json'), '["a"]');
    });
    return { dir, store, modelDir: path.join(dir, 'models', 'lm') };
  }

  it('swaps in a new folder and removes the old one', async () => {
    const { dir, store, modelDir } = await withModel();
    const before = (await readManifest(dir)).modified;
    await new Promise((r) => setTimeout(r, 5));
    const meta = await store.replaceItem('model', 'lm', async (staging, current) => {
      expect(current).toBe(modelDir);
      await fs.copyFile(path.join(current, 'vocab.json'), path.join(staging, 'vocab.json'));
      await fs.writeFile(path.join(staging, 'weights.bin'), 'epoch2');
      return 'ok';
    });
    expect(meta).toBe('ok');
    expect(await fs.readFile(path.join(modelDir, 'weights.bin'), 'utf8')).toBe('epoch2');
    expect(await ls(modelDir)).toEqual(['vocab.json', 'weights.bin']);
    expect(await ls(path.join(dir, '.trash'))).toEqual([]);
    expect(await ls(path.join(dir, '.staging'))).toEqual([]);
    const m = await readManifest(dir);
    expect(m.models.map((e) => e.id)).toEqual(['lm']);
    expect(m.modified > before).toBe(true);
  });

  it('a failing writer leaves the old folder untouched', async () => {
    const { dir, store, modelDir } = await withModel();
    await expect(
      store.replaceItem('model', 'lm', async (staging) => {
        await fs.writeFile(path.join(staging, 'weights.bin'), 'half');
        throw new Error('training crashed');
      }),
    ).rejects.toThrow('training crashed');
    expect(await fs.readFile(path.join(modelDir, 'weights.bin'), 'utf8')).toBe('epoch1');
    expect(await ls(path.join(dir, '.staging'))).toEqual([]);
  });

  it('refuses an unknown id', async () => {
    const { store } = await withModel();
    expect(await userMessage(store.replaceItem('model', 'other', async () => 1))).toMatch(
      /^No model 'other' in project .* \(it has: lm\)\.$/,
    );
  });
});

describe('deleteItem and listRuns', () => {
  it('deletes through .trash and keeps dependent runs readable', async () => {
    const dir = await tempDir();
    const store = await createProject(dir, 'P');
    await addCorpus(store, 'brown');
    await store.stageItem('model', 'lm', async (d) => fs.writeFile(path.join(d, 'training.json'), '{}'));
    await store.stageItem('run', 'r1', async (d) =>
      fs.writeFile(path.join(d, 'run.json'), JSON.stringify({ model: 'lm', corpus: 'brown', summary: { x: 1 } })),
    );
    await store.stageItem('run', 'r2', async (d) => fs.writeFile(path.join(d, 'run.json'), '{"model": {"id": "gone"}'));
    await store.stageItem('run', 'r3', async (d) => fs.writeFile(path.join(d, 'run.json'), '{"model": {"id": "gone"}}'));
    await store.stageItem('run', 'r4', async (d) => fs.writeFile(path.join(d, 'run.json'), '[]'));

    await store.deleteItem('model', 'lm');
    expect(await ls(path.join(dir, 'models'))).toEqual([]);
    expect(await ls(path.join(dir, '.trash'))).toEqual([]);
    expect((await readManifest(dir)).models).toEqual([]);
    expect(await ls(path.join(dir, 'runs', 'r1'))).toEqual(['run.json']);

    const runs = await store.listRuns();
    expect(runs.map((r) => r.id)).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(runs[0]).toMatchObject({ model: 'lm', corpus: 'brown', missing: { model: true } });
    expect(runs[0].missing).toEqual({ model: true });
    expect(runs[1].problem).toMatch(/runs\/r2\/run\.json: invalid JSON at line 1/);
    expect(runs[1].missing).toEqual({});
    expect(runs[2]).toMatchObject({ model: 'gone', missing: { model: true } });
    expect(runs[3].problem).toMatch(/not a JSON object/);

    await store.deleteItem('corpus', 'brown');
    expect((await store.listRuns())[0].missing).toEqual({ model: true, corpus: true });
    await store.deleteItem('run', 'r1');
    expect((await store.listRuns()).map((r) => r.id)).toEqual(['r2', 'r3', 'r4']);
  });

  it('refuses to delete what is not there', async () => {
    const dir = await tempDir();
    const store = await createProject(dir, 'P');
    expect(await userMessage(store.deleteItem('run', 'r9'))).toBe(`No run 'r9' in project ${dir} (it has no runs).`);
  });

  it('a listed item whose folder is already gone can still be deleted', async () => {
    const dir = await tempDir();
    const store = await createProject(dir, 'P');
    await addCorpus(store, 'c');
    await fs.rm(path.join(dir, 'corpora', 'c'), { recursive: true });
    await store.deleteItem('corpus', 'c');
    expect((await readManifest(dir)).corpora).toEqual([]);
  });
});

describe('crash leftovers are tidied on open', () => {
  function deadPid(): number {
    const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    return Number(r.stdout);
  }

  it('removes dead staging folders, undoes half-done replaces and deletes, completes interrupted commits', async () => {
    const dir = await tempDir();
    const store = await createProject(dir, 'P');
    await store.stageItem('model', 'lm', async (d) => fs.writeFile(path.join(d, 'weights.bin'), 'w'));
    await addCorpus(store, 'keep');
    const host = hostname().replace(/[^A-Za-z0-9.-]/g, '_');
    const staging = path.join(dir, '.staging');
    const trash = path.join(dir, '.trash');
    await fs.mkdir(trash, { recursive: true });

    // A writer that died mid-import, and one that is still alive (this process).
    await fs.mkdir(path.join(staging, `${host}~${deadPid()}~0~aaaaaa`), { recursive: true });
    await fs.mkdir(path.join(staging, `${host}~${process.pid}~0~bbbbbb`));
    await fs.mkdir(path.join(staging, `otherhost~1~0~cccccc`));
    // A crash between the two renames of a replace: the old model sits in .trash, its folder is missing.
    await fs.rename(path.join(dir, 'models', 'lm'), path.join(trash, 'model~lm~dddddd'));
    // A finished delete whose trash was not emptied.
    await fs.mkdir(path.join(trash, 'corpus~old~eeeeee'));
    // A commit interrupted after the folder was moved into place, before project.json was written.
    await fs.mkdir(path.join(dir, 'runs', 'r7'));
    const entry = { id: 'r7', name: 'Run 7', created: new Date().toISOString() };
    await fs.writeFile(path.join(staging, `${host}~${deadPid()}~0~ffffff.commit.json`), JSON.stringify({ ...entry, kind: 'run' }));
    // A temp manifest of a killed write.
    await fs.writeFile(path.join(dir, '.project.json.99999.0a1b2c3d.tmp'), '{"half');

    const reopened = await openProject(dir);
    expect(await fs.readFile(path.join(dir, 'models', 'lm', 'weights.bin'), 'utf8')).toBe('w');
    expect(await ls(trash)).toEqual([]);
    expect(await ls(staging)).toEqual([`${host}~${process.pid}~0~bbbbbb`, 'otherhost~1~0~cccccc'].sort());
    expect(reopened.manifest.runs).toEqual([entry]);
    expect((await readManifest(dir)).runs).toEqual([entry]);
    expect(await ls(dir)).not.toContain('.project.json.99999.0a1b2c3d.tmp');
    expect((await readManifest(dir)).corpora.map((c) => c.id)).toEqual(['keep']);
  });

  it('cleanup reports what it did and opening read-only touches nothing', async () => {
    const dir = await tempDir();
    const store = await createProject(dir, 'P');
    const junk = path.join(dir, '.trash', 'run~x~abcdef');
    await fs.mkdir(junk, { recursive: true });
    const ro = await openProject(dir, { readOnly: true });
    await expect(fs.access(junk)).resolves.toBeUndefined();
    await expect(ro.withWriteLock(async () => 1)).rejects.toThrow(/opened read-only/);
    expect(await store.cleanup()).toEqual({ removedStaging: 0, removedTrash: 1, restored: [], completed: [] });
  });
});

describe('item files', () => {
  it('readItemJson validates and names the file', async () => {
    const dir = await tempDir();
    const store = await createProject(dir, 'P');
    await store.stageItem('model', 'lm', async (d) => fs.writeFile(path.join(d, 'training.json'), '{"epochs": "ten"}'));
    const { z } = await import('zod');
    const schema = z.object({ epochs: z.number() });
    const msg = await userMessage(store.readItemJson('model', 'lm', 'training.json', schema));
    expect(msg).toBe(`${path.join(dir, 'models', 'lm', 'training.json')}: invalid training.json: epochs: Invalid input: expected number, received string`);
    expect(store.itemFile('run', 'r1')).toBe(path.join(dir, 'runs', 'r1', 'run.json'));
    expect(() => store.itemDir('run', '..')).toThrow(UserError);
  });
});
