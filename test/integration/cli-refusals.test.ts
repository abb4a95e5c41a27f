// Issue 10, defects 3–5, through the real `mnemoscope` command: each repro is a one-line
// user error (exit 1) with the project unchanged — a FIFO as model.json or corpus file is
// refused at once, `--ratio 1e308:1:1` saves nothing, and `--hidden`/`--emb 999999999` say
// how much memory the model would need instead of an internal error (exit 2).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mnemoscope, root } from './cli-run';
import { hasFifos, makeFifo, releaseFifos } from '../unit/project/fifo';

const stats = (s: string) => path.join(root, 'test', 'fixtures', 'corpus', 'stats', `${s}.txt`);

let tmp: string;
let project: string;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'mnemoscope-refusals-'));
  project = path.join(tmp, 'proj');
  expect(mnemoscope('project', 'create', '--project', project, '--name', 'Refusals').code).toBe(0);
  const added = mnemoscope('corpus', 'add', '--project', project, '--id', 'tiny', '--train', stats('train'), '--valid', stats('valid'), '--test', stats('test'));
  expect(added.code, added.stderr).toBe(0);
});
afterEach(releaseFifos);
afterAll(async () => {
  releaseFifos();
  await fs.rm(tmp, { recursive: true, force: true });
});

async function projectFiles(): Promise<string> {
  return fs.readFile(path.join(project, 'project.json'), 'utf8');
}

describe('mnemoscope refuses what it cannot use, with exit 1 and the project unchanged', () => {
  it.runIf(hasFifos)('a FIFO as the model.json of model import, or as a corpus file', async () => {
    const before = await projectFiles();
    const fifo = makeFifo(path.join(tmp, 'model.json'));
    const started = Date.now();
    const r = mnemoscope('model', 'import', '--project', project, '--tfjs', fifo, '--vocab', stats('train'), '--id', 'm');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`${fifo}: is a FIFO (named pipe), not a regular file`);
    expect(r.stderr).not.toMatch(/internal error|please report/i);
    const corpusFifo = makeFifo(path.join(tmp, 'corpus.txt'));
    const c = mnemoscope('corpus', 'add', '--project', project, '--id', 'piped', '--file', corpusFifo);
    expect(c.code, c.stderr).toBe(1);
    expect(c.stderr).toContain(`${corpusFifo}: is a FIFO (named pipe), not a regular file`);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(await projectFiles()).toBe(before);
  });

  it('corpus add --ratio 1e308:1:1', async () => {
    const before = await projectFiles();
    const file = path.join(tmp, 'sentences.txt');
    await fs.writeFile(file, Array.from({ length: 20 }, (_, i) => `line ${i} of text`).join('\n') + '\n');
    const r = mnemoscope('corpus', 'add', '--project', project, '--id', 'skewed', '--file', file, '--ratio', '1e308:1:1');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/20 sentences cut 1e\+308:1:1 leave the valid split empty/);
    expect(await projectFiles()).toBe(before);
    await expect(fs.stat(path.join(project, 'corpora', 'skewed'))).rejects.toThrow(/ENOENT/);
  });

  it('train --hidden 999999999 and --emb 999999999', async () => {
    const before = await projectFiles();
    for (const [flag, id] of [['--hidden', 'tall'], ['--emb', 'wide']]) {
      const r = mnemoscope('train', '--project', project, '--corpus', 'tiny', '--id', id, flag, '999999999', '--epochs', '1', '--batch', '1', '--backend', 'wasm');
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/needs about .+ to train; the wasm backend has 4 GiB per worker and this machine .+ GiB: choose smaller sizes/);
      expect(r.stderr).not.toMatch(/Invalid typed array length|internal error|please report/i);
    }
    expect(await projectFiles()).toBe(before);
  });
});
