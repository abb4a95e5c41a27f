// Fuzzing the parsers of the corpus files a user gives (issue 10): plain text, word/TAG text
// and CoNLL-U, through corpusPreview and the import-corpus job (one file cut by ratio, and
// three split files), and word lists through classSetAdd. Each input is a mutant of a valid
// file or arbitrary bytes (fuzz-helpers.ts). Every call must give a valid result or a user
// error naming the file, never an internal error; a failed call leaves the project folder
// byte-identical, and a successful import or classSetAdd adds its item and nothing else,
// an item that reads back and that training can use (non-empty splits, a lexicon that parses).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLexicon } from '../../main/engine/corpus';
import type { Engine } from '../../main/engine/handlers/create-engine';
import type { MnemoscopeApi } from '../../shared/contract';
import type { JobStartInput } from '../../shared/jobs';
import { settlesWithin } from '../unit/project/fifo';
import { taggedText } from '../unit/runs/helpers';
import { testEngine } from '../unit/contract/helpers';
import {
  byteMutants,
  countInput,
  expectUnchanged,
  expectUserErrorOrOk,
  outcomeOf,
  outcomeOfJob,
  printCounts,
  snapshotDiff,
  treeSnapshot,
  type Outcome,
} from './fuzz-helpers';

let engine: Engine;
let api: MnemoscopeApi;
let dir: string;
let project: string;

const PREVIEW_RUNS = 200;
const IMPORT_RUNS = 16;

const plainText = (n: number) =>
  Array.from({ length: n }, (_, i) => `The ${['dog', 'cat', 'bird'][i % 3]} number ${i} saw ${i % 2 ? 'Mary' : 'two cats'} .`).join('\n') + '\n';

function conlluText(n: number): string {
  const rows = (k: number) =>
    [
      `# sent_id = ${k}`,
      ...['The', k % 2 ? 'dogs' : 'dog', k % 2 ? 'bark' : 'barks', '.'].map((w, i) =>
        [i + 1, w, w.toLowerCase(), ['DET', 'NOUN', 'VERB', 'PUNCT'][i], ['DT', k % 2 ? 'NNS' : 'NN', k % 2 ? 'VBP' : 'VBZ', '.'][i], '_', i === 2 ? 0 : 3, 'dep', '_', '_'].join('\t'),
      ),
    ].join('\n');
  return Array.from({ length: n }, (_, k) => rows(k + 1)).join('\n\n') + '\n';
}

const VALID: Record<string, Buffer> = {
  plain: Buffer.from(plainText(40)),
  tagged: Buffer.from(taggedText(40, 3)),
  conllu: Buffer.from(conlluText(40)),
};

beforeAll(async () => {
  ({ engine, dir } = await testEngine());
  api = engine.api;
  project = (await api.projectCreate({ dir: path.join(dir, 'study'), name: 'Fuzz' })).dir;
  const base = path.join(dir, 'base.txt');
  await fs.writeFile(base, VALID.tagged);
  const end = await runJob({ kind: 'import-corpus', params: { project, id: 'c', source: { kind: 'file', path: base } } });
  expect(end).toMatchObject({ ok: true });
  await api.classSetList({ project, corpus: 'c' }); // the frequency set is written on first open
});

afterAll(async () => {
  printCounts('corpus');
  await engine?.close();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

async function runJob(request: JobStartInput): Promise<Outcome> {
  const { jobId } = await api.jobStart(request);
  return outcomeOfJob(await settlesWithin(engine.jobs.whenEnded(jobId)!, 60_000, `the ${request.kind} job`));
}

/**
 * A successful import added corpora/<id>/ and its entry in project.json, and nothing else; the
 * corpus reads back, with text in every split and a lexicon that parses. Then it is deleted.
 */
async function checkImported(id: string, before: Map<string, string>, how: string): Promise<void> {
  const diff = snapshotDiff(before, await treeSnapshot(project));
  const prefix = `+${path.join('corpora', id)}`;
  expect(diff.filter((d) => d !== '~project.json' && !d.startsWith(prefix)), `${how}: the import changed more than its corpus`).toEqual([]);
  expect(await fs.readdir(path.join(project, '.staging')), `${how}: staging left behind`).toEqual([]);
  const listed = await api.corpusList({ project });
  expect(listed.find((c) => c.id === id), `${how}: imported but not listed as readable`).toMatchObject({ problem: null });
  const { corpus } = await api.corpusShow({ project, id });
  for (const split of ['train', 'valid', 'test'] as const) {
    expect(corpus.stats.splits[split].tokens, `${how}: the ${split} split is empty`).toBeGreaterThan(0);
  }
  await readLexicon(path.join(project, 'corpora', id, 'lexicon.tsv'));
  await api.corpusDelete({ project, id });
}

let nextId = 0;

describe('fuzzing the corpus formats', () => {
  for (const [format, seed] of [
    ['plain', 2001],
    ['tagged', 2002],
    ['conllu', 2003],
  ] as const) {
    it(`${format}: corpusPreview`, async () => {
      const file = path.join(dir, `preview.${format === 'conllu' ? 'conllu' : 'txt'}`);
      await fc.assert(
        fc.asyncProperty(byteMutants(VALID[format]), async (m) => {
          countInput(`${format} corpus file (corpusPreview)`);
          await fs.writeFile(file, m.bytes);
          const before = await treeSnapshot(project);
          const r = await outcomeOf(api.corpusPreview({ path: file }));
          expectUserErrorOrOk(r, [file], `${format} (${m.how}), corpusPreview`);
          if (r.ok) expect(r.value.lines.length).toBeLessThanOrEqual(20);
          await expectUnchanged(project, before, `${format} (${m.how}), corpusPreview`);
        }),
        { seed, numRuns: PREVIEW_RUNS },
      );
    });

    it(`${format}: the import-corpus job, one file cut 8:1:1`, async () => {
      const file = path.join(dir, `import-${format}.${format === 'conllu' ? 'conllu' : 'txt'}`);
      await fc.assert(
        fc.asyncProperty(byteMutants(VALID[format]), fc.boolean(), async (m, giveFormat) => {
          countInput(`${format} corpus file (import-corpus job)`);
          await fs.writeFile(file, m.bytes);
          const id = `f${nextId++}`;
          const before = await treeSnapshot(project);
          const how = `${format} (${m.how}), import`;
          const r = await runJob({ kind: 'import-corpus', params: { project, id, source: { kind: 'file', path: file }, ...(giveFormat && { format }) } });
          expectUserErrorOrOk(r, [file], how);
          if (r.ok) await checkImported(id, before, how);
          else await expectUnchanged(project, before, how);
        }),
        { seed: seed + 100, numRuns: IMPORT_RUNS },
      );
    });
  }

  it('three split files, one of them a mutant: the import-corpus job', async () => {
    const lines = VALID.tagged.toString('utf8').trimEnd().split('\n');
    const parts = { train: lines.slice(0, 30), valid: lines.slice(30, 35), test: lines.slice(35) };
    const files = Object.fromEntries(Object.keys(parts).map((s) => [s, path.join(dir, `split-${s}.txt`)])) as Record<keyof typeof parts, string>;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('train', 'valid', 'test'), fc.constantFrom(0, 1, 2).chain(() => byteMutants(Buffer.from(parts.valid.join('\n') + '\n'))), async (which, m) => {
        countInput('tagged split files (import-corpus job)');
        for (const [s, body] of Object.entries(parts)) await fs.writeFile(files[s as keyof typeof parts], body.join('\n') + '\n');
        await fs.writeFile(files[which as keyof typeof parts], m.bytes);
        const id = `s${nextId++}`;
        const before = await treeSnapshot(project);
        const how = `${which} split (${m.how}), import`;
        const r = await runJob({ kind: 'import-corpus', params: { project, id, source: { kind: 'files', ...files } } });
        expectUserErrorOrOk(r, Object.values(files), how);
        if (r.ok) await checkImported(id, before, how);
        else await expectUnchanged(project, before, how);
      }),
      { seed: 2010, numRuns: IMPORT_RUNS },
    );
  });

  it('word lists: classSetAdd', async () => {
    const valid = Buffer.from('# animals and places\ndog\tanimal\ncats\tanimal\nBoston\tplace\nbird\n\n3\tnumber\n');
    const file = path.join(dir, 'words.txt');
    const classes = path.join(project, 'corpora', 'c', 'classes');
    await fc.assert(
      fc.asyncProperty(byteMutants(valid), async (m) => {
        countInput('word list (classSetAdd)');
        await fs.writeFile(file, m.bytes);
        const id = `w${nextId++}`;
        const before = await treeSnapshot(project);
        const how = `word list (${m.how}), classSetAdd`;
        const r = await outcomeOf(api.classSetAdd({ project, corpus: 'c', id, words: file }));
        expectUserErrorOrOk(r, [file], how);
        if (!r.ok) return expectUnchanged(project, before, how);
        // Added: exactly the new set's file, listed with the sizes it was stored with.
        expect(snapshotDiff(before, await treeSnapshot(project)), how).toEqual([`+${path.join('corpora', 'c', 'classes', `${id}.json`)}`]);
        const listed = (await api.classSetList({ project, corpus: 'c' })).find((s) => s.id === id);
        expect(listed?.sizes, how).toEqual(Object.fromEntries(Object.entries(r.value.classSet.classes).map(([k, v]) => [k, v.length])));
        await fs.rm(path.join(classes, `${id}.json`));
      }),
      { seed: 2020, numRuns: PREVIEW_RUNS },
    );
  });
});
