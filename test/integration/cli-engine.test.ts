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
    const created = sameShape('project-create', 'project', 'create', '--project', project, '--name', 'Shapes');
    expect(created).toMatchObject({ project, manifest: { name: 'Shapes' } });
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

describe('the CLI through the engine: runs, info and the demo, --json shapes as before', () => {
  /** A small sweep of the trained model, as run `id`. */
  const sweep = (id: string, ...more: string[]) => [
    'analyze', '--project', project, '--model', 'm', '--corpus', 'tiny', '--max-delay', '3', '--streams', '2', '--workers', '1', '--id', id, ...more,
  ];

  it('analyze (whole and sharded), merge, findings, export', async () => {
    const whole = sameShape('analyze', ...sweep('r'));
    expect(whole.run).toMatchObject({ id: 'r', dir: path.join(project, 'runs', 'r'), model: 'm', corpus: 'tiny' });
    const shard = sameShape('analyze-shard', ...sweep('s1', '--shard', '1/2'));
    expect(shard.run).toMatchObject({ id: 's1', partial: { shard: { index: 1, count: 2 }, firstStream: 0, streams: 1 } });
    expect(mnemoscope(...sweep('s2', '--shard', '2/2')).code).toBe(0);
    const merged = sameShape('merge', 'merge', '--project', project, '--runs', 's2,s1', '--id', 'merged');
    expect(merged.shards).toEqual(['s1', 's2']);
    // The merged run is the whole sweep's: the same σ₁ at every delay.
    const sigma1 = (j: Record<string, unknown>) => (j.run as { summary: { delays: { sigma1: number }[] } }).summary.delays.map((d) => d.sigma1);
    expect(sigma1(merged)).toEqual(sigma1(whole));
    sameShape('findings', 'findings', '--project', project, '--run', 'r');
    const out = path.join(tmp, 'r.csv');
    const exported = sameShape('export', 'export', '--project', project, '--run', 'r', '--format', 'csv', '--out', out);
    expect(exported.export).toMatchObject({ run: 'r', format: 'csv', out, target: out, rows: 4 });
    expect((await fs.readFile(out, 'utf8')).trimEnd().split('\n')).toHaveLength(1 + 4);
  });

  it('the text of analyze: the table, and for a shard the partial run and how to merge it', () => {
    const table = mnemoscope(...sweep('r-text'));
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^ {2}τ {2}σ₁ ± SE/m);
    expect(table.stdout).toContain(`saved run 'r-text' in ${path.join(project, 'runs', 'r-text')}`);
    // A complete run's warnings are in its table, not printed twice on stderr.
    for (const w of table.stdout.split('\n').filter((l) => l.startsWith('warning: '))) expect(table.stderr).not.toContain(w);
    const part = mnemoscope(...sweep('s-text', '--shard', '2/2'));
    expect(part.code, part.stderr).toBe(0);
    expect(part.stdout).toContain("saved partial run 's-text' (shard 2/2: streams 1..1 of 2, ");
    expect(part.stdout).toContain('when all 2 shards are swept: mnemoscope merge');
    const again = mnemoscope(...sweep('r-text'));
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^mnemoscope: The project already has a run 'r-text'/);
  });

  it('synthetic: the benchmark as a job, its result as before; --check turns a failed verdict into exit 1', () => {
    const bench = ['synthetic', '--project', project, '--span', '3', '--sentences', '100', '--epochs', '1', '--emb', '4', '--hidden', '8', '--backend', 'wasm'];
    const result = sameShape('synthetic', ...bench, '--id', 'syn');
    const syn = result.synthetic as { id: string; runDir: string; spec: { span: number }; verdict: { passed: boolean } };
    expect(syn).toMatchObject({ id: 'syn', runDir: path.join(project, 'runs', 'syn'), spec: { span: 3 } });
    // One epoch on 100 episodes learns nothing: the verdict fails, and only --check says so in the exit code.
    expect(syn.verdict.passed).toBe(false);
    const checked = mnemoscope(...bench, '--id', 'syn-check', '--check');
    expect(checked.code).toBe(1);
    // The job's log lines (one per finished step) reach stderr, the report stdout.
    expect(checked.stderr).toMatch(/^corpus 'syn-check': 100\/\d+\/\d+ episodes, K = 3/m);
    expect(checked.stderr).toMatch(/^model 'syn-check': valid perplexity [\d.]+ after 1 epochs/m);
    expect(checked.stdout).toContain("synthetic benchmark 'syn-check': K = 3");
  });

  it('info: the engine, its backend and the machine; an unknown backend is a user error', () => {
    const info = sameShape('info', 'info', '--backend', 'wasm');
    expect(info).toMatchObject({ app: { name: 'mnemoscope' }, backend: { name: 'wasm' }, system: { cpus: os.cpus().length } });
    const bad = mnemoscope('info', '--backend', 'abacus');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/argument 'abacus' is invalid\. Allowed choices are auto, tensorflow, tensorflow-gpu, wasm, cpu/);
  });

  it('demo: installs the demo project into --project, then finds nothing to do', () => {
    const dir = path.join(tmp, 'demo');
    const first = sameShape('demo', 'demo', '--project', dir);
    expect(first.demo).toMatchObject({ dir, created: true, corpus: 'brown', repaired: [] });
    expect((first.demo as { added: string[] }).added).toContain('corpus brown');
    const second = mnemoscope('demo', '--project', dir);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout.trim()).toBe(dir);
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
    'project create': () => ['project', 'create', '--project', underFile, '--name', 'P'],
    analyze: () => ['analyze', '--project', underFile, '--model', 'm', '--corpus', 'c', '--id', 'r'],
    'analyze --shard': () => ['analyze', '--project', underFile, '--model', 'm', '--corpus', 'c', '--id', 'r', '--shard', '1/2'],
    merge: () => ['merge', '--project', underFile, '--runs', 'a,b', '--id', 'r'],
    findings: () => ['findings', '--project', underFile, '--run', 'r'],
    export: () => ['export', '--project', underFile, '--run', 'r', '--format', 'csv', '--out', path.join(tmp, 'x.csv')],
    demo: () => ['demo', '--project', underFile],
    synthetic: () => ['synthetic', '--project', underFile, '--id', 's'],
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
