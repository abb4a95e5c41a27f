// The CLI sequence end to end, through the real `mnemoscope` command (bundled CLI,
// worker threads, wasm backend) on a small slice of the built-in Brown corpus.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'main', 'cli', 'mnemoscope.mjs');

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  json: Record<string, unknown> & { ok: boolean };
}

function mnemoscope(...args: string[]): Ran {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: root, timeout: 300_000 });
  let json = { ok: false } as Ran['json'];
  if (args.includes('--json')) {
    const lines = r.stdout.trim().split('\n');
    expect(lines.length, `--json prints exactly one line; got:\n${r.stdout}\n${r.stderr}`).toBe(1);
    json = JSON.parse(lines[0]) as Ran['json'];
  }
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json };
}

let tmp: string;
let project: string;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'mnemoscope-cli-'));
  project = path.join(tmp, 'proj');
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

async function manifest(): Promise<{ corpora: { id: string }[]; models: { id: string }[] }> {
  return JSON.parse(await fs.readFile(path.join(project, 'project.json'), 'utf8'));
}

describe('mnemoscope CLI, the issue sequence on a Brown slice', () => {
  it('project create', () => {
    const r = mnemoscope('project', 'create', '--project', project, '--name', 'CLI test', '--json');
    expect(r.code).toBe(0);
    expect(r.json.ok).toBe(true);
    expect((r.json.manifest as { name: string }).name).toBe('CLI test');
  });

  it('corpus add --builtin brown --max-files', async () => {
    const r = mnemoscope('corpus', 'add', '--project', project, '--builtin', 'brown', '--id', 'brown', '--max-files', '15', '--json');
    expect(r.code, r.stderr).toBe(0);
    const c = r.json.corpus as { stats: { splits: Record<string, { tokens: number; files: string[] }> }; tagset: string };
    expect(c.tagset).toBe('brown');
    const files = Object.values(c.stats.splits).flatMap((s) => s.files);
    expect(files).toHaveLength(15);
    for (const s of Object.values(c.stats.splits)) expect(s.tokens).toBeGreaterThan(1000);
    expect((await manifest()).corpora.map((e) => e.id)).toEqual(['brown']);
    const classes = await fs.readdir(path.join(project, 'corpora', 'brown', 'classes'));
    expect(classes.sort()).toEqual(['frequency.json', 'paper.json', 'upos.json']);
  });

  it('corpus classes: a built-in id is refused, with --replace too; a user set is replaced only with --replace', async () => {
    const words = path.join(tmp, 'colours.txt');
    await fs.writeFile(words, 'red\ngreen\n');
    const paper = path.join(project, 'corpora', 'brown', 'classes', 'paper.json');
    const before = await fs.readFile(paper, 'utf8');
    for (const extra of [[], ['--replace']]) {
      const r = mnemoscope('corpus', 'classes', '--project', project, '--corpus', 'brown', '--id', 'paper', '--words', words, ...extra);
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toMatch(/^mnemoscope: 'paper' is a built-in class set of corpus 'brown' [^\n]*never replaced/);
    }
    expect(await fs.readFile(paper, 'utf8')).toBe(before);
    expect(mnemoscope('corpus', 'classes', '--project', project, '--corpus', 'brown', '--id', 'colours', '--words', words).code).toBe(0);
    const again = mnemoscope('corpus', 'classes', '--project', project, '--corpus', 'brown', '--id', 'colours', '--words', words, '--class', 'hues');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already has a class set 'colours'/);
    const replaced = mnemoscope('corpus', 'classes', '--project', project, '--corpus', 'brown', '--id', 'colours', '--words', words, '--class', 'hues', '--replace', '--json');
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.json).toMatchObject({ replaced: true, classSet: { classes: { hues: ['green', 'red'] } } });
  });

  let trained: { bestValidPerplexity: number; bestEpoch: number };
  it('train', async () => {
    const r = mnemoscope(
      'train', '--project', project, '--corpus', 'brown', '--id', 'lm', '--recipe', 'verwimp2018',
      '--layers', '1', '--emb', '16', '--hidden', '32', '--vocab', '800', '--epochs', '2',
      '--bptt', '20', '--batch', '10', '--max-tokens', '12000', '--seed', '3', '--backend', 'wasm', '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    trained = r.json.model as typeof trained;
    // An untrained model is near-uniform over 800 words; two epochs must do far better.
    expect(trained.bestValidPerplexity).toBeLessThan(400);
    const dir = path.join(project, 'models', 'lm');
    expect((await fs.readdir(dir)).sort()).toEqual(['model.json', 'training.json', 'vocab.json', 'weights.bin']);
    const meta = JSON.parse(await fs.readFile(path.join(dir, 'training.json'), 'utf8'));
    expect(meta.origin.config).toMatchObject({ embeddingDim: 16, hiddenSize: 32, bptt: 20, batchSize: 10, maxTokens: 12000, seed: 3 });
    // The recipe fills what was not given, and training.json records its name and every value.
    expect(meta.origin.config).toMatchObject({
      recipe: 'verwimp2018', epochs: 2, optimizer: 'sgd', learningRate: 1, lrDecay: 0.8, lrDecayAfter: 6,
      clipNorm: 5, dropout: 0.5, embeddingDropout: 0.5, initScale: 0.05, forgetBias: 0, patience: null,
    });
    expect(meta.origin.history).toHaveLength(2);
    expect(meta.architecture.layers[0].recurrentActivation).toBe('sigmoid');
  });

  it('eval reproduces the validation perplexity recorded by training', () => {
    const r = mnemoscope('eval', '--project', project, '--model', 'lm', '--corpus', 'brown', '--split', 'valid', '--batch', '10', '--json');
    expect(r.code, r.stderr).toBe(0);
    const e = r.json.evaluation as { perplexity: number; predicted: number };
    expect(Math.abs(e.perplexity - trained.bestValidPerplexity) / trained.bestValidPerplexity).toBeLessThan(1e-5);
    expect(e.predicted).toBeGreaterThan(1000);
  });

  let testPerplexity: number;
  it('eval on the test split (the default)', () => {
    const r = mnemoscope('eval', '--project', project, '--model', 'lm', '--corpus', 'brown', '--json');
    expect(r.code, r.stderr).toBe(0);
    testPerplexity = (r.json.evaluation as { perplexity: number; split: string }).perplexity;
    expect((r.json.evaluation as { split: string }).split).toBe('test');
    expect(testPerplexity).toBeGreaterThan(1);
  });

  it('model import of a tfjs Layers model gives the same perplexity', () => {
    const src = path.join(project, 'models', 'lm');
    const r = mnemoscope(
      'model', 'import', '--project', project, '--tfjs', path.join(src, 'model.json'), '--vocab', path.join(src, 'vocab.json'), '--id', 'lm-copy', '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const e = mnemoscope('eval', '--project', project, '--model', 'lm-copy', '--corpus', 'brown', '--json');
    expect(e.code, e.stderr).toBe(0);
    expect((e.json.evaluation as { perplexity: number }).perplexity).toBeCloseTo(testPerplexity, 6);
  });

  it('info names the backend and why others were not chosen', () => {
    const r = mnemoscope('info', '--json');
    expect(r.code).toBe(0);
    const b = r.json.backend as { name: string; attempts: { backend: string; ok: boolean; reason: string }[] };
    expect(['wasm', 'tensorflow']).toContain(b.name);
    expect(b.attempts.length).toBeGreaterThanOrEqual(1);
    for (const a of b.attempts.filter((x) => !x.ok)) expect(a.reason.length).toBeGreaterThan(10);
  });
});

describe('mnemoscope CLI, errors', () => {
  it('a binary corpus file: exit 1, a one-line reason naming the file, project unchanged', async () => {
    const before = await fs.readFile(path.join(project, 'project.json'), 'utf8');
    const bad = path.join(tmp, 'binary.txt');
    await fs.writeFile(bad, Buffer.from([0x68, 0x69, 0x0a, 0x00, 0x01, 0x02, 0x0a]));
    const r = mnemoscope('corpus', 'add', '--project', project, '--file', bad, '--id', 'bad');
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('binary.txt');
    expect(await fs.readFile(path.join(project, 'project.json'), 'utf8')).toBe(before);
    await expect(fs.stat(path.join(project, 'corpora', 'bad'))).rejects.toThrow();
    const staging = await fs.readdir(path.join(project, '.staging')).catch(() => []);
    expect(staging).toEqual([]);
  });

  it('an unknown corpus: exit 1 with --json error object', () => {
    const r = mnemoscope('train', '--project', project, '--corpus', 'nope', '--id', 'x', '--json');
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ ok: false, error: { kind: 'user' } });
    expect(JSON.stringify(r.json)).toContain('nope');
  });

  it('a duplicate model id is refused', () => {
    const r = mnemoscope('train', '--project', project, '--corpus', 'brown', '--id', 'lm');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/already has a model 'lm'/);
  });

  it('a bad option value is a usage error (exit 1)', () => {
    const r = mnemoscope('train', '--project', project, '--corpus', 'brown', '--id', 'y', '--hidden', 'many', '--json');
    expect(r.code).toBe(1);
    expect(r.json.ok).toBe(false);
  });

  it('a project from a newer version is refused and left untouched', async () => {
    const dir = path.join(tmp, 'future');
    await fs.mkdir(dir);
    const text = JSON.stringify({ schemaVersion: 99, app: 'mnemoscope', name: 'x' });
    await fs.writeFile(path.join(dir, 'project.json'), text);
    const r = mnemoscope('project', 'show', '--project', dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/newer/i);
    expect(await fs.readFile(path.join(dir, 'project.json'), 'utf8')).toBe(text);
  });
});
