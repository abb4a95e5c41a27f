// `mnemoscope analyze` and `mnemoscope export` through the real command (bundled CLI, the
// analyze job in a worker thread, the accumulation in nested worker threads on wasm), on a
// small generated corpus and random-weight models saved through the model module.
import { execFileSync, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accumulateStateGradients, meanGradients } from '../../main/engine/gradients';
import { extractWeights, loadLanguageModel, selectBackend } from '../../main/engine/model';
import { openProject } from '../../main/engine/project';
import { exportColumns, readRun } from '../../main/engine/runs';
import { relError } from '../unit/gradients/reference-lstm';
import { makeRunProject, type RunProject } from '../unit/runs/helpers';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'main', 'cli', 'mnemoscope.mjs');

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  /** seconds from SIGINT to exit */
  afterInterrupt?: number;
}

/** Runs the CLI; `interrupt` sends SIGINT once it returns true (polled every 100 ms). */
function mnemoscope(args: string[], interrupt?: () => Promise<boolean>): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    let timer: NodeJS.Timeout | undefined;
    let interruptedAt: number | undefined;
    if (interrupt) {
      timer = setInterval(() => {
        void interrupt().then((yes) => {
          if (yes && timer) {
            clearInterval(timer);
            timer = undefined;
            interruptedAt = performance.now();
            child.kill('SIGINT');
          }
        });
      }, 100);
    }
    child.on('exit', (code) => {
      if (timer) clearInterval(timer);
      const afterInterrupt = interruptedAt === undefined ? undefined : (performance.now() - interruptedAt) / 1000;
      resolve({ code, stdout, stderr, afterInterrupt });
    });
  });
}

const json = (r: Ran) => {
  const lines = r.stdout.trim().split('\n');
  expect(lines, `--json prints one line; got:\n${r.stdout}\n${r.stderr}`).toHaveLength(1);
  return JSON.parse(lines[0]) as { ok: boolean; run?: { id: string; dir: string }; error?: { kind: string; message: string } };
};

let p: RunProject;
const analyze = (...args: string[]) => ['analyze', '--project', p.dir, '--corpus', 'c', ...args];

beforeAll(async () => {
  p = await makeRunProject({
    sentences: 1500,
    models: [
      { id: 'm', embeddingDim: 8, units: [6, 5] },
      { id: 'big', embeddingDim: 64, units: [96] },
    ],
  });
});
afterAll(async () => {
  await p.cleanup();
});

describe('mnemoscope analyze', () => {
  it('--json: runs in workers, writes a run whose G.npy equals an independent accumulation', async () => {
    const r = await mnemoscope(analyze('--model', 'm', '--id', 'r1', '--streams', '4', '--max-tokens', '400', '--max-delay', '6', '--workers', '2', '--json'));
    expect(r.code, r.stderr).toBe(0);
    const out = json(r);
    expect(out.ok).toBe(true);
    const data = await readRun(out.run?.dir as string);
    const rec = data.record;
    expect(rec.software).toMatchObject({ workers: 2, kernels: 'wasm SIMD' });
    expect(rec.config).toMatchObject({ layer: 2, streams: 4, maxDelay: 6, maxTokens: 400, workers: 2 });
    const tokens = await data.readArray('tokens');
    expect(tokens.shape).toEqual([4, 100]);
    const G = await data.readArray('G');
    expect(G.shape).toEqual([7, 5, 8]);

    await selectBackend('cpu');
    const loaded = await loadLanguageModel((await openProject(p.dir)).itemDir('model', 'm'));
    const w = extractWeights(loaded.model);
    loaded.model.dispose();
    const ref = await accumulateStateGradients(w, tokens.data, { streams: 4, maxDelay: 6, backend: 'cpu', engine: 'js' }, { workers: 0 });
    expect(relError(G.data, meanGradients(ref, 5, 8))).toBeLessThan(1e-5);
  });

  it('prints the per-delay table and the decay half-life', async () => {
    const r = await mnemoscope(
      analyze('--model', 'm', '--id', 'r2', '--layer', '1', '--state', 'h', '--max-tokens', '600', '--max-delay', '4', '--streams', '5',
        '--property', 'num=noun-sg:noun-pl', '--property', 'common-proper', '--words', 'dog,cats', '--split', 'valid'),
    );
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const header = lines.findIndex((l) => /^\s+τ\s+σ₁ ± SE\s+Σσ\s+σ₁\/Σσ\s+top5\/Σσ\s+m\(num\)\s+m\(common-proper\)$/.test(l));
    expect(header, r.stdout).toBeGreaterThan(0);
    expect(lines.slice(header + 1, header + 6).map((l) => l.trim().split(/\s+/)[0])).toEqual(['0', '1', '2', '3', '4']);
    expect(r.stdout).toMatch(/decay: σ₁ half-life/);
    expect(r.stdout).toMatch(/state h of layer 1/);
    expect(r.stdout).toContain(`saved run 'r2'`);
  });

  it.each([
    [['--property', 'x=noun-sg:NOPE'], /^mnemoscope: property 'x': unknown class 'NOPE'; the corpus's classes are: /],
    [['--words', 'dog,zebra'], /^mnemoscope: not in the vocabulary of model 'm': 'zebra'$/],
    [['--layer', '3'], /^mnemoscope: layer 3 does not exist: model 'm' has 2 LSTM layers \(use 1\.\.2\)$/],
  ])('refuses %j with exit 1 and a one-line reason', async (extra, reason) => {
    const r = await mnemoscope(analyze('--model', 'm', '--id', 'bad', ...extra));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(reason);
    expect(await fs.readdir(path.join(p.dir, 'runs'))).not.toContain('bad');
  });

  it('--json reports a refusal as a user error', async () => {
    const r = await mnemoscope(analyze('--model', 'm', '--id', 'bad', '--words', 'zebra', '--json'));
    expect(r.code).toBe(1);
    expect(json(r)).toMatchObject({ ok: false, error: { kind: 'user', message: "not in the vocabulary of model 'm': 'zebra'" } });
  });

  it('Ctrl-C during the accumulation cancels and leaves no run folder', async () => {
    const staging = path.join(p.dir, '.staging');
    let seen = 0;
    // Interrupt once the job's staging folder has existed for 2.5 s: the model is read and the
    // sweep (over a minute uncancelled) is under way in its workers.
    const r = await mnemoscope(analyze('--model', 'big', '--id', 'cx', '--json'), async () => {
      const n = (await fs.readdir(staging).catch(() => [])).length;
      if (n > 0) seen++;
      return seen >= 25;
    });
    expect(r.code).toBe(1);
    expect(r.afterInterrupt).toBeLessThan(10);
    expect(json(r)).toMatchObject({ ok: false, error: { kind: 'cancelled' } });
    expect(await fs.readdir(path.join(p.dir, 'runs'))).not.toContain('cx');
    expect(await fs.readdir(staging)).toEqual([]);
    expect((await openProject(p.dir)).manifest.runs.map((e) => e.id)).not.toContain('cx');
  });
});

describe('mnemoscope export', () => {
  it('CSV: one row per delay with every column; JSON: the same rows', async () => {
    const csv = path.join(p.root, 'r1.csv');
    const r = await mnemoscope(['export', '--project', p.dir, '--run', 'r1', '--format', 'csv', '--out', csv, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const rec = (await readRun(path.join(p.dir, 'runs', 'r1'))).record;
    const cols = exportColumns(rec);
    const rows = (await fs.readFile(csv, 'utf8')).trim().split('\n').map((l) => l.split(','));
    expect(rows).toHaveLength(rec.config.maxDelay + 2);
    expect(rows[0]).toEqual(cols.map((c) => c.key));
    for (const row of rows) expect(row).toHaveLength(cols.length);
    expect(Number(rows[4][rows[0].indexOf('sigma1')])).toBe(rec.summary.delays[3].sigma1);
    expect(Number(rows[4][rows[0].indexOf('property:sg-pl:m')])).toBe(rec.summary.delays[3].properties['sg-pl'].m);

    const out = path.join(p.root, 'r1.json');
    const j = await mnemoscope(['export', '--project', p.dir, '--run', 'r1', '--format', 'json', '--out', out]);
    expect(j.code, j.stderr).toBe(0);
    expect(j.stdout).toMatch(/wrote .*r1\.json: run 'r1', 7 delays × \d+ columns \(json\)/);
    const e = JSON.parse(await fs.readFile(out, 'utf8'));
    expect(e.delays).toHaveLength(7);
    expect(e.delays[3].sigma1).toBe(rec.summary.delays[3].sigma1);
  });

  it('--out: an existing folder or a FIFO is a one-line user error and left as it was; a symlink to a file is written through', async () => {
    const folder = path.join(p.root, 'exports');
    await fs.mkdir(folder);
    const r = await mnemoscope(['export', '--project', p.dir, '--run', 'r1', '--format', 'csv', '--out', folder]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`mnemoscope: cannot write ${folder}: it is a folder; give the path of a new or regular file\n`);
    expect(await fs.readdir(folder)).toEqual([]);

    if (process.platform !== 'win32') {
      const fifo = path.join(p.root, 'pipe');
      execFileSync('mkfifo', [fifo]);
      const f = await mnemoscope(['export', '--project', p.dir, '--run', 'r1', '--format', 'csv', '--out', fifo]);
      expect(f.code).toBe(1);
      expect(f.stderr.trim()).toMatch(/^mnemoscope: cannot write .*pipe: it is a named pipe \(FIFO\);[^\n]*$/);
      expect((await fs.lstat(fifo)).isFIFO()).toBe(true);
    }

    const target = path.join(p.root, 'target.csv');
    const link = path.join(p.root, 'link.csv');
    await fs.writeFile(target, 'old\n');
    await fs.symlink('target.csv', link);
    const w = await mnemoscope(['export', '--project', p.dir, '--run', 'r1', '--format', 'csv', '--out', link]);
    expect(w.code, w.stderr).toBe(0);
    expect((await fs.lstat(link)).isSymbolicLink()).toBe(true);
    expect(await fs.readFile(target, 'utf8')).toBe(await fs.readFile(path.join(p.root, 'r1.csv'), 'utf8'));
  });

  it('an unknown run is a one-line user error', async () => {
    const r = await mnemoscope(['export', '--project', p.dir, '--run', 'nope', '--format', 'csv', '--out', path.join(p.root, 'x.csv')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^mnemoscope: No run 'nope' in project .* \(it has: r1, r2\)\.$/);
  });
});
