// The real `mnemoscope` command run as a child process (bundled CLI, rebuilt first when a
// source is newer), stdout and stderr piped: stderr is not a terminal, as in a log.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const bin = path.join(root, 'main', 'cli', 'mnemoscope.mjs');

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `mnemoscope <args>`, waited for (at most 5 minutes). */
export function mnemoscope(...args: string[]): Ran {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: root, timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
