// runShow and runCompare on real runs (a seeded model analysed on a small tagged corpus),
// called in process through the typed API: the spectrum against spectrum.npy read
// independently and against the summary's σ₁ and Σσ, the comparability warnings, and
// the refusals of malformed or impossible requests.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../main/engine/handlers/create-engine';
import { comparabilityWarnings } from '../../../main/engine/handlers/run-comparability';
import { inProcessContext } from '../../../main/engine/jobs/task-context';
import { readNpy } from '../../../main/engine/project';
import { sweepTask, parseAnalyzeParams } from '../../../main/engine/runs';
import type { RunRecord } from '../../../shared/schemas/run';
import { makeRunProject, type RunProject } from '../runs/helpers';
import { testEngine } from './helpers';

let p: RunProject;
let engine: Engine;
const D = 4;

beforeAll(async () => {
  p = await makeRunProject({ models: [{ id: 'small', embeddingDim: 6, units: [5] }, { id: 'wide', embeddingDim: 6, units: [7] }] });
  const common = { project: p.dir, corpus: 'c', streams: 2, maxTokens: 80, maxDelay: D, groups: 2, workers: 0 };
  await sweepTask(parseAnalyzeParams({ ...common, model: 'small', id: 'a' }), inProcessContext());
  await sweepTask(parseAnalyzeParams({ ...common, model: 'wide', id: 'b' }), inProcessContext());
  await sweepTask(parseAnalyzeParams({ ...common, model: 'wide', id: 'h', state: 'h', normalize: 'equal-variance' }), inProcessContext());
  ({ engine } = await testEngine());
});
afterAll(async () => {
  await engine?.close();
  await p?.cleanup();
});

const runJson = async (id: string): Promise<RunRecord> => JSON.parse(await fs.readFile(path.join(p.dir, 'runs', id, 'run.json'), 'utf8'));

describe('runShow', () => {
  it('returns run.json and every row of spectrum.npy', async () => {
    const shown = await engine.api.runShow({ project: p.dir, run: 'b' });
    expect(shown.record).toEqual(await runJson('b'));
    const npy = await readNpy(path.join(p.dir, 'runs', 'b', 'spectrum.npy'));
    const k = Math.min(7, 6);
    expect(npy.shape).toEqual([D + 1, k]);
    expect(shown.spectrum).toHaveLength(D + 1);
    for (let t = 0; t <= D; t++) {
      expect(shown.spectrum[t]).toEqual(Array.from(npy.data.subarray(t * k, (t + 1) * k)));
      // float32 on disk, float64 in the summary
      const d = shown.record.summary.delays[t];
      expect(shown.spectrum[t][0]).toBeCloseTo(d.sigma1, 6);
      expect(shown.spectrum[t].reduce((s, x) => s + x, 0) / d.sum).toBeCloseTo(1, 5);
      for (let n = 1; n < k; n++) expect(shown.spectrum[t][n]).toBeLessThanOrEqual(shown.spectrum[t][n - 1]);
    }
  });

  it('refuses a run that is not in the project, and malformed requests', async () => {
    await expect(engine.api.runShow({ project: p.dir, run: 'nope' })).rejects.toMatchObject({ kind: 'user' });
    await expect(engine.dispatch('runShow', { project: p.dir, id: 'a' })).resolves.toMatchObject({ ok: false });
    await expect(engine.dispatch('runShow', { project: p.dir, run: '../a' })).resolves.toMatchObject({ ok: false });
    await expect(engine.dispatch('runShow', { project: p.dir, run: 'a', extra: 1 })).resolves.toMatchObject({ ok: false });
  });
});

describe('runCompare', () => {
  it('runs of two models with the same settings: the records in order, no warning', async () => {
    const out = await engine.api.runCompare({ project: p.dir, runs: ['b', 'a'] });
    expect(out.records.map((r) => r.id)).toEqual(['b', 'a']);
    expect(out.records.map((r) => r.modelShape.units)).toEqual([[7], [5]]);
    expect(out.warnings).toEqual([]);
    // everything but the aligned words, which the comparison leaves out
    const full = await runJson('a');
    expect(out.records[1].summary.delays.map((d) => d.sigma1)).toEqual(full.summary.delays.map((d) => d.sigma1));
    expect(out.records[1].summary.decay).toEqual(full.summary.decay);
    expect(full.summary.delays[0].aligned.length).toBeGreaterThan(0);
    for (const d of out.records[1].summary.delays) expect(d.aligned).toEqual([]);
  });

  it('warns about the state and the normalisation when they differ', async () => {
    const out = await engine.api.runCompare({ project: p.dir, runs: ['a', 'b', 'h'] });
    expect(out.warnings.map((w) => w.setting)).toEqual(['state', 'normalisation']);
    expect(out.warnings[0].values).toEqual([
      { run: 'a', value: 'c' },
      { run: 'b', value: 'c' },
      { run: 'h', value: 'h' },
    ]);
    expect(out.warnings[1].values.map((v) => v.value)).toEqual(['none', 'none', 'equal-variance']);
    expect(out.warnings[0].message).toContain('h: h');
  });

  it('refuses an empty list, a run named twice, and a missing run', async () => {
    await expect(engine.dispatch('runCompare', { project: p.dir, runs: [] })).resolves.toMatchObject({ ok: false });
    await expect(engine.dispatch('runCompare', { project: p.dir, runs: ['a', 'a'] })).resolves.toMatchObject({ ok: false });
    await expect(engine.api.runCompare({ project: p.dir, runs: ['a', 'gone'] })).rejects.toMatchObject({ kind: 'user' });
  });
});

describe('comparabilityWarnings', () => {
  it('flags layer, corpus and split differences, and nothing for one run', async () => {
    const a = await runJson('a');
    const other: RunRecord = { ...a, id: 'z', corpus: 'other', split: 'valid', config: { ...a.config, layer: 2, layers: 2 } };
    const w = comparabilityWarnings([a, other]);
    expect(w.map((x) => x.setting)).toEqual(['layer', 'corpus', 'split']);
    expect(w[0].values).toEqual([
      { run: 'a', value: '1 of 1' },
      { run: 'z', value: '2 of 2' },
    ]);
    expect(comparabilityWarnings([a])).toEqual([]);
  });
});
