// The settings file: defaults when absent, one bad field never costs the others, a broken
// file is kept aside when replaced, and writes are atomic and never lose each other.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SettingsStore, defaultSettingsFile, legacySettingsFile, moveLegacySettings } from '../../../main/engine/settings';
import { MAX_RECENT_PROJECTS } from '../../../shared/settings';
import { tempDir } from './helpers';

async function store(content?: string) {
  const dir = await tempDir('mnemo-settings-');
  const file = path.join(dir, 'mnemoscope', 'settings.json');
  if (content !== undefined) {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, content);
  }
  return new SettingsStore(file);
}

describe('settings', () => {
  it('lives under the config folder', () => {
    expect(defaultSettingsFile({ HOME: '/home/ada' })).toMatch(/\.config[/\\]mnemoscope[/\\]settings\.json$/);
    expect(defaultSettingsFile({ XDG_CONFIG_HOME: '/cfg' })).toBe(path.join('/cfg', 'mnemoscope', 'settings.json'));
    expect(defaultSettingsFile({ MNEMOSCOPE_CONFIG_DIR: '/portable' })).toBe(path.join('/portable', 'settings.json'));
  });

  it('says whether a change is being saved, and when every change so far is on disk', async () => {
    const s = await store();
    expect(s.saving).toBe(false);
    const first = s.patch({ theme: 'dark' });
    const second = s.patch({ window: { width: 900, height: 700 } });
    expect(s.saving).toBe(true);
    await s.whenSaved();
    expect(s.saving).toBe(false);
    // both writes are done without awaiting them: the file holds the second change over the first
    const onDisk = JSON.parse(await fs.readFile(s.file, 'utf8'));
    expect(onDisk).toMatchObject({ theme: 'dark', window: { width: 900, height: 700 } });
    await Promise.all([first, second]);
  });

  it('gives the defaults when there is no file yet', async () => {
    const s = await store();
    expect(await s.read()).toEqual({ settings: { recentProjects: [], window: null, theme: 'system' }, file: s.file, problem: null });
  });

  it('keeps the good fields of a file with bad ones', async () => {
    const good = { dir: '/p/a', name: 'A', opened: '2025-01-02T03:04:05.000Z' };
    const s = await store(JSON.stringify({ theme: 'purple', window: { width: 900, height: 700 }, recentProjects: [good, { dir: 3 }], future: 1 }));
    expect(await s.read()).toMatchObject({ settings: { theme: 'system', window: { width: 900, height: 700 }, recentProjects: [good] }, problem: null });
  });

  it('reports a file that is not JSON, shows defaults, and keeps it aside when replaced', async () => {
    const s = await store('{"theme": "dark",');
    const read = await s.read();
    expect(read.settings.theme).toBe('system');
    expect(read.problem).toMatch(/settings\.json: invalid JSON at line 1/);
    expect(await s.patch({ theme: 'dark' })).toMatchObject({ settings: { theme: 'dark' }, problem: null });
    expect(await fs.readFile(`${s.file}.broken`, 'utf8')).toBe('{"theme": "dark",');
    expect(JSON.parse(await fs.readFile(s.file, 'utf8'))).toMatchObject({ theme: 'dark' });
  });

  it('puts a project first in the recent list, once per folder, at most ten', async () => {
    const s = await store();
    for (let i = 0; i < MAX_RECENT_PROJECTS + 2; i++) await s.rememberProject(`/p/${i}`, `P${i}`);
    await s.rememberProject('/p/5', 'P5 renamed');
    const recent = (await s.read()).settings.recentProjects;
    expect(recent).toHaveLength(MAX_RECENT_PROJECTS);
    expect(recent.slice(0, 3).map((r) => [r.dir, r.name])).toEqual([
      ['/p/5', 'P5 renamed'],
      ['/p/11', 'P11'],
      ['/p/10', 'P10'],
    ]);
    expect(recent.filter((r) => r.dir === '/p/5')).toHaveLength(1);
  });

  it('applies concurrent changes one after another, losing none, and leaves no temporary file', async () => {
    const s = await store();
    await Promise.all([s.rememberProject('/a', 'A'), s.patch({ theme: 'light' }), s.rememberProject('/b', 'B'), s.patch({ window: { width: 800, height: 600 } })]);
    const { settings } = await s.read();
    expect(settings.theme).toBe('light');
    expect(settings.window).toEqual({ width: 800, height: 600 });
    expect(settings.recentProjects.map((r) => r.dir)).toEqual(['/b', '/a']);
    expect(await fs.readdir(path.dirname(s.file))).toEqual(['settings.json']);
  });
});

describe('settings folder: each OS\'s convention, and the old place moved on first start', () => {
  const home = '/home/ada';
  it('is the OS\'s settings folder, overridable by environment variables', () => {
    expect(defaultSettingsFile({}, { platform: 'linux', home })).toBe('/home/ada/.config/mnemoscope/settings.json');
    expect(defaultSettingsFile({ XDG_CONFIG_HOME: '/cfg' }, { platform: 'linux', home })).toBe('/cfg/mnemoscope/settings.json');
    expect(defaultSettingsFile({}, { platform: 'darwin', home })).toBe('/home/ada/Library/Application Support/Mnemoscope/settings.json');
    expect(defaultSettingsFile({ APPDATA: '/appdata' }, { platform: 'win32', home })).toBe(path.join('/appdata', 'Mnemoscope', 'settings.json'));
    expect(defaultSettingsFile({ MNEMOSCOPE_CONFIG_DIR: '/portable' }, { platform: 'darwin', home })).toBe(path.join(path.resolve('/portable'), 'settings.json'));
    // The old place (~/.config/mnemoscope on every OS) differs from the new one only off Linux.
    expect(legacySettingsFile({}, { platform: 'linux', home })).toBeNull();
    expect(legacySettingsFile({}, { platform: 'darwin', home })).toBe('/home/ada/.config/mnemoscope/settings.json');
    expect(legacySettingsFile({ XDG_CONFIG_HOME: '/cfg' }, { platform: 'win32', home })).toBe('/cfg/mnemoscope/settings.json');
    expect(legacySettingsFile({ MNEMOSCOPE_CONFIG_DIR: '/portable' }, { platform: 'darwin', home })).toBeNull();
  });

  it('with a temporary HOME: settings at the old place are moved to the new one and read from there', async () => {
    const tmpHome = await tempDir('mnemo-home-');
    const saved = { HOME: process.env.HOME, XDG: process.env.XDG_CONFIG_HOME, CFG: process.env.MNEMOSCOPE_CONFIG_DIR };
    process.env.HOME = tmpHome;
    delete process.env.XDG_CONFIG_HOME;
    delete process.env.MNEMOSCOPE_CONFIG_DIR;
    try {
      // As on macOS: the new folder is under ~/Library, the old one ~/.config/mnemoscope.
      const file = defaultSettingsFile(process.env, { platform: 'darwin' });
      const legacyFile = legacySettingsFile(process.env, { platform: 'darwin' });
      expect(file).toBe(path.join(tmpHome, 'Library', 'Application Support', 'Mnemoscope', 'settings.json'));
      expect(legacyFile).toBe(path.join(tmpHome, '.config', 'mnemoscope', 'settings.json'));
      const old = { recentProjects: [{ dir: '/p/one', name: 'One', opened: '2026-01-02T03:04:05.000Z' }], window: null, theme: 'dark' };
      await fs.mkdir(path.dirname(legacyFile!), { recursive: true });
      await fs.writeFile(legacyFile!, JSON.stringify(old));

      const s = new SettingsStore(file, { legacyFile });
      const first = await s.read();
      expect(first.problem).toBeNull();
      expect(first.settings).toMatchObject({ theme: 'dark', recentProjects: [{ dir: '/p/one', name: 'One' }] });
      expect(JSON.parse(await fs.readFile(file, 'utf8'))).toEqual(old);
      await expect(fs.access(legacyFile!)).rejects.toThrow(/ENOENT/);
      await expect(fs.access(path.dirname(legacyFile!))).rejects.toThrow(/ENOENT/); // the emptied folder too

      // A change is saved at the new place; a later store finds it there.
      await s.patch({ theme: 'light' });
      expect((await new SettingsStore(file, { legacyFile }).read()).settings.theme).toBe('light');
    } finally {
      for (const [k, v] of [['HOME', saved.HOME], ['XDG_CONFIG_HOME', saved.XDG], ['MNEMOSCOPE_CONFIG_DIR', saved.CFG]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('never replaces settings already at the new place, and leaves an unreadable old file alone', async () => {
    const dir = await tempDir('mnemo-move-');
    const from = path.join(dir, 'old', 'settings.json');
    const to = path.join(dir, 'new', 'settings.json');
    await fs.mkdir(path.dirname(from), { recursive: true });
    await fs.mkdir(path.dirname(to), { recursive: true });
    await fs.writeFile(from, '{"theme":"dark"}');
    await fs.writeFile(to, '{"theme":"light"}');
    expect(await moveLegacySettings(from, to)).toBe(false);
    expect(await fs.readFile(to, 'utf8')).toBe('{"theme":"light"}');
    expect(await fs.readFile(from, 'utf8')).toBe('{"theme":"dark"}');

    await fs.rm(to);
    await fs.rm(from);
    await fs.mkdir(from); // a folder where the file should be: not a settings file
    expect(await moveLegacySettings(from, to)).toBe(false);
    await expect(fs.access(to)).rejects.toThrow(/ENOENT/);
    expect(await moveLegacySettings(path.join(dir, 'none.json'), to)).toBe(false);
  });
});
