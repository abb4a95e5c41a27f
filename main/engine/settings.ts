// The user's settings file, settings.json in the settings folder of user-folders.ts (each OS's
// convention, or $MNEMOSCOPE_CONFIG_DIR for tests and portable installs). A file found where
// older versions kept it (~/.config/mnemoscope on every OS) is moved here on first read.
// Read with zod, each bad field falling back to its default; written atomically, one change at a time.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  DEFAULT_SETTINGS,
  MAX_RECENT_PROJECTS,
  SettingsSchema,
  type Settings,
  type SettingsPatch,
  type SettingsReply,
} from '../../shared/settings';
import { writeJsonAtomic } from './project/atomic-write';
import { parseJsonText, validateJson } from './project/read-json';
import { MAX_TEXT_FILE_BYTES, readRegularFile, readRegularTextFile } from './project/safe-open';
import { legacyConfigDir, userConfigDir, type FolderContext } from './user-folders';

const SETTINGS_FILE = 'settings.json';

export function defaultSettingsFile(env: NodeJS.ProcessEnv = process.env, context: Omit<FolderContext, 'env'> = {}): string {
  return path.join(userConfigDir({ ...context, env }), SETTINGS_FILE);
}

/** Where older versions kept the settings, when that differs from defaultSettingsFile(); else null. */
export function legacySettingsFile(env: NodeJS.ProcessEnv = process.env, context: Omit<FolderContext, 'env'> = {}): string | null {
  const dir = legacyConfigDir({ ...context, env });
  return dir === null ? null : path.join(dir, SETTINGS_FILE);
}

/**
 * Moves the settings file `from` (the old place) to `to` when only the old one exists: copied
 * first (never over a file that appeared meanwhile), then removed, with its folder when that
 * is left empty. True when it moved one; an old file that cannot be read stays where it is.
 */
export async function moveLegacySettings(from: string, to: string): Promise<boolean> {
  if (await fs.lstat(to).then(() => true, () => false)) return false;
  const bytes = await readRegularFile(from, { what: 'settings file', maxBytes: MAX_TEXT_FILE_BYTES }).catch(() => null);
  if (bytes === null) return false;
  await fs.mkdir(path.dirname(to), { recursive: true });
  try {
    await fs.writeFile(to, bytes, { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  await fs.rm(from, { force: true });
  await fs.rmdir(path.dirname(from)).catch(() => undefined); // only when empty
  return true;
}

export interface SettingsStoreOptions {
  /** a settings file of an older version to move to `file` on first read (default: legacySettingsFile() for the default file) */
  legacyFile?: string | null;
}

export class SettingsStore {
  // Changes are chained so two quick updates in one process never lose one another.
  private tail: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(settings: Settings) => void>();
  private inFlight = 0;
  private readonly legacyFile: string | null;
  private moved: Promise<unknown> | null = null;

  constructor(
    readonly file: string = defaultSettingsFile(),
    options: SettingsStoreOptions = {},
  ) {
    this.legacyFile = options.legacyFile !== undefined ? options.legacyFile : file === defaultSettingsFile() ? legacySettingsFile() : null;
  }

  async read(): Promise<SettingsReply> {
    // Once per store: settings left at the old place are moved before anything is read or written.
    if (this.legacyFile !== null) this.moved ??= moveLegacySettings(this.legacyFile, this.file).catch(() => false);
    await this.moved;
    let text: string;
    try {
      text = await readRegularTextFile(this.file, { what: 'settings file' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return this.reply(DEFAULT_SETTINGS, null);
      return this.reply(DEFAULT_SETTINGS, (err as Error).message);
    }
    try {
      return this.reply(validateJson(this.file, parseJsonText(this.file, text), SettingsSchema, 'settings'), null);
    } catch (err) {
      return this.reply(DEFAULT_SETTINGS, (err as Error).message);
    }
  }

  /** Apply `change` to the settings on disk and save the result. */
  update(change: (current: Settings) => Settings): Promise<SettingsReply> {
    const run = async () => {
      const current = await this.read();
      if (current.problem !== null) await this.keepBrokenCopy();
      const next = SettingsSchema.parse(change(current.settings));
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      await writeJsonAtomic(this.file, next);
      this.notify(next);
      return this.reply(next, null);
    };
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    this.inFlight++;
    void this.tail.then(() => this.inFlight--);
    return result;
  }

  /** True while a change is being saved (the Electron app does not quit before it is on disk). */
  get saving(): boolean {
    return this.inFlight > 0;
  }

  /** Resolves when every change started so far is saved or has failed. */
  async whenSaved(): Promise<void> {
    await this.tail;
  }

  /**
   * Called with the settings after each change this store saved (not changes made by other
   * processes); returns the function that stops it. The Electron menu's recent list uses it.
   */
  onChange(listener: (settings: Settings) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  patch(patch: SettingsPatch): Promise<SettingsReply> {
    return this.update((s) => ({
      recentProjects: patch.recentProjects ?? s.recentProjects,
      window: patch.window !== undefined ? patch.window : s.window,
      theme: patch.theme ?? s.theme,
    }));
  }

  /** Put a project first in the recent list (one entry per folder). */
  rememberProject(dir: string, name: string): Promise<SettingsReply> {
    return this.update((s) => ({
      ...s,
      recentProjects: [{ dir, name, opened: new Date().toISOString() }, ...s.recentProjects.filter((r) => r.dir !== dir)].slice(
        0,
        MAX_RECENT_PROJECTS,
      ),
    }));
  }

  // The change is saved whatever a listener does: its failure is its own.
  private notify(settings: Settings): void {
    for (const listener of this.listeners) {
      try {
        listener(settings);
      } catch {
        // ignored
      }
    }
  }

  private reply(settings: Settings, problem: string | null): SettingsReply {
    return { settings, file: this.file, problem };
  }

  // A file we could not read is kept beside the new one, so a hand edit is not lost for good.
  private async keepBrokenCopy(): Promise<void> {
    // Read as every file is (never blocking: a FIFO here would hang a copy), then written.
    const bytes = await readRegularFile(this.file, { what: 'settings file', maxBytes: MAX_TEXT_FILE_BYTES }).catch(() => null);
    if (bytes) await fs.writeFile(`${this.file}.broken`, bytes).catch(() => undefined);
  }
}
