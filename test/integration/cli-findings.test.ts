// `mnemoscope findings` through the real command (bundled CLI; the check runs behind the
// engine's API), on runs written from the synthetic curves of the findings tests: one that
// agrees with every finding, one that violates every one, one made before analysis version
// 2, and one whose property name carries control characters.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mnemoscope } from './cli-run';
import { createProject } from '../../main/engine/project';
import { FINDING_IDS } from '../../shared/schemas/findings';
import { contraryRun, fixtureRun, PAPER_PROPERTIES, writeRun } from '../unit/runs/findings-fixture';

function json(r: { stdout: string; stderr: string }) {
  const lines = r.stdout.trim().split('\n');
  expect(lines, `--json prints exactly one line; got:\n${r.stdout}\n${r.stderr}`).toHaveLength(1);
  return JSON.parse(lines[0]) as {
    ok: boolean;
    run?: string;
    analysisVersion?: number;
    findings?: { id: string; holds: boolean | null; reason: string | null; test: string; numbers: Record<string, number | null> }[];
    error?: { kind: string; message: string };
  };
}

let tmp: string;
let project: string;
const EVIL = 'evil\u001b[2J\nname';

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'mnemoscope-findings-'));
  project = path.join(tmp, 'proj');
  await createProject(project, 'findings');
  await writeRun(project, fixtureRun({ id: 'agrees' }));
  await writeRun(project, contraryRun('contrary'));
  await writeRun(project, fixtureRun({ id: 'old', analysisVersion: 1 }));
  await writeRun(project, fixtureRun({ id: 'escape', properties: { ...PAPER_PROPERTIES, [EVIL]: { m: () => 0.6, cos5: () => 0.2 } } }));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('mnemoscope findings', () => {
  it('--json: every finding of a run that agrees holds, with its test and numbers; exit 0', () => {
    const r = mnemoscope('findings', '--project', project, '--run', 'agrees', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = json(r);
    expect(out.ok).toBe(true);
    expect(out.run).toBe('agrees');
    expect(out.analysisVersion).toBe(2);
    expect(out.findings!.map((f) => f.id)).toEqual([...FINDING_IDS]);
    for (const f of out.findings!) {
      expect(f.holds, f.id).toBe(true);
      expect(f.test.length).toBeGreaterThan(20);
      expect(Object.keys(f.numbers).length, f.id).toBeGreaterThan(0);
    }
  });

  it('text: one line per finding, every one "does not hold" on a contrary run; still exit 0', () => {
    const r = mnemoscope('findings', '--project', project, '--run', 'contrary');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/Run 'contrary'.*0 hold, 9 do not hold, 0 cannot tell/);
    for (const id of FINDING_IDS) {
      const line = lines.find((l) => l.startsWith(`${id} `));
      expect(line, id).toBeDefined();
      expect(line).toMatch(/✗ does not hold/);
    }
    expect(lines.find((l) => l.startsWith('pronoun-largest-at-0'))).toMatch(/NOUN \(9\) exceeds PRON \(5\)/);
  });

  it('a version-1 run: "cannot tell" with the reason, and that re-running the sweep fixes it', () => {
    const r = mnemoscope('findings', '--project', project, '--run', 'old');
    expect(r.code, r.stderr).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.startsWith('memory-after-20'));
    expect(line).toMatch(/\? cannot tell.*noise floor.*re-running the sweep fixes this/);
    const out = json(mnemoscope('findings', '--project', project, '--run', 'old', '--json'));
    expect(out.findings!.find((f) => f.id === 'rare-remembered-longer')).toMatchObject({ holds: null, reason: expect.stringMatching(/per-class SEs/) });
  });

  it('escapes control characters of user-given names in the text', () => {
    const r = mnemoscope('findings', '--project', project, '--run', 'escape');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('\u001b');
    const line = r.stdout.split('\n').find((l) => l.startsWith('properties-drop-early'));
    expect(line).toMatch(/✗ does not hold/);
    expect(line).toContain('evil\\u001b[2J\\u000aname');
    // the JSON carries the name as it is (JSON escapes it)
    const out = json(mnemoscope('findings', '--project', project, '--run', 'escape', '--json'));
    expect(Object.keys(out.findings!.find((f) => f.id === 'properties-drop-early')!.numbers)).toContain(`${EVIL}.m.early`);
  });

  it('user errors exit 1 with a one-line reason: unknown run, missing project, missing option', () => {
    const unknown = mnemoscope('findings', '--project', project, '--run', 'nope', '--json');
    expect(unknown.code).toBe(1);
    expect(json(unknown)).toMatchObject({ ok: false, error: { kind: 'user', message: expect.stringMatching(/No run 'nope'/) } });
    const text = mnemoscope('findings', '--project', project, '--run', 'nope');
    expect(text.code).toBe(1);
    expect(text.stderr.trim().split('\n')).toHaveLength(1);
    const noProject = mnemoscope('findings', '--project', path.join(tmp, 'absent'), '--run', 'agrees');
    expect(noProject.code).toBe(1);
    expect(noProject.stderr).toMatch(/does not exist/);
    expect(mnemoscope('findings', '--project', project).code).toBe(1);
  });
});
