// The ablation end to end on a tiny real project: `mnemoscope ablate` (in process, through the
// engine's `ablate` job, its own worker thread and two share workers) writes a run of kind
// 'ablation' that lists with that kind, reads back through runShowAblation, matches the same
// computation in this thread, and is refused where a sweep is needed. `findings --run SWEEP
// --ablation RUN` adds the row gradient-matches-behaviour and refuses a pair of different splits.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAblate } from '../../../main/cli/commands/ablate';
import { registerFindings } from '../../../main/cli/commands/findings';
import { inProcessContext } from '../../../main/engine/jobs/task-context';
import { sweepTask, parseAnalyzeParams } from '../../../main/engine/runs';
import { openProject } from '../../../main/engine/project';
import { createEngine } from '../../../main/engine/handlers/create-engine';
import { readNpy } from '../../../main/engine/project';
import { ablateRun, parseAblateParams } from '../../../main/engine/ablation/ablate-run';
import { jobDefaults } from '../../../main/engine/handlers/job-handlers';
import { AblationRecordSchema, ABLATION_ARRAY_FILES } from '../../../shared/schemas/ablation';
import { makeRunProject, type RunProject } from '../runs/helpers';
import { runCliInProcess } from '../cli/in-process';

const mnemoscope = (...args: string[]) => runCliInProcess([registerAblate, registerFindings], args);

let p: RunProject;
const D = 4;

beforeAll(async () => {
  p = await makeRunProject({ models: [{ id: 'm', embeddingDim: 6, units: [5, 4] }] });
  await sweepTask(parseAnalyzeParams({ project: p.dir, corpus: 'c', model: 'm', id: 'sweep', streams: 3, maxDelay: D, groups: 3, workers: 0 }), inProcessContext());
  await sweepTask(parseAnalyzeParams({ project: p.dir, corpus: 'c', model: 'm', id: 'sweep-valid', split: 'valid', streams: 3, maxDelay: D, groups: 3, workers: 0 }), inProcessContext());
}, 120_000);
afterAll(async () => {
  await p?.cleanup();
});

describe('mnemoscope ablate', () => {
  let json: Record<string, unknown>;

  beforeAll(async () => {
    const r = await mnemoscope('ablate', '--project', p.dir, '--model', 'm', '--corpus', 'c', '--id', 'abl', '--max-delay', String(D), '--streams', '3', '--groups', '3', '--mode', 'shuffle', '--workers', '2', '--json');
    if (r.code !== 0) throw new Error(`ablate failed: ${r.stdout}${r.stderr}`);
    json = JSON.parse(r.stdout) as Record<string, unknown>;
  }, 120_000);

  it('--json: ok and the run (its folder and run.json of kind ablation)', () => {
    expect(json.ok).toBe(true);
    const run = json.run as Record<string, unknown>;
    expect(run.dir).toBe(path.join(p.dir, 'runs', 'abl'));
    const { dir: _dir, ...record } = run;
    const parsed = AblationRecordSchema.parse(record);
    expect(parsed.kind).toBe('ablation');
    expect(parsed.config).toMatchObject({ mode: 'shuffle', maxDelay: D, streams: 3, groups: 3, workers: 2, seed: 1 });
    expect(parsed.delta.mean).toHaveLength(D + 1);
    expect(parsed.truncation.mean).toHaveLength(D + 1);
    expect(parsed.classDelta.map((c) => c.name)).toEqual(expect.arrayContaining(['NOUN', 'freq-1-100']));
    const L = parsed.counts.length;
    expect(parsed.delta.pairs).toEqual(Array.from({ length: D + 1 }, (_, t) => 3 * (L - 1 - t)));
    // T(k) falls (or holds) as the model sees more context is not guaranteed for random weights; T(1) is a loss
    expect(parsed.truncation.mean[0]).toBeGreaterThan(0);
    expect(parsed.baseline.perplexity).toBeCloseTo(Math.exp(parsed.baseline.meanLoss), 9);
    expect(parsed.work.cellSteps).toBeGreaterThan(2 * 3 * L * (D + 1));
  });

  it('writes the arrays it lists, and lists as kind ablation beside the sweeps', async () => {
    const delta = await readNpy(path.join(p.dir, 'runs', 'abl', ABLATION_ARRAY_FILES.delta));
    const run = json.run as { delta: { mean: number[] }; arrays: { file: string }[] };
    expect(Array.from(delta.data)).toEqual(run.delta.mean);
    expect(run.arrays.map((a) => a.file).sort()).toEqual(Object.values(ABLATION_ARRAY_FILES).sort());
    const runs = await (await openProject(p.dir)).listRuns();
    const kinds = Object.fromEntries(runs.map((r) => [r.id, r.kind]));
    expect(kinds).toEqual({ sweep: 'sweep', 'sweep-valid': 'sweep', abl: 'ablation' });
    expect(runs.find((r) => r.id === 'abl')?.problem).toBeUndefined();
  });

  it('two share workers give what one thread computes', async () => {
    const here = await ablateRun(
      parseAblateParams({ project: p.dir, model: 'm', corpus: 'c', id: 'abl-here', maxDelay: D, streams: 3, groups: 3, mode: 'shuffle', workers: 0 }),
      inProcessContext(),
    );
    const run = json.run as { delta: { mean: number[] }; truncation: { mean: number[] } };
    here.record.delta.mean.forEach((v, t) => expect(v).toBeCloseTo(run.delta.mean[t], 5));
    here.record.truncation.mean.forEach((v, t) => expect(v).toBeCloseTo(run.truncation.mean[t], 5));
  }, 60_000);

  it('the API shows it, and refuses it where a sweep is needed', async () => {
    const engine = createEngine();
    try {
      const shown = await engine.api.runShowAblation({ project: p.dir, run: 'abl' });
      expect(shown.id).toBe('abl');
      await expect(engine.api.runShow({ project: p.dir, run: 'abl' })).rejects.toMatchObject({ kind: 'user', message: expect.stringMatching(/'abl' is a context ablation, not a state-gradient sweep/) });
      await expect(engine.api.runShowAblation({ project: p.dir, run: 'sweep' })).rejects.toMatchObject({ message: expect.stringMatching(/'sweep' is a state-gradient sweep, not a context ablation/) });
    } finally {
      await engine.close();
    }
  });

  it('the form defaults come from the schema', () => {
    expect(jobDefaults().ablate).toEqual({ split: 'test', maxDelay: 30, mode: 'unk', streams: 20, groups: 10, seed: 1 });
  });

  it('an existing run id is refused before any work', async () => {
    const r = await mnemoscope('ablate', '--project', p.dir, '--model', 'm', '--corpus', 'c', '--id', 'abl', '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { kind: 'user', message: expect.stringMatching(/already has a run 'abl'/) } });
  });

  it('findings --ablation adds gradient-matches-behaviour; a different split is refused', async () => {
    const r = await mnemoscope('findings', '--project', p.dir, '--run', 'sweep', '--ablation', 'abl', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { ablation: string; findings: { id: string; holds: boolean | null; numbers: Record<string, number | null> }[] };
    expect(out.ablation).toBe('abl');
    const row = out.findings[out.findings.length - 1];
    expect(row.id).toBe('gradient-matches-behaviour');
    expect(row.numbers.D).toBe(D);
    const text = await mnemoscope('findings', '--project', p.dir, '--run', 'sweep', '--ablation', 'abl');
    expect(text.stdout).toMatch(/gradient-matches-behaviour/);
    const bad = await mnemoscope('findings', '--project', p.dir, '--run', 'sweep-valid', '--ablation', 'abl', '--json');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).error.message).toMatch(/not of the same model, corpus and split \(split 'valid' vs 'test'\)/);
  });

  it('a cancelled ablation leaves no run behind', async () => {
    const { CancelToken } = await import('../../../main/engine/cancel-token');
    const cancel = CancelToken.create();
    cancel.cancel();
    await expect(ablateRun(parseAblateParams({ project: p.dir, model: 'm', corpus: 'c', id: 'gone', maxDelay: D, streams: 3, workers: 0 }), inProcessContext(undefined, cancel))).rejects.toThrow(/cancel/i);
    await expect(fs.stat(path.join(p.dir, 'runs', 'gone'))).rejects.toThrow();
  });
});
