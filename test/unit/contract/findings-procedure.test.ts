// runFindings and the findings in runCompare, called in process through the typed API
// (createEngine().api): runs written into a project from the synthetic curves of the
// findings tests (one that agrees with every finding, one that violates them, one made before
// analysis version 2), and a real run analysed on a small tagged corpus.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../main/engine/handlers/create-engine';
import { inProcessContext } from '../../../main/engine/jobs/task-context';
import { sweepTask, parseAnalyzeParams } from '../../../main/engine/runs';
import { checkFindings } from '../../../main/engine/runs/findings';
import { FINDING_IDS } from '../../../shared/schemas/findings';
import type { RunRecord } from '../../../shared/schemas/run';
import { makeRunProject, type RunProject } from '../runs/helpers';
import { contraryRun, fixtureRun, writeRun } from '../runs/findings-fixture';
import { testEngine } from './helpers';

let p: RunProject;
let engine: Engine;

beforeAll(async () => {
  p = await makeRunProject({ models: [{ id: 'small', embeddingDim: 6, units: [5] }] });
  await sweepTask(parseAnalyzeParams({ project: p.dir, corpus: 'c', model: 'small', id: 'real', streams: 2, maxTokens: 120, maxDelay: 6, groups: 3, workers: 0 }), inProcessContext());
  await writeRun(p.dir, fixtureRun({ id: 'agrees' }));
  await writeRun(p.dir, contraryRun('contrary'));
  await writeRun(p.dir, fixtureRun({ id: 'old', analysisVersion: 1 }));
  ({ engine } = await testEngine());
});
afterAll(async () => {
  await engine?.close();
  await p?.cleanup();
});

const answers = (f: { findings: { id: string; holds: boolean | null }[] }) => Object.fromEntries(f.findings.map((x) => [x.id, x.holds]));

describe('runFindings', () => {
  it('a run that agrees with the papers: every finding holds', async () => {
    const out = await engine.api.runFindings({ project: p.dir, run: 'agrees' });
    expect(out.run).toBe('agrees');
    expect(out.analysisVersion).toBe(2);
    expect(answers(out)).toEqual(Object.fromEntries(FINDING_IDS.map((id) => [id, true])));
  });

  it('a run shaped like the demo model: every finding fails', async () => {
    const out = await engine.api.runFindings({ project: p.dir, run: 'contrary' });
    expect(answers(out)).toEqual(Object.fromEntries(FINDING_IDS.map((id) => [id, false])));
    for (const f of out.findings) {
      expect(f.reason).toBeNull();
      expect(f.detail.length).toBeGreaterThan(10);
    }
  });

  it('a version-1 run: null with a reason that says re-running the sweep fixes it', async () => {
    const out = await engine.api.runFindings({ project: p.dir, run: 'old' });
    expect(out.analysisVersion).toBe(1);
    const f = out.findings.find((x) => x.id === 'memory-after-20')!;
    expect(f.holds).toBeNull();
    expect(f.reason).toMatch(/re-running the sweep fixes this/);
  });

  it('a real run on a tagged corpus: the same answers as the pure check on its run.json, every one decided or explained', async () => {
    const out = await engine.api.runFindings({ project: p.dir, run: 'real' });
    const record = JSON.parse(await fs.readFile(path.join(p.dir, 'runs', 'real', 'run.json'), 'utf8')) as RunRecord;
    expect(out).toEqual(JSON.parse(JSON.stringify(checkFindings((await engine.api.runShow({ project: p.dir, run: 'real' })).record))));
    expect(out.findings.map((f) => f.id)).toEqual([...FINDING_IDS]);
    for (const f of out.findings) if (f.holds === null) expect(f.reason, f.id).toBeTruthy();
    // D = 6: the tests that need delay 10 or 20 cannot tell, and say why
    expect(out.findings.find((f) => f.id === 'memory-after-20')!.reason).toMatch(/largest delay is 6/);
    // the corpus has the upos set, so the parts of speech are compared
    expect(record.config.classSets).toContain('upos');
    const nouns = out.findings.find((f) => f.id === 'nouns-remembered-best')!;
    expect(nouns.holds).not.toBeNull();
    expect(Object.keys(nouns.numbers)).toContain('NOUN.sigma1@1..6');
  });

  it('refuses a run that is not in the project, and malformed requests', async () => {
    await expect(engine.api.runFindings({ project: p.dir, run: 'nope' })).rejects.toMatchObject({ kind: 'user' });
    await expect(engine.dispatch('runFindings', { project: p.dir, id: 'agrees' })).resolves.toMatchObject({ ok: false });
    await expect(engine.dispatch('runFindings', { project: p.dir, run: '../agrees' })).resolves.toMatchObject({ ok: false });
  });
});

describe('runCompare carries the findings of each run', () => {
  it('in the order of the records, the same as runFindings gives', async () => {
    const out = await engine.api.runCompare({ project: p.dir, runs: ['contrary', 'agrees', 'old'] });
    expect(out.findings.map((f) => f.run)).toEqual(['contrary', 'agrees', 'old']);
    expect(out.findings[1]).toEqual(await engine.api.runFindings({ project: p.dir, run: 'agrees' }));
    expect(answers(out.findings[0])['sv-decay-fast']).toBe(false);
    expect(answers(out.findings[1])['sv-decay-fast']).toBe(true);
  });
});
