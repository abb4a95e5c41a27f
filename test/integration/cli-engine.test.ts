// Issue 12: the CLI's project, corpus and model commands are clients of the engine's API
// (`createEngine().api`, its jobs and procedures), like the app and the WebSocket. Two proofs
// through the real `mnemoscope` command: a file-system error the engine classifies (a project
// path under a file: ENOTDIR) is a one-line user error, exit 1, where the commands that
// opened the project themselves called it an internal error (exit 2); and the --json outputs
// keep the keys, in order, that they had before the move (cli-json-shapes.json, recorded from
// the commands as they were, on the same fixture and options).
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, mnemoscope, root } from './cli-run';
import recorded from './cli-json-shapes.json';

const stats = (s: string) => path.join(root, 'test', 'fixtures', 'corpus', 'stats', `${s}.txt`);

let tmp: string;
let project: string;
let underFile: string;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'mnemoscope-cli-engine-'));
  project = path.join(tmp, 'proj');
  await fs.writeFile(path.join(tmp, 'a-file'), 'not a folder\n');
  underFile = path.join(tmp, 'a-file', 'proj');
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

/** Every key path of a JSON value in order; an array by its first element; backend versions not looked into. */
function keyPaths(v: unknown, prefix = '', out: string[] = []): string[] {
  if (Array.isArray(v)) {
    if (v.length) keyPaths(v[0], `${prefix}[].`, out);
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.push(prefix + k);
      if (!(prefix + k).endsWith('backend.versions')) keyPaths(x, `${prefix}${k}.`, out);
    }
  }
  return out;
}

/** Runs a command with --json: exit 0 and the key paths of its one JSON line are the recorded ones. */
function sameShape(name: keyof typeof recorded, ...args: string[]): Record<string, unknown> {
  const r = mnemoscope(...args, '--json');
  expect(r.code, r.stderr).toBe(0);
  const lines = r.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  const json = JSON.parse(lines[0]) as Record<string, unknown>;
  expect(keyPaths(json), name).toEqual(recorded[name]);
  return json;
}

describe('the CLI through the engine: --json shapes as before', () => {
  it('project show, corpus add/show, train, model show/import, eval, project delete-model', () => {
    expect(mnemoscope('project', 'create', '--project', project, '--name', 'Shapes').code).toBe(0);
    sameShape('corpus-add', 'corpus', 'add', '--project', project, '--id', 'tiny', '--train', stats('train'), '--valid', stats('valid'), '--test', stats('test'));
    sameShape('corpus-show', 'corpus', 'show', '--project', project, '--id', 'tiny');
    const trained = sameShape(
      'train', 'train', '--project', project, '--corpus', 'tiny', '--id', 'm', '--epochs', '1', '--emb', '8', '--hidden', '16',
      '--vocab', '50', '--batch', '2', '--bptt', '10', '--backend', 'wasm',
    );
    expect(trained.model).toMatchObject({ id: 'm', dir: path.join(project, 'models', 'm'), checkpointSaved: true, cancelled: false });
    sameShape('model-show', 'model', 'show', '--project', project, '--id', 'm');
    const evaluated = sameShape('eval', 'eval', '--project', project, '--model', 'm', '--corpus', 'tiny', '--batch', '2');
    expect(evaluated.evaluation).toMatchObject({ model: 'm', corpus: 'tiny', split: 'test', modelDir: path.join(project, 'models', 'm') });
    const m = path.join(project, 'models', 'm');
    sameShape('model-import', 'model', 'import', '--project', project, '--tfjs', path.join(m, 'model.json'), '--vocab', path.join(m, 'vocab.json'), '--id', 'm2');
    sameShape('project-show', 'project', 'show', '--project', project);
    sameShape('delete', 'project', 'delete-model', '--project', project, '--id', 'm2');
  });
});

describe('corpus add: what the app could already set', () => {
  it('--tagset and --stats-vocab reach the import-corpus job', () => {
    const r = mnemoscope(
      'corpus', 'add', '--project', project, '--id', 'tagged', '--train', stats('train'), '--valid', stats('valid'), '--test', stats('test'),
      '--tagset', 'none', '--stats-vocab', '5', '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, corpus: { id: 'tagged', tagset: 'none', stats: { vocabSize: 5 } } });
    const bad = mnemoscope('corpus', 'add', '--project', project, '--id', 'x', '--builtin', 'brown', '--tagset', 'klingon');
    expect(bad.code).toBe(1);
  });
});

/** `mnemoscope <args>`, sent SIGINT (Ctrl-C) once its stderr matches `when`. */
function interrupted(args: string[], when: RegExp): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      if (!sent && when.test(stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the CLI through the engine: train cancelled by Ctrl-C', () => {
  it('keeps the best checkpoint, exits 1 and says which epoch was kept', async () => {
    const r = await interrupted(
      ['train', '--project', project, '--corpus', 'tiny', '--id', 'stopped', '--epochs', '500', '--emb', '8', '--hidden', '16', '--vocab', '50', '--batch', '2', '--bptt', '10', '--backend', 'wasm', '--json'],
      /epoch 1\/500 done: /,
    );
    expect(r.code, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout.trim()) as { ok: boolean; error: { kind: string; message: string } };
    expect(out).toMatchObject({ ok: false, error: { kind: 'cancelled' } });
    expect(out.error.message).toMatch(/^training cancelled; the best checkpoint so far was kept: model 'stopped': best valid perplexity [\d.]+ at epoch \d+, /);
    const shown = mnemoscope('model', 'show', '--project', project, '--id', 'stopped');
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('(training was cancelled; the best checkpoint was kept)');
  });
});

describe('the CLI through the engine: a project path under a file (ENOTDIR) is a user error', () => {
  const commands: Record<string, () => string[]> = {
    'corpus add': () => ['corpus', 'add', '--project', underFile, '--id', 'c', '--train', stats('train'), '--valid', stats('valid'), '--test', stats('test')],
    'corpus show': () => ['corpus', 'show', '--project', underFile, '--id', 'c'],
    train: () => ['train', '--project', underFile, '--corpus', 'c', '--id', 'm', '--epochs', '1'],
    'model import': () => ['model', 'import', '--project', underFile, '--tfjs', stats('train'), '--vocab', stats('train'), '--id', 'm'],
    'model show': () => ['model', 'show', '--project', underFile, '--id', 'm'],
    eval: () => ['eval', '--project', underFile, '--model', 'm', '--corpus', 'c'],
    'project delete-corpus': () => ['project', 'delete-corpus', '--project', underFile, '--id', 'c'],
    'project delete-model': () => ['project', 'delete-model', '--project', underFile, '--id', 'm'],
    'project delete-run': () => ['project', 'delete-run', '--project', underFile, '--id', 'r'],
  };
  for (const [name, args] of Object.entries(commands)) {
    it(`${name}: exit 1, one line naming the path`, () => {
      const r = mnemoscope(...args());
      expect(r.code, r.stderr).toBe(1);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^mnemoscope: ENOTDIR\b.*a-file/);
      expect(r.stderr).not.toMatch(/internal error|please report/i);
      const json = mnemoscope(...args(), '--json');
      expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { kind: 'user' } });
    });
  }
});
