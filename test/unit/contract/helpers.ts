// Shared by the contract tests: temporary folders, an engine whose settings live in one,
// and a gate a fake job waits on.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine, type Engine, type EngineOptions } from '../../../main/engine/handlers/create-engine';

export const CORPUS_FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/corpus');

export async function tempDir(prefix = 'mnemo-contract-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

export async function testEngine(options: EngineOptions = {}): Promise<{ engine: Engine; dir: string }> {
  const dir = await tempDir();
  const engine = createEngine({
    settingsFile: path.join(dir, 'config', 'settings.json'),
    ...options,
    jobs: { progressIntervalMs: 0, ...options.jobs },
  });
  return { engine, dir };
}

/** A promise with its resolve exposed: a fake job waits on it, the test opens it. */
export function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** Resolves on the next event the predicate accepts. */
export function nextMatching<T>(subscribe: (listener: (value: T) => void) => () => void, accept: (value: T) => boolean): Promise<T> {
  return new Promise((resolve) => {
    const off = subscribe((value) => {
      if (!accept(value)) return;
      off();
      resolve(value);
    });
  });
}

/** Waits until `check` holds, polling; fails with `what` after `ms`. */
export async function eventually(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
