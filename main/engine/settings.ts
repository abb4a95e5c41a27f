// The user's settings file (~/.config/mnemoscope/settings.json, or $XDG_CONFIG_HOME,
// or $MNEMOSCOPE_CONFIG_DIR for tests and portable installs). Read with zod, each bad
// field falling back to its default; written atomically, one change at a time.
import { promises as fs } from 'node:fs';
import os from 'node:os';
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

export function defaultSettingsFile(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MNEMOSCOPE_CONFIG_DIR) return path.join(env.MNEMOSCOPE_CONFIG_DIR, 'settings.json');
  const base = env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'mnemoscope', 'settings.json');
}

export class SettingsStore {
  // Changes are chained so two quick updates in one process never lose one another.
  private tail: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(settings: Settings) => void>();
  private inFlight = 0;

  constructor(readonly file: string = defaultSettingsFile()) {}

  async read(): Promise<SettingsReply> {
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
