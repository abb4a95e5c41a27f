// `mnemoscope analyze --shard I/N` and `mnemoscope merge` through the real command (bundled
// CLI; merge goes through the engine's API as a `merge` job): three shards swept with --json,
// listed as partial runs by `project show`, refused by the readers that need results, merged
// (a missing shard refused first), and the merged G.npy equal to the unsharded sweep's.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRun } from '../../main/engine/runs';
import { makeRunProject, type RunProject } from '../unit/runs/helpers';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'main', 'cli', 'mnemoscope.mjs');

function mnemoscope(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: root, timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

type Out = { ok: boolean; run?: { id: string; dir: string; partial?: { shard: { index: number; count: number }; firstStream: number; streams: number } }; shards?: string[]; error?: { kind: string; message: string } };
const json = (r: { stdout: string }) => JSON.parse(r.stdout.trim()) as Out;

let p: RunProject;
const sweep = ['--model', 'm', '--corpus', 'c', '--streams', '6', '--max-tokens', '150', '--max-delay', '3', '--groups', '2', '--sample', '60', '--workers', '1'];
const analyze = (...args: string[]) => mnemoscope('analyze', '--project', p.dir, ...sweep, ...args);

beforeAll(async () => {
  p = await makeRunProject({ sentences: 160 });
});
afterAll(async () => {
  await p.cleanup();
});

describe('mnemoscope analyze --shard and merge', () => {
  it('sweeps 3 shards (--json says partial run, shard I/N) and the whole sweep', () => {
    for (const i of [1, 2, 3]) {
      const r = analyze('--id', `s${i}`, '--shard', `${i}/3`, '--json');
      expect(r.code, r.stderr).toBe(0);
      expect(json(r)).toMatchObject({ ok: true, run: { id: `s${i}`, partial: { shard: { index: i, count: 3 }, firstStream: 2 * (i - 1), streams: 2 } } });
    }
    const text = analyze('--id', 'whole');
    expect(text.code, text.stderr).toBe(0);
  });

  it('project show marks the partial runs; findings and export refuse them', () => {
    const show = mnemoscope('project', 'show', '--project', p.dir);
    expect(show.stdout).toMatch(/runs: s1 \(partial: shard 1\/3\), s2 \(partial: shard 2\/3\), s3 \(partial: shard 3\/3\), whole/);
    const shown = json(mnemoscope('project', 'show', '--project', p.dir, '--json')) as unknown as { runs: { id: string; shard?: unknown }[] };
    expect(shown.runs.find((r) => r.id === 's2')?.shard).toEqual({ index: 2, count: 3 });
    for (const args of [['findings', '--project', p.dir, '--run', 's1'], ['export', '--project', p.dir, '--run', 's1', '--format', 'csv', '--out', path.join(p.root, 'x.csv')]]) {
      const r = mnemoscope(...args);
      expect(r.code, r.stdout).toBe(1);
      expect(r.stderr).toContain("run 's1' is shard 1/3 of a sweep; merge the shards first");
    }
  });

  it('refuses a bad --shard and more shards than streams', () => {
    const bad = analyze('--id', 'x', '--shard', '4/3');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--shard must be I/N with 1 ≤ I ≤ N (e.g. 2/4), got '4/3'");
    const many = analyze('--id', 'x', '--shard', '2/9');
    expect(many.code).toBe(1);
    expect(many.stderr).toContain('9 shards need at least 9 streams (the sweep has 6)');
  });

  it('merge refuses a missing shard with a user error, then merges the three into the unsharded run', async () => {
    const missing = mnemoscope('merge', '--project', p.dir, '--runs', 's1,s3', '--id', 'merged', '--json');
    expect(missing.code).toBe(1);
    expect(json(missing)).toMatchObject({ ok: false, error: { kind: 'user', message: "shard 2/3 is missing: the runs given are shards 1/3 's1', 3/3 's3'" } });

    const r = mnemoscope('merge', '--project', p.dir, '--runs', 's3,s2,s1', '--id', 'merged', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = json(r);
    expect(out).toMatchObject({ ok: true, run: { id: 'merged' }, shards: ['s1', 's2', 's3'] });
    const [merged, whole] = [await readRun(out.run!.dir), await readRun(path.join(p.dir, 'runs', 'whole'))];
    const [a, b] = [(await merged.readArray('G')).data, (await whole.readArray('G')).data];
    let scale = 0;
    for (const v of b) scale = Math.max(scale, Math.abs(v));
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(1e-5 * (Math.abs(b[i]) + 1e-6 * scale));
    expect(merged.record.counts).toEqual(whole.record.counts);

    const text = mnemoscope('merge', '--project', p.dir, '--runs', 's1,s2,s3', '--id', 'merged-2');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/merged 3 shards \(s1, s2, s3\) into run 'merged-2'/);
  });
});
