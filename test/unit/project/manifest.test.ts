import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { locateJsonError } from '../../../main/engine/project/json-error';
import { parseJsonText, readJsonFile } from '../../../main/engine/project/read-json';
import { upgradeManifest } from '../../../main/engine/project/manifest';
import { createProject, openProject } from '../../../main/engine/project/project-store';
import { UserError } from '../../../main/engine/errors';
import { ProjectManifestSchema } from '../../../shared/schemas/project';
import { tempDir } from './helpers/temp-dirs';

async function messageOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error('expected a UserError');
}

describe('JSON syntax errors', () => {
  it('name the line and column', () => {
    expect(locateJsonError('{\n  "a": tru\n}')).toMatchObject({ line: 2, column: 11 });
    expect(locateJsonError('{"a": 1')).toMatchObject({ line: 1, column: 8, reason: 'unexpected end of file' });
    expect(locateJsonError('[1,2,,]').reason).toMatch(/unexpected character ","/);
    expect(locateJsonError('{"a":1} x').reason).toMatch(/after the end/);
    expect(locateJsonError("{'a': 1}").reason).toMatch(/double quotes/);
    expect(locateJsonError('"tab\there"').reason).toMatch(/control character/);
  });

  it('every truncation of a valid JSON text is located inside the text', () => {
    fc.assert(
      fc.property(fc.json(), fc.nat(), (text, cut) => {
        const t = text.slice(0, cut % (text.length + 1));
        let valid = true;
        try {
          JSON.parse(t);
        } catch {
          valid = false;
        }
        fc.pre(!valid);
        const at = locateJsonError(t);
        expect(at.offset).toBeGreaterThanOrEqual(0);
        expect(at.offset).toBeLessThanOrEqual(t.length);
        expect(at.line).toBe(t.slice(0, at.offset).split('\n').length);
      }),
      { numRuns: 200 },
    );
  });

  it('parseJsonText reports the file, tolerates a BOM and calls an empty file empty', () => {
    expect(parseJsonText('f.json', '\ufeff{"a":1}')).toEqual({ a: 1 });
    expect(() => parseJsonText('f.json', '  \n')).toThrow('f.json: file is empty (expected JSON)');
    expect(() => parseJsonText('dir/f.json', '{"a": [1, 2}')).toThrow(
      /^dir\/f\.json: invalid JSON at line 1, column 12: expected ',' or '\]'/,
    );
  });

  it('readJsonFile reports missing files and schema errors with the field path', async () => {
    const dir = await tempDir();
    const f = path.join(dir, 'project.json');
    expect(await messageOf(readJsonFile(f, ProjectManifestSchema, 'project manifest'))).toBe(
      `${f}: project manifest not found`,
    );
  });
});

const v1 = {
  schemaVersion: 1,
  app: 'mnemoscope',
  name: 'P',
  created: '2025-01-02T03:04:05.000Z',
  modified: '2025-01-02T03:04:05.000Z',
  corpora: [{ id: 'brown', name: 'Brown', created: '2025-01-02T03:04:05.000Z' }],
  models: [],
  runs: [],
};

describe('manifest versions', () => {
  it('reads the current version unchanged', () => {
    expect(upgradeManifest('p.json', v1)).toEqual({ manifest: v1 });
  });

  it('migrates the pre-release v0 format (datasets, no modified)', () => {
    const v0 = {
      schemaVersion: 0,
      app: 'mnemoscope',
      name: 'Old',
      created: '2024-05-06T07:08:09.000Z',
      datasets: [{ id: 'ptb', name: 'PTB', created: '2024-05-06T07:08:09.000Z' }],
      models: [{ id: 'm1', name: 'm1', created: '2024-05-06T07:08:09.000Z' }],
      runs: [],
    };
    const { manifest, migratedFrom } = upgradeManifest('p.json', v0);
    expect(migratedFrom).toBe(0);
    expect(manifest).toEqual({
      schemaVersion: 1,
      app: 'mnemoscope',
      name: 'Old',
      created: v0.created,
      modified: v0.created,
      corpora: v0.datasets,
      models: v0.models,
      runs: [],
    });
    expect(manifest).not.toHaveProperty('datasets');
  });

  it('validates an old version against its own schema before migrating', () => {
    const bad = { schemaVersion: 0, app: 'mnemoscope', name: 'Old', created: 'yesterday', datasets: [], models: [], runs: [] };
    expect(() => upgradeManifest('p.json', bad)).toThrow(/^p\.json: invalid project manifest \(schema version 0\): created:/);
  });

  it('refuses a newer version, naming it and saying to upgrade', () => {
    expect(() => upgradeManifest('p.json', { ...v1, schemaVersion: 7, corpora: 'whatever' })).toThrow(
      /p\.json: project schema version 7 was written by a newer Mnemoscope; this version reads up to schema version 1\. Upgrade Mnemoscope/,
    );
  });

  it('refuses a version with no migration and files that are not ours', () => {
    expect(() => upgradeManifest('p.json', v1, {})).not.toThrow();
    expect(() => upgradeManifest('p.json', { ...v1, schemaVersion: 0 }, {})).toThrow(/schema version 0 is not supported/);
    expect(() => upgradeManifest('p.json', { ...v1, app: 'other' })).toThrow(/app: is not 'mnemoscope'/);
    expect(() => upgradeManifest('p.json', [1, 2])).toThrow(/p\.json: invalid project manifest: \(top level\)/);
  });

  it('reports duplicate and invalid ids with their field paths', () => {
    const dup = { ...v1, corpora: [v1.corpora[0], v1.corpora[0]] };
    expect(() => upgradeManifest('p.json', dup)).toThrow(/corpora\[1\]\.id: duplicate id 'brown'/);
    const badId = { ...v1, runs: [{ id: '../x', name: 'x', created: v1.created }] };
    expect(() => upgradeManifest('p.json', badId)).toThrow(/runs\[0\]\.id: must be 1-64 characters/);
  });
});

describe('a corrupted project.json', () => {
  async function projectWith(text: string): Promise<{ dir: string; file: string }> {
    const dir = await tempDir();
    await createProject(dir, 'P');
    const file = path.join(dir, 'project.json');
    await fs.writeFile(file, text);
    return { dir, file };
  }

  it('truncated JSON: error names the file and the position', async () => {
    const full = JSON.stringify(v1, null, 2);
    const { dir, file } = await projectWith(full.slice(0, 80));
    const msg = await messageOf(openProject(dir));
    expect(msg).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: invalid JSON at line \\d+, column \\d+: unexpected end of file`));
  });

  it('wrong types: error names the file and the fields', async () => {
    const { dir, file } = await projectWith(JSON.stringify({ ...v1, name: 42, models: {} }));
    const msg = await messageOf(openProject(dir));
    expect(msg.startsWith(`${file}: invalid project manifest: `)).toBe(true);
    expect(msg).toMatch(/name: .*string/);
    expect(msg).toMatch(/models: .*array/);
  });

  it('a newer project is refused on open', async () => {
    const { dir } = await projectWith(JSON.stringify({ ...v1, schemaVersion: 2 }));
    expect(await messageOf(openProject(dir))).toMatch(/schema version 2 .*Upgrade Mnemoscope/);
  });

  it('a v0 project opens and is saved as v1 on the next write', async () => {
    const { corpora, modified: _m, schemaVersion: _s, ...rest } = v1;
    const { dir, file } = await projectWith(JSON.stringify({ ...rest, schemaVersion: 0, datasets: corpora }));
    const store = await openProject(dir);
    expect(store.manifest.corpora.map((c) => c.id)).toEqual(['brown']);
    expect(JSON.parse(await fs.readFile(file, 'utf8')).schemaVersion).toBe(0); // opening alone does not rewrite
    await store.rename('Renamed');
    const onDisk = JSON.parse(await fs.readFile(file, 'utf8'));
    expect(onDisk).toMatchObject({ schemaVersion: 1, name: 'Renamed', corpora });
    expect(onDisk).not.toHaveProperty('datasets');
  });
});
