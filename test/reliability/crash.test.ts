// Crash tests (issue 10): the real `mnemoscope` command is killed with SIGKILL (kill -9, no
// chance to clean up) at seeded random moments while it imports a corpus, trains a model,
// analyses a run and exports it. After each kill the project must reopen (`project show
// --json`), every item it lists must be complete (it shows, with no problem), nothing of the
// killed process may be left in the staging area, and the same command with the same id
// must then succeed (or, when the kill came after the item was committed, refuse the id as
// taken, the item being complete). An export's output is never left half-written.
import { spawn, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'main', 'cli', 'mnemoscope.mjs');

/** Kills per command, and the seed of their moments. */
const KILLS = 4;
const SEED = 20261205;

interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the CLI; with `killAfterMs`, sends it SIGKILL that long after the spawn. */
function mnemoscope(args: string[], killAfterMs?: number): Promise<Ran> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/** A seeded generator of numbers in [0, 1) (an LCG: the same moments on every run). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

let tmp: string;
let project: string;
const random = lcg(SEED);
const injected: string[] = [];
let finishedFirst = 0;

interface Shown {
  manifest: { corpora: { id: string }[]; models: { id: string }[]; runs: { id: string }[] };
  corpora: { id: string; problem: string | null }[];
  models: { id: string; problem: string | null; summary: { complete: boolean } | null }[];
  runs: { id: string; problem?: string }[];
}

async function show(): Promise<Shown> {
  const r = await mnemoscope(['project', 'show', '--project', project, '--json']);
  expect(r.code, `project show after a kill: ${r.stderr}`).toBe(0);
  const out = JSON.parse(r.stdout) as Shown & { ok: boolean };
  expect(out.ok).toBe(true);
  return out;
}

/** The project reopens, every listed item is complete (it reads, with no problem), and no staging is left. */
async function expectConsistent(what: string): Promise<Shown> {
  const s = await show();
  for (const c of s.corpora) expect(c.problem, `${what}: corpus ${c.id}`).toBeNull();
  for (const m of s.models) {
    expect(m.problem, `${what}: model ${m.id}`).toBeNull();
    expect(m.summary?.complete, `${what}: model ${m.id} listed but not complete`).toBe(true);
  }
  for (const r of s.runs) expect(r.problem, `${what}: run ${r.id}`).toBeUndefined();
  // Opening the project (project show) removed what the killed process had staged.
  expect(await fs.readdir(path.join(project, '.staging')).catch(() => []), `${what}: staging left`).toEqual([]);
  return s;
}

const listed = (s: Shown, kind: 'corpora' | 'models' | 'runs', id: string) => s.manifest[kind].some((e) => e.id === id);

/** Attempts per kill: a command that finished before its moment (a machine busier at first) is run again. */
const ATTEMPTS = 4;

/** A seeded moment within the command's duration, as last measured (durations follow the machine's load). */
const momentIn = (command: string) => Math.round(durations[command] * (0.3 + 0.6 * random()));

/**
 * Kills `args(id)` at a seeded moment within its duration, checks the project, then runs it
 * again with the same id: it succeeds, or (the item committed before the kill) refuses the
 * taken id. A command that finished before the moment is counted, and tried again with a new
 * id and moment (its full run times the next moments).
 */
async function killAndRetry(kind: 'corpora' | 'models' | 'runs', command: string, args: (id: string) => string[], baseId: string): Promise<void> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const id = attempt === 0 ? baseId : `${baseId}-${attempt}`;
    const at = momentIn(command);
    const killed = await mnemoscope(args(id), at);
    const what = `${command} ${id} killed at ${at} ms`;
    const before = await expectConsistent(what);
    const again = await mnemoscope([...args(id), '--json']);
    if (listed(before, kind, id)) {
      expect(again.code, `${what}: the id is taken, the run again must say so`).toBe(1);
      expect(again.stdout + again.stderr).toMatch(/already (has|exists)/);
    } else {
      expect(again.code, `${what}: the same id again: ${again.stderr}`).toBe(0);
      durations[command] = again.ms;
    }
    // The next kill's check (or the last one's, below) reads the project as this run left it.
    expect(JSON.parse(again.stdout.trim().split('\n').at(-1) ?? '{}'), `${what}: the run again`).toMatchObject({ ok: again.code === 0 });
    lastId[kind] = id;
    if (killed.signal === 'SIGKILL') {
      injected.push(`${command} ${id} at ${at} ms`);
      return;
    }
    finishedFirst += 1;
    durations[command] = killed.ms;
  }
  throw new Error(`${command}: finished before each of ${ATTEMPTS} kill moments`);
}

const lastId: Partial<Record<'corpora' | 'models' | 'runs', string>> = {};

/** After the last kill of a command: the project is consistent and lists the last id. */
async function expectLastListed(kind: 'corpora' | 'models' | 'runs'): Promise<void> {
  const s = await expectConsistent(`after the last ${kind} kill`);
  expect(listed(s, kind, lastId[kind]!), `${lastId[kind]} listed after its second run`).toBe(true);
}

const durations: Record<string, number> = {};
const corpusArgs = (id: string) => ['corpus', 'add', '--project', project, '--builtin', 'brown', '--max-files', '3', '--id', id];
const trainArgs = (id: string) => [
  'train', '--project', project, '--corpus', 'brown', '--id', id, '--emb', '8', '--hidden', '16', '--vocab', '300',
  '--epochs', '1', '--max-tokens', '8000', '--batch', '4', '--bptt', '10', '--backend', 'wasm',
];
const analyzeArgs = (id: string) => [
  'analyze', '--project', project, '--model', 'm', '--corpus', 'brown', '--id', id,
  '--max-tokens', '300', '--max-delay', '4', '--streams', '2', '--workers', '1', '--groups', '2',
];

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'mnemoscope-crash-'));
  project = path.join(tmp, 'project');
  // The first run may rebuild the bundle (sources newer than dist/): not part of any timing.
  const created = spawnSync(process.execPath, [bin, 'project', 'create', '--project', project, '--name', 'Crash'], { encoding: 'utf8', timeout: 300_000 });
  expect(created.status, created.stderr).toBe(0);
  // One full run of each command: the items the others need, and how long each takes.
  for (const [name, args] of [
    ['corpus add', corpusArgs('brown')],
    ['train', trainArgs('m')],
    ['analyze', analyzeArgs('r')],
    ['export', ['export', '--project', project, '--run', 'r', '--format', 'csv', '--out', path.join(tmp, 'reference.csv')]],
  ] as const) {
    const r = await mnemoscope([...args]);
    expect(r.code, `${name}: ${r.stderr}`).toBe(0);
    durations[name] = r.ms;
  }
});

afterAll(async () => {
  console.log(
    `crash tests (seed ${SEED}): ${injected.length} kills injected (${finishedFirst} commands finished before their kill); ` +
      `durations ${Object.entries(durations).map(([k, v]) => `${k} ${Math.round(v)} ms`).join(', ')}\n  ${injected.join('\n  ')}`,
  );
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

describe('kill -9 at a random moment', () => {
  it('during corpus import', async () => {
    for (let k = 1; k <= KILLS; k++) await killAndRetry('corpora', 'corpus add', corpusArgs, `brown-k${k}`);
    await expectLastListed('corpora');
  });

  it('during training', async () => {
    for (let k = 1; k <= KILLS; k++) await killAndRetry('models', 'train', trainArgs, `m-k${k}`);
    await expectLastListed('models');
  });

  it('during analysis', async () => {
    for (let k = 1; k <= KILLS; k++) await killAndRetry('runs', 'analyze', analyzeArgs, `r-k${k}`);
    await expectLastListed('runs');
  });

  it('during export: the output is absent or complete, never half-written; the same path works again', async () => {
    const reference = await fs.readFile(path.join(tmp, 'reference.csv'), 'utf8');
    for (let k = 1, attempt = 0; k <= KILLS; attempt++) {
      if (attempt >= KILLS * ATTEMPTS) throw new Error('export: finished before too many kill moments');
      const out = path.join(tmp, 'exports', `k${k}-${attempt}.csv`);
      await fs.mkdir(path.dirname(out), { recursive: true });
      const args = ['export', '--project', project, '--run', 'r', '--format', 'csv', '--out', out];
      const at = momentIn('export');
      const killed = await mnemoscope(args, at);
      const written = await fs.readFile(out, 'utf8').catch(() => null);
      if (written !== null) expect(written, `export killed at ${at} ms: a partial file`).toBe(reference);
      await expectConsistent(`export killed at ${at} ms`);
      const again = await mnemoscope(args);
      expect(again.code, again.stderr).toBe(0);
      expect(await fs.readFile(out, 'utf8')).toBe(reference);
      if (killed.signal === 'SIGKILL') {
        injected.push(`export ${path.basename(out)} at ${at} ms`);
        k += 1;
      } else {
        finishedFirst += 1;
      }
      durations.export = killed.signal === 'SIGKILL' ? again.ms : killed.ms;
    }
  });

  it('every one of the 16 kills landed while its command ran', () => {
    expect(injected).toHaveLength(4 * KILLS);
  });
});
