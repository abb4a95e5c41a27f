// Fuzzing the parsers of the files a project keeps (issue 10): project.json, run.json and a
// run's .npy arrays, corpus.json, a class-set file, lexicon.tsv, a model's training.json,
// and the engine's settings.json. Each file of a small real project is replaced by mutants
// of itself (byte- and field-level, see fuzz-helpers.ts), as a hand edit, a bad copy or a
// disk error would, and the engine's procedures that read it are called through its API:
// each must give a valid result or a user error naming the file (never an internal error),
// must leave the project folder byte-identical, and the lists (runList, corpusList,
// modelList) must mark the item broken exactly when showing it fails.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLexicon } from '../../main/engine/corpus';
import type { Engine } from '../../main/engine/handlers/create-engine';
import { inProcessContext } from '../../main/engine/jobs/task-context';
import { isUserError } from '../../main/engine/errors';
import { formatIssuePath, parseJsonText } from '../../main/engine/project/read-json';
import { sweepTask, parseAnalyzeParams } from '../../main/engine/runs';
import type { MnemoscopeApi } from '../../shared/contract';
import { literal } from '../unit/project/fifo';
import { makeRunProject, type RunProject } from '../unit/runs/helpers';
import { tempDir, testEngine } from '../unit/contract/helpers';
import {
  byteMutants,
  countInput,
  expectUnchanged,
  expectUserErrorOrOk,
  jsonMutants,
  outcomeOf,
  printCounts,
  treeSnapshot,
  type Mutant,
  type Outcome,
} from './fuzz-helpers';

let p: RunProject;
let engine: Engine;
let api: MnemoscopeApi;
let exportsDir: string;
let settingsFile: string;

beforeAll(async () => {
  p = await makeRunProject({ sentences: 60, models: [{ id: 'm', embeddingDim: 6, units: [5] }] });
  await sweepTask(parseAnalyzeParams({ project: p.dir, corpus: 'c', model: 'm', id: 'r1', streams: 2, maxTokens: 80, maxDelay: 3, groups: 2, workers: 0 }), inProcessContext());
  let dir: string;
  ({ engine, dir } = await testEngine());
  api = engine.api;
  settingsFile = path.join(dir, 'config', 'settings.json');
  exportsDir = await tempDir('mnemo-fuzz-export-');
  // Opening the corpus's class sets writes frequency.json once (the upgrade step); after that
  // no reading call may change the project.
  await api.classSetList({ project: p.dir, corpus: 'c' });
  await api.projectOpen({ dir: p.dir }); // remembered in the settings, so settings.json exists
});

afterAll(async () => {
  printCounts('project files');
  await engine?.close();
  await p?.cleanup();
  if (exportsDir) await fs.rm(exportsDir, { recursive: true, force: true });
});

const NUM_RUNS = 120;

interface FuzzFile {
  parser: string;
  file: string;
  mutants: fc.Arbitrary<Mutant>;
  /** Calls that read the file; each is checked on its own. */
  calls: Record<string, () => Promise<Outcome>>;
  /** Further checks of the outcomes of one input (consistency between calls). */
  check?: (outcomes: Record<string, Outcome>, how: string) => void;
  seed: number;
  numRuns?: number;
  /** The folder that must stay byte-identical (default: the project). */
  root?: string;
}

/** Replaces `file` by each mutant in turn (putting it back at the end) and checks every call. */
async function fuzzFile(f: FuzzFile): Promise<void> {
  const original = await fs.readFile(f.file);
  const root = f.root ?? p.dir;
  try {
    await fc.assert(
      fc.asyncProperty(f.mutants, async (m) => {
        countInput(f.parser);
        await fs.writeFile(f.file, m.bytes);
        const before = await treeSnapshot(root);
        const outcomes: Record<string, Outcome> = {};
        for (const [name, call] of Object.entries(f.calls)) {
          const what = `${f.parser} (${m.how}), ${name}`;
          outcomes[name] = await call();
          expectUserErrorOrOk(outcomes[name], [f.file], what);
          await expectUnchanged(root, before, what);
        }
        f.check?.(outcomes, `${f.parser} (${m.how})`);
      }),
      { seed: f.seed, numRuns: f.numRuns ?? NUM_RUNS },
    );
  } finally {
    await fs.writeFile(f.file, original);
  }
}

const jsonFileMutants = async (file: string) => jsonMutants(JSON.parse(await fs.readFile(file, 'utf8')));

/** The listing's `problem` must be set, naming the file, exactly when showing the item failed. */
function listedProblemAgrees(shown: Outcome, listing: Outcome, id: string, file: string, how: string): void {
  expect(listing.ok, `${how}: the list itself failed: ${listing.ok ? '' : listing.message}`).toBe(true);
  if (!listing.ok) return;
  const entry = (listing.value as { id: string; problem?: string | null }[]).find((e) => e.id === id);
  expect(entry, `${how}: '${id}' no longer listed`).toBeDefined();
  const problem = entry?.problem ?? null;
  if (shown.ok) expect(problem, `${how}: listed as broken, but it shows`).toBeNull();
  else {
    expect(problem, `${how}: showing fails (${shown.message}) but the list does not mark it`).not.toBeNull();
    expect(problem, `${how}: the listed problem does not name the file`).toContain(path.basename(file));
  }
}

describe('fuzzing the files of a project', () => {
  it('project.json: projectInfo, projectOpen and the lists', async () => {
    const file = path.join(p.dir, 'project.json');
    await fuzzFile({
      parser: 'project.json',
      file,
      mutants: await jsonFileMutants(file),
      seed: 1001,
      calls: {
        projectInfo: () => outcomeOf(api.projectInfo({ project: p.dir })),
        projectOpen: () => outcomeOf(api.projectOpen({ dir: p.dir })),
        runList: () => outcomeOf(api.runList({ project: p.dir })),
        corpusList: () => outcomeOf(api.corpusList({ project: p.dir })),
      },
      // The settings remember opened projects: they are outside the project, and may change.
    });
  });

  it('run.json: runShow, runFindings, runExport and runList', async () => {
    const file = path.join(p.dir, 'runs', 'r1', 'run.json');
    let n = 0;
    await fuzzFile({
      parser: 'run.json',
      file,
      mutants: await jsonFileMutants(file),
      seed: 1002,
      calls: {
        runShow: () => outcomeOf(api.runShow({ project: p.dir, run: 'r1' })),
        runFindings: () => outcomeOf(api.runFindings({ project: p.dir, run: 'r1' })),
        runExport: () => outcomeOf(api.runExport({ project: p.dir, run: 'r1', format: n % 2 ? 'csv' : 'json', out: path.join(exportsDir, `r1-${n++}.out`) })),
        runList: () => outcomeOf(api.runList({ project: p.dir })),
      },
      check: (o, how) => {
        listedProblemAgrees(o.runFindings, o.runList, 'r1', file, how);
        expect(o.runShow.ok, `${how}: runShow and runFindings disagree`).toBe(o.runFindings.ok);
      },
    });
  });

  it('spectrum.npy: runShow', async () => {
    const file = path.join(p.dir, 'runs', 'r1', 'spectrum.npy');
    await fuzzFile({
      parser: 'run arrays (.npy)',
      file,
      mutants: byteMutants(await fs.readFile(file)),
      seed: 1003,
      calls: { runShow: () => outcomeOf(api.runShow({ project: p.dir, run: 'r1' })) },
    });
  });

  it('corpus.json: corpusShow and corpusList', async () => {
    const file = path.join(p.dir, 'corpora', 'c', 'corpus.json');
    await fuzzFile({
      parser: 'corpus.json',
      file,
      mutants: await jsonFileMutants(file),
      seed: 1004,
      calls: {
        corpusShow: () => outcomeOf(api.corpusShow({ project: p.dir, id: 'c' })),
        corpusList: () => outcomeOf(api.corpusList({ project: p.dir })),
      },
      check: (o, how) => listedProblemAgrees(o.corpusShow, o.corpusList, 'c', file, how),
    });
  });

  it('a class-set file (classes/paper.json): classSetList and corpusShow', async () => {
    const file = path.join(p.dir, 'corpora', 'c', 'classes', 'paper.json');
    await fuzzFile({
      parser: 'class-set file',
      file,
      mutants: await jsonFileMutants(file),
      seed: 1005,
      calls: {
        classSetList: () => outcomeOf(api.classSetList({ project: p.dir, corpus: 'c' })),
        corpusShow: () => outcomeOf(api.corpusShow({ project: p.dir, id: 'c' })),
      },
    });
  });

  it('training.json: modelShow and modelList', async () => {
    const file = path.join(p.dir, 'models', 'm', 'training.json');
    await fuzzFile({
      parser: 'training.json',
      file,
      mutants: await jsonFileMutants(file),
      seed: 1006,
      calls: {
        modelShow: () => outcomeOf(api.modelShow({ project: p.dir, id: 'm' })),
        modelList: () => outcomeOf(api.modelList({ project: p.dir })),
      },
      check: (o, how) => listedProblemAgrees(o.modelShow, o.modelList, 'm', file, how),
    });
  });

  it('lexicon.tsv: the engine reader training uses (no procedure reads it)', async () => {
    const file = path.join(p.dir, 'corpora', 'c', 'lexicon.tsv');
    await fuzzFile({
      parser: 'lexicon.tsv',
      file,
      mutants: byteMutants(await fs.readFile(file)),
      seed: 1007,
      calls: {
        readLexicon: async () => {
          try {
            return { ok: true, value: await readLexicon(file) };
          } catch (err) {
            return { ok: false, kind: isUserError(err) ? 'user' : 'internal', message: `${(err as Error).name}: ${(err as Error).message}` };
          }
        },
      },
    });
  });

  it('settings.json: settingsGet reports a broken file as its problem, naming it', async () => {
    await fuzzFile({
      parser: 'settings.json',
      file: settingsFile,
      root: path.dirname(settingsFile),
      mutants: await jsonFileMutants(settingsFile),
      seed: 1008,
      calls: {
        settingsGet: async () => {
          const r = await outcomeOf(api.settingsGet({}));
          if (!r.ok) return r;
          const problem = (r.value as { problem: string | null }).problem;
          // A problem is how settingsGet reports a broken file: check it as the error it stands for.
          return problem === null ? r : { ok: false, kind: 'user', message: problem };
        },
      },
    });
  });
});

describe('regressions found by the fuzzing', () => {
  it('JSON nested 100 000 levels deep and cut short is a user error naming the file, not a stack overflow', async () => {
    for (const text of ['['.repeat(100_000), '{"a":'.repeat(100_000), `{"runs": ${'['.repeat(50_000)}1,]`]) {
      expect(() => parseJsonText('/p/project.json', text)).toThrow(/^\/p\/project\.json: invalid JSON at line 1, column \d+: /);
    }
    const file = path.join(p.dir, 'project.json');
    const original = await fs.readFile(file);
    try {
      await fs.writeFile(file, '{"schemaVersion": 1, "corpora": ' + '['.repeat(100_000));
      const before = await treeSnapshot(p.dir);
      await expect(api.projectInfo({ project: p.dir })).rejects.toMatchObject({ kind: 'user', message: expect.stringContaining(file) });
      await expectUnchanged(p.dir, before, 'deep project.json');
    } finally {
      await fs.writeFile(file, original);
    }
  });

  it('corpus.json and a class-set file with a byte-order mark read; cut short, the error is one line saying where', async () => {
    for (const file of [path.join(p.dir, 'corpora', 'c', 'corpus.json'), path.join(p.dir, 'corpora', 'c', 'classes', 'upos.json')]) {
      const original = await fs.readFile(file);
      try {
        await fs.writeFile(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), original]));
        await expect(api.corpusShow({ project: p.dir, id: 'c' })).resolves.toMatchObject({ corpus: { id: 'c' } });
        await fs.writeFile(file, original.subarray(0, 40));
        await expect(api.corpusShow({ project: p.dir, id: 'c' })).rejects.toMatchObject({
          kind: 'user',
          message: expect.stringMatching(new RegExp(`^${literal(file)}: broken [a-z ]+, not valid JSON \\(line \\d+, column \\d+: [^\n]+\\)$`)),
        });
      } finally {
        await fs.writeFile(file, original);
      }
    }
  });

  it('a field name with a newline in a class-set file is quoted in the error, which stays one line', async () => {
    const file = path.join(p.dir, 'corpora', 'c', 'classes', 'paper.json');
    const original = await fs.readFile(file);
    try {
      const set = JSON.parse(original.toString('utf8'));
      set.classes['two\nlines'] = 3;
      await fs.writeFile(file, JSON.stringify(set));
      await expect(api.classSetList({ project: p.dir, corpus: 'c' })).rejects.toMatchObject({
        kind: 'user',
        message: expect.stringMatching(new RegExp(`^${literal(file)}: invalid class set: classes\\."two\\\\nlines": [^\n]+$`)),
      });
    } finally {
      await fs.writeFile(file, original);
    }
    expect(formatIssuePath(['splits', 0, 'a\u001b[31m', 'fine'])).toBe('splits[0]."a\\u001b[31m".fine');
  });
});

