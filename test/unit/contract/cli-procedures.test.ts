// What the API gained for the CLI's move onto it (issue 12): projectCreate that leaves the
// recent projects alone (remember: false), engineInfo that tries a named backend and reports
// the machine, and runShowPartial, which reads a shard's run.json where runShow refuses it
// (its reading of a real shard is proven through `analyze --shard` in cli-engine.test.ts).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../main/engine/handlers/create-engine';
import { testEngine } from './helpers';

const shippedRun = path.resolve(__dirname, '..', '..', '..', 'build', 'demo', 'runs', 'adam-small-sweep');

let engine: Engine;
let dir: string;

beforeAll(async () => {
  ({ engine, dir } = await testEngine());
});
afterAll(async () => {
  await engine.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('procedures the CLI needed', () => {
  it('projectCreate with remember: false leaves the recent projects as they were; without it, puts the project first', async () => {
    const quiet = await engine.api.projectCreate({ dir: path.join(dir, 'quiet'), name: 'Quiet', remember: false });
    expect(quiet.manifest.name).toBe('Quiet');
    expect(await engine.api.projectRecent({})).toEqual([]);
    const loud = await engine.api.projectCreate({ dir: path.join(dir, 'loud'), name: 'Loud' });
    expect((await engine.api.projectRecent({})).map((r) => r.dir)).toEqual([loud.dir]);
  });

  it('engineInfo names the backend asked for, the machine and the CUDA libraries', async () => {
    const info = await engine.api.engineInfo({ backend: 'cpu' });
    expect(info.backend.name).toBe('cpu');
    expect(info.backend.attempts.at(-1)).toMatchObject({ backend: 'cpu', ok: true });
    expect(info.system).toMatchObject({ cpus: os.cpus().length, memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10 });
    expect(typeof info.cuda.cudart11).toBe('boolean');
  });

  it('runShowPartial refuses a complete run by name, and a run the project does not have', async () => {
    const project = (await engine.api.projectCreate({ dir: path.join(dir, 'runs'), name: 'Runs', remember: false })).dir;
    const store = await engine.projects.get(project);
    await store.stageItem('run', 'whole', async (to) => {
      await fs.cp(shippedRun, to, { recursive: true });
      const record = JSON.parse(await fs.readFile(path.join(to, 'run.json'), 'utf8')) as { id: string };
      await fs.writeFile(path.join(to, 'run.json'), JSON.stringify({ ...record, id: 'whole' }));
    });
    await expect(engine.api.runShowPartial({ project, run: 'whole' })).rejects.toMatchObject({
      kind: 'user',
      message: expect.stringMatching(/run 'whole' is not a partial run/),
    });
    await expect(engine.api.runShowPartial({ project, run: 'nope' })).rejects.toMatchObject({ kind: 'user' });
  });
});
