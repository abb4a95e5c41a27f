// Shared test helpers: temporary folders and writing small files.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/corpus');

export async function tempDir(prefix = 'mnemo-corpus-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

/** A fresh empty staging folder inside a fresh parent, as the project store would make it. */
export async function stagingDir(): Promise<{ parent: string; out: string }> {
  const parent = await tempDir();
  const out = path.join(parent, 'staging');
  await fs.mkdir(out);
  return { parent, out };
}

export async function writeFile(dir: string, name: string, data: string | Uint8Array): Promise<string> {
  const p = path.join(dir, name);
  await fs.writeFile(p, data);
  return p;
}

/** Every file and folder below `dir`, as sorted relative paths. */
export async function listTree(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true });
  return entries.map(String).sort();
}
