// Fields added to project.json by hand (a top-level `notes`, a `comment` on an item entry)
// are kept through every write the store makes, and shown by projectInfo: issue 10, defect 7.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProject, openProject } from '../../../main/engine/project';
import { upgradeManifest } from '../../../main/engine/project/manifest';
import { createEngine } from '../../../main/engine/handlers/create-engine';
import { tempDir } from './helpers/temp-dirs';

const readJson = async (file: string) => JSON.parse(await fs.readFile(file, 'utf8'));

async function projectWithHandAddedFields(): Promise<{ dir: string; file: string }> {
  const dir = path.join(await tempDir(), 'p');
  const store = await createProject(dir, 'Kept');
  for (const id of ['r1', 'r2']) await store.stageItem('run', id, async (d) => fs.writeFile(path.join(d, 'run.json'), '{}'));
  await store.stageItem('model', 'lm', async (d) => fs.writeFile(path.join(d, 'training.json'), '{}'));
  const file = path.join(dir, 'project.json');
  const m = await readJson(file);
  m.notes = 'pilot study: do not delete r1';
  m.reviewed = { by: 'ana', on: '2026-01-02' };
  m.runs[0].comment = 'the good one';
  m.models[0].tags = ['baseline'];
  await fs.writeFile(file, JSON.stringify(m, null, 2));
  return { dir, file };
}

describe('hand-added fields in project.json', () => {
  it('are kept when an item is added, deleted, and when the project is renamed', async () => {
    const { dir, file } = await projectWithHandAddedFields();
    const store = await openProject(dir);

    await store.stageItem('corpus', 'c2', async (d) => fs.writeFile(path.join(d, 'corpus.json'), '{}'));
    let m = await readJson(file);
    expect(m.corpora.map((e: { id: string }) => e.id)).toEqual(['c2']);
    expect(m.notes).toBe('pilot study: do not delete r1');
    expect(m.reviewed).toEqual({ by: 'ana', on: '2026-01-02' });
    expect(m.runs[0]).toMatchObject({ id: 'r1', comment: 'the good one' });
    expect(m.models[0]).toMatchObject({ id: 'lm', tags: ['baseline'] });

    await store.deleteItem('run', 'r2');
    await store.rename('Kept, renamed');
    m = await readJson(file);
    expect(m).toMatchObject({ name: 'Kept, renamed', notes: 'pilot study: do not delete r1', reviewed: { by: 'ana' } });
    expect(m.runs).toEqual([expect.objectContaining({ id: 'r1', comment: 'the good one' })]);
    expect(m.models[0].tags).toEqual(['baseline']);
  });

  it('are kept by writes through the engine, and shown by projectInfo and runList', async () => {
    const { dir, file } = await projectWithHandAddedFields();
    const engine = createEngine({ settingsFile: path.join(await tempDir(), 'settings.json') });
    try {
      expect(await engine.api.modelDelete({ project: dir, id: 'lm' })).toEqual({ deleted: 'lm' });
      const m = await readJson(file);
      expect(m.models).toEqual([]);
      expect(m.notes).toBe('pilot study: do not delete r1');
      expect(m.runs[0].comment).toBe('the good one');
      const info = await engine.api.projectInfo({ project: dir });
      expect(info.manifest).toMatchObject({ notes: 'pilot study: do not delete r1' });
      expect((await engine.api.runList({ project: dir }))[0]).toMatchObject({ id: 'r1', comment: 'the good one' });
    } finally {
      await engine.close();
    }
  });

  it('are kept by the migration from schema version 0', () => {
    const v0 = {
      schemaVersion: 0,
      app: 'mnemoscope',
      name: 'old',
      created: '2025-01-01T00:00:00.000Z',
      notes: 'from 2025',
      datasets: [{ id: 'd', name: 'd', created: '2025-01-01T00:00:00.000Z', comment: 'first corpus' }],
      models: [],
      runs: [],
    };
    const { manifest } = upgradeManifest('/p/project.json', v0);
    expect(manifest).toMatchObject({ schemaVersion: 1, notes: 'from 2025', corpora: [{ id: 'd', comment: 'first corpus' }] });
  });

  it('do not make a broken manifest valid: the known fields are still checked', async () => {
    const { dir, file } = await projectWithHandAddedFields();
    const m = await readJson(file);
    m.runs[0].created = 'yesterday';
    await fs.writeFile(file, JSON.stringify(m));
    await expect(openProject(dir)).rejects.toThrow(/runs\[0\]\.created/);
  });
});
