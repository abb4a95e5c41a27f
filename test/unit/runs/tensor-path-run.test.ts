// The analyze sweep on the tensor path end to end (engine 'tensor', backend 'cpu', the tensor
// task in its own worker thread): the run's arrays equal the kernel path's run (wasm SIMD
// kernels) within float32 rounding, counts exactly, and run.json says which path ran and why,
// with the device memory and chunk chosen. Sampled sources likewise. (Chunks smaller than the
// streams are tested in test/unit/gradients/tensor-path.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessContext } from '../../../main/engine/jobs/task-context';
import { shardSweepTask, sweepTask, readRun, type RunData, parseAnalyzeParams } from '../../../main/engine/runs';
import { readPartialSums } from '../../../main/engine/runs/partial-run';
import type { AnalyzeParams, RunArrayName } from '../../../shared/schemas/run';
import { relError } from '../gradients/reference-lstm';
import { makeRunProject, type RunProject } from './helpers';

let p: RunProject;
const B = 3;
const T = 20;
const D = 5;

const base = (over: Partial<AnalyzeParams>): AnalyzeParams => ({
  project: p.dir,
  model: 'm',
  corpus: 'c',
  id: 'r',
  streams: B,
  maxTokens: B * T + 2,
  maxDelay: D,
  groups: 2,
  words: ['dog', 'cats'],
  workers: 0,
  ...over,
});

async function sweep(over: Partial<AnalyzeParams>): Promise<RunData> {
  const r = await sweepTask(parseAnalyzeParams(base(over)), inProcessContext());
  return readRun(r.dir);
}

async function expectSameArrays(got: RunData, ref: RunData, names: RunArrayName[]): Promise<void> {
  for (const name of names) {
    expect(got.hasArray(name), name).toBe(ref.hasArray(name));
    const a = await got.readArray(name);
    const b = await ref.readArray(name);
    expect(a.shape, name).toEqual(b.shape);
    if (name === 'counts' || name === 'tokens') expect(Array.from(a.data), name).toEqual(Array.from(b.data));
    else expect(relError(a.data, b.data), name).toBeLessThan(name === 'spectrum' ? 1e-4 : 2e-5);
  }
}

let kernels: RunData;
let tensor: RunData;

beforeAll(async () => {
  p = await makeRunProject();
  kernels = await sweep({ id: 'k', engine: 'kernels' });
  // workers 1: the tensor task runs in its own worker thread, as in the app
  tensor = await sweep({ id: 't', engine: 'tensor', backend: 'cpu', workers: 1 });
}, 120_000);
afterAll(async () => {
  await p.cleanup();
});

describe('analyze on the tensor path', () => {
  it('gives the kernel path\'s arrays within float32 rounding', async () => {
    expect(kernels.hasArray('classG')).toBe(true);
    expect(kernels.hasArray('wordG')).toBe(true);
    await expectSameArrays(tensor, kernels, ['tokens', 'counts', 'G', 'classG', 'wordG', 'spectrum']);
    expect(tensor.record.counts).toEqual(kernels.record.counts);
    expect(tensor.record.flops.nominal).toBe(kernels.record.flops.nominal);
  });

  it('records the path, the reason, the backend and the device memory and chunk it chose', () => {
    expect(kernels.record.software).toMatchObject({ path: 'kernels', pathReason: expect.stringContaining('engine kernels') });
    expect(kernels.record.software.chunkStreams).toBeUndefined();
    const s = tensor.record.software;
    expect(s).toMatchObject({ path: 'tensor', pathReason: expect.stringContaining('engine tensor'), deviceMemorySource: 'default', chunkStreams: B, workers: 1 });
    expect(s.backend).toMatch(/^cpu/);
    expect(s.engine).toMatch(/tensor ops/);
    expect(s.deviceMemoryMB).toBeGreaterThan(0);
  });

  it('sampled sources, in the calling thread, with the device memory given', async () => {
    const sample = { sample: 17, seed: 3 };
    const k = await sweep({ id: 'ks', engine: 'kernels', ...sample });
    const t = await sweep({ id: 'ts', engine: 'tensor', backend: 'cpu', deviceMemory: 1, ...sample });
    expect(t.record.software).toMatchObject({ deviceMemoryMB: 1, deviceMemorySource: 'option', chunkStreams: B });
    expect(k.record.counts.sources).toBe(17);
    await expectSameArrays(t, k, ['counts', 'G', 'classG', 'wordG']);
  });

  it('a shard: the partial run\'s float64 sums equal the kernel path\'s shard', async () => {
    const shard = { shard: { index: 2, count: 2 }, sample: 30, seed: 5 };
    const k = await shardSweepTask(parseAnalyzeParams(base({ id: 'k2', engine: 'kernels', ...shard })), inProcessContext());
    const t = await shardSweepTask(parseAnalyzeParams(base({ id: 't2', engine: 'tensor', backend: 'cpu', ...shard })), inProcessContext());
    expect(t.record.software.path).toBe('tensor');
    expect(t.record.partial).toMatchObject({ firstStream: k.record.partial.firstStream, streams: k.record.partial.streams });
    const ks = await readPartialSums(k.dir, k.record);
    const ts = await readPartialSums(t.dir, t.record);
    expect(Array.from(ts.groupCount)).toEqual(Array.from(ks.groupCount));
    expect(Array.from(ts.clsCount)).toEqual(Array.from(ks.clsCount));
    expect(ks.groupCount.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    for (const key of ['group', 'cls', 'word'] as const) expect(relError(ts[key], ks[key]), key).toBeLessThan(2e-6);
  });
});
