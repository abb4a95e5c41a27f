// Sharded sweeps (issue 11, "Shards that merge"): a real small model and corpus swept whole
// and as N = 3 shards (partial runs), the shards merged by the merge task, and every array
// of the merged run compared with the unsharded run's at 1e-5 relative (float32 rounding is
// ~6e-8). A merge that leaves a shard out is refused, and its arrays, summed by hand, are
// shown to fail the same comparison (the tolerance can fail). Then the refusals: a missing
// or duplicate shard, differing options, a complete run, a newer partial format, and the
// readers of runs (run list, readRunRecord) on a partial run.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meanGradients, mergeSums, resultFromSums } from '../../../main/engine/gradients';
import { inProcessContext } from '../../../main/engine/jobs/task-context';
import { openProject } from '../../../main/engine/project';
import { sweepTask, shardSweepTask, mergeTask, readPartialRunRecord, readRun, readRunRecord, parseAnalyzeParams } from '../../../main/engine/runs';
import { readPartialSums } from '../../../main/engine/runs/partial-run';
import type { AnalyzeParams, AnalyzeProgress, RunArrayName } from '../../../shared/schemas/run';
import { makeRunProject, type RunProject } from './helpers';

let p: RunProject;
const B = 7;
const T = 16;
const D = 4;
const N = 3;

const params = (id: string, over: Partial<AnalyzeParams> = {}): AnalyzeParams => ({
  project: p.dir,
  model: 'm',
  corpus: 'c',
  id,
  streams: B,
  maxTokens: B * T + 3,
  maxDelay: D,
  groups: 3,
  workers: 0,
  words: ['dog', 'cats'],
  ...over,
});
const ctx = () => inProcessContext<AnalyzeProgress>();
const shardIds = (prefix: string) => Array.from({ length: N }, (_, i) => `${prefix}-${i + 1}`);

/** max over elements of |a − b| / (|b| + 1e-6·max|b|): relative error that a near-zero element cannot blow up. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (Math.abs(b[i]) + 1e-6 * scale));
  return worst;
}

const ARRAYS: RunArrayName[] = ['G', 'classG', 'wordG', 'counts', 'spectrum'];

async function expectSameRun(mergedId: string, wholeId: string): Promise<void> {
  const store = await openProject(p.dir);
  const merged = await readRun(store.itemDir('run', mergedId));
  const whole = await readRun(store.itemDir('run', wholeId));
  for (const name of ARRAYS) {
    const [a, b] = [await merged.readArray(name), await whole.readArray(name)];
    expect(a.shape, name).toEqual(b.shape);
    expect(relativeError(a.data, b.data), name).toBeLessThan(1e-5);
  }
  expect(Array.from((await merged.readArray('tokens')).data)).toEqual(Array.from((await whole.readArray('tokens')).data));
  const [m, w] = [merged.record, whole.record];
  expect(m.counts).toEqual(w.counts);
  expect({ ...m.config, workers: 0 }).toEqual(w.config);
  m.summary.delays.forEach((d, t) => {
    const ref = w.summary.delays[t];
    expect(Math.abs(d.sigma1 - ref.sigma1) / ref.sigma1).toBeLessThan(1e-5);
    expect(Math.abs(d.se!.sigma1!.se - ref.se!.sigma1!.se) / ref.se!.sigma1!.se).toBeLessThan(1e-4);
  });
  expect(m.summary.properties.map((x) => x.name)).toEqual(w.summary.properties.map((x) => x.name));
}

beforeAll(async () => {
  p = await makeRunProject({ sentences: 160 });
  await sweepTask(parseAnalyzeParams(params('whole')), ctx());
  await sweepTask(parseAnalyzeParams(params('whole-s', { sample: 50, seed: 7 })), ctx());
  for (const [i, id] of shardIds('sh').entries()) await shardSweepTask(parseAnalyzeParams(params(id, { shard: { index: i + 1, count: N } })), ctx());
  for (const [i, id] of shardIds('ss').entries()) await shardSweepTask(parseAnalyzeParams(params(id, { sample: 50, seed: 7, shard: { index: i + 1, count: N }, workers: 2 })), ctx());
}, 120_000);
afterAll(async () => {
  await p.cleanup();
});

describe('analyze --shard', () => {
  it('saves a partial run: run.json marked with its shard, float64 sums of its streams, no SVD', async () => {
    const store = await openProject(p.dir);
    const dir = store.itemDir('run', 'sh-2');
    const r = await readPartialRunRecord(dir);
    expect(r.partial).toMatchObject({ version: 1, shard: { index: 2, count: N }, firstStream: 2, streams: 2 });
    expect(r).not.toHaveProperty('summary');
    expect(r.counts).toMatchObject({ streams: 2, length: T, positions: 2 * T });
    expect((await fs.readdir(dir)).sort()).toEqual(
      ['counts_class.npy', 'counts_group.npy', 'counts_word.npy', 'run.json', 'sums_class.npy', 'sums_group.npy', 'sums_word.npy', 'tokens.npy'],
    );
    expect(r.arrays.find((a) => a.file === 'sums_group.npy')).toMatchObject({ dtype: '<f8', shape: [3, D + 1, 4, 6] });
  });

  it('is listed with its shard and refused by the readers that need a complete run', async () => {
    const store = await openProject(p.dir);
    const listed = await store.listRuns();
    expect(listed.find((r) => r.id === 'sh-1')).toMatchObject({ shard: { index: 1, count: N } });
    expect(listed.find((r) => r.id === 'sh-1')?.problem).toBeUndefined();
    expect(listed.find((r) => r.id === 'whole')?.shard).toBeUndefined();
    await expect(readRunRecord(store.itemDir('run', 'sh-1'))).rejects.toThrow(
      `run 'sh-1' is shard 1/${N} of a sweep; merge the shards first`,
    );
  });

  it('refuses more shards than streams', async () => {
    await expect(shardSweepTask(parseAnalyzeParams(params('too-many', { shard: { index: 1, count: B + 1 } })), ctx())).rejects.toThrow(
      `${B + 1} shards need at least ${B + 1} streams (the sweep has ${B})`,
    );
  });
});

describe('merge', () => {
  it('merges N = 3 shards (in any order) into the unsharded run, arrays within 1e-5 relative', async () => {
    const res = await mergeTask({ project: p.dir, runs: ['sh-3', 'sh-1', 'sh-2'], id: 'merged', name: 'Merged' }, ctx());
    expect(res.shards).toEqual(shardIds('sh'));
    await expectSameRun('merged', 'whole');
    // the shards are untouched and still partial runs
    for (const id of shardIds('sh')) await readPartialRunRecord((await openProject(p.dir)).itemDir('run', id));
    const entry = (await (await openProject(p.dir)).list('run')).find((e) => e.id === 'merged');
    expect(entry?.name).toBe('Merged');
  });

  it('merges sampled shards (--sample positions drawn for the whole sweep, then split) into the sampled unsharded run', async () => {
    await mergeTask({ project: p.dir, runs: shardIds('ss'), id: 'merged-s' }, ctx());
    await expectSameRun('merged-s', 'whole-s');
    const r = await readRunRecord((await openProject(p.dir)).itemDir('run', 'merged-s'));
    expect(r.counts.sources).toBe(50);
  });

  it('a merge missing a shard is refused, and its sums would not match (the tolerance can fail)', async () => {
    await expect(mergeTask({ project: p.dir, runs: ['sh-1', 'sh-3'], id: 'bad' }, ctx())).rejects.toThrow(
      "shard 2/3 is missing: the runs given are shards 1/3 'sh-1', 3/3 'sh-3'",
    );
    const store = await openProject(p.dir);
    expect(await store.has('run', 'bad')).toBe(false);
    const parts = await Promise.all(['sh-1', 'sh-3'].map(async (id) => readPartialSums(store.itemDir('run', id), await readPartialRunRecord(store.itemDir('run', id)))));
    mergeSums(parts[0], parts[1]);
    const stats = { flops: 0, gemmFlops: 0, computeSeconds: 0, workerSeconds: [], cpuSeconds: null, wallSeconds: 0, workers: 0, backend: '', engine: '', kernels: '', flushedValues: 0, pairs: 0 };
    const meta = { state: 'c' as const, layer: 2, streams: B, length: T, tokens: new Int32Array(0), shard: null, sampled: null, seed: null, warnings: [], classNames: [], words: [] };
    const wrong = resultFromSums({ ...parts[0], classes: 0, words: 0 }, meta, stats);
    const G = (await (await readRun(store.itemDir('run', 'whole'))).readArray('G')).data;
    expect(relativeError(meanGradients(wrong, 4, 6), G)).toBeGreaterThan(1e-5);
  });

  it('refuses shards that do not belong together, naming the run and the problem', async () => {
    const merge = (runs: string[]) => mergeTask({ project: p.dir, runs, id: 'bad' }, ctx());
    await expect(merge(['sh-1', 'ss-2', 'sh-3'])).rejects.toThrow(/run 'ss-2' \(shard 2\/3\) does not belong with run 'sh-1' \(shard 1\/3\): they differ in option sample/);
    await expect(merge(['sh-1', 'sh-2', 'sh-3', 'ss-2'])).rejects.toThrow(/does not belong with/);
    await expect(merge(['sh-1', 'whole'])).rejects.toThrow("run 'whole' is not a partial run (it was not swept with --shard): only shards are merged");
    await expect(merge(['sh-1', 'sh-1'])).rejects.toThrow('a run is named twice');
    await expect(merge(['sh-1', 'sh-2', 'sh-3', 'nope'])).rejects.toThrow("No run 'nope'");
    await expect(mergeTask({ project: p.dir, runs: shardIds('sh'), id: 'whole' }, ctx())).rejects.toThrow("already has a run 'whole'");
  });

  it('refuses a duplicate shard, a different number of shards, and a partial run from a newer version', async () => {
    const store = await openProject(p.dir);
    // copies of shard runs registered under new ids (what copying runs back from other machines does)
    const copy = async (from: string, to: string, edit: (json: Record<string, unknown>) => void) => {
      await store.stageItem('run', to, async (dir) => {
        for (const f of await fs.readdir(store.itemDir('run', from))) await fs.copyFile(path.join(store.itemDir('run', from), f), path.join(dir, f));
        const json = JSON.parse(await fs.readFile(path.join(dir, 'run.json'), 'utf8')) as Record<string, unknown>;
        edit({ ...json });
        json.id = to;
        edit(json);
        await fs.writeFile(path.join(dir, 'run.json'), JSON.stringify(json));
      });
    };
    await copy('sh-2', 'sh-2-again', () => {});
    await expect(mergeTask({ project: p.dir, runs: [...shardIds('sh'), 'sh-2-again'], id: 'bad' }, ctx())).rejects.toThrow(
      "runs 'sh-2' and 'sh-2-again' are both shard 2/3 of the sweep: name each shard once",
    );
    await copy('sh-2', 'sh-2-of-4', (j) => ((j.partial as { shard: { count: number } }).shard.count = 4));
    await expect(mergeTask({ project: p.dir, runs: ['sh-1', 'sh-2-of-4'], id: 'bad' }, ctx())).rejects.toThrow(
      "run 'sh-2-of-4' (shard 2/4) and run 'sh-1' (shard 1/3) are not shards of one sweep",
    );
    await copy('sh-3', 'sh-3-newer', (j) => ((j.partial as { version: number }).version = 99));
    await expect(mergeTask({ project: p.dir, runs: ['sh-1', 'sh-2', 'sh-3-newer'], id: 'bad' }, ctx())).rejects.toThrow(
      /a partial run written by a newer Mnemoscope \(partial run version 99, this one reads up to 1\); update Mnemoscope/,
    );
    const listed = await store.listRuns();
    expect(listed.find((r) => r.id === 'sh-3-newer')?.problem).toMatch(/newer Mnemoscope/);
    expect(await store.has('run', 'bad')).toBe(false);
  });
});
