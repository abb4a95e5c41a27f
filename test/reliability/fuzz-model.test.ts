// Fuzzing the parsers of an imported model (issue 10): the vocabulary (one word per line, and
// vocab.json), the TensorFlow.js model.json and its weights file. Each input is a mutant of a
// valid file (fuzz-helpers.ts). Through the import-model job of the engine's API (a worker
// thread per job, so fewer inputs), and in process through importTfjsModel, the function
// that job's worker runs (many more). Each must give a valid result or a user error naming
// the file, never an internal error; a failed job leaves the project byte-identical, and a
// successful one adds its model and nothing else, a model that lists and shows.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../main/engine/handlers/create-engine';
import { isUserError } from '../../main/engine/errors';
import { selectBackend } from '../../main/engine/model/backend';
import { importTfjsModel } from '../../main/engine/model/import-model';
import { buildRnnLm } from '../../main/engine/model/rnn-lm';
import { saveModelWeights } from '../../main/engine/model/model-files';
import type { MnemoscopeApi } from '../../shared/contract';
import { literal, settlesWithin } from '../unit/project/fifo';
import { tempDir, testEngine } from '../unit/contract/helpers';
import {
  byteMutants,
  countInput,
  expectUnchanged,
  expectUserErrorOrOk,
  jsonMutants,
  outcomeOfJob,
  printCounts,
  snapshotDiff,
  treeSnapshot,
  type Mutant,
  type Outcome,
} from './fuzz-helpers';

let engine: Engine;
let api: MnemoscopeApi;
let dir: string;
let project: string;
let out: string;

const WORDS = ['<unk>', '<eos>', 'the', 'dog', 'barks'];
const JOB_RUNS = 7;
const IN_PROCESS_RUNS = 250;

interface ModelFiles {
  modelJson: string;
  weights: string;
  vocabTxt: string;
  vocabJson: string;
}
let valid: Record<keyof ModelFiles, Buffer>;

beforeAll(async () => {
  await selectBackend('cpu');
  ({ engine, dir } = await testEngine());
  api = engine.api;
  project = (await api.projectCreate({ dir: path.join(dir, 'study'), name: 'Fuzz' })).dir;
  out = await tempDir('mnemo-fuzz-model-');
  const src = path.join(dir, 'src');
  const model = buildRnnLm(
    { vocabSize: WORDS.length, embeddingDim: 3, layers: [{ units: 4, cell: 'lstm' as const, recurrentActivation: 'sigmoid' }], outputActivation: 'softmax' },
    { initScale: 0.1, seed: 1, dropout: 0 },
  );
  try {
    await saveModelWeights(src, model);
  } finally {
    model.dispose();
  }
  valid = {
    modelJson: await fs.readFile(path.join(src, 'model.json')),
    weights: await fs.readFile(path.join(src, 'weights.bin')),
    vocabTxt: Buffer.from(WORDS.join('\n') + '\n'),
    vocabJson: Buffer.from(JSON.stringify({ words: WORDS, unk: '<unk>', eos: '<eos>' })),
  };
});

afterAll(async () => {
  printCounts('model');
  await engine?.close();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
  if (out) await fs.rm(out, { recursive: true, force: true });
});

let next = 0;

/** A fresh folder with the valid files, `which` replaced by the mutant. */
async function filesWith(which: keyof ModelFiles, m: Mutant): Promise<ModelFiles> {
  const d = path.join(dir, `in-${next++}`);
  await fs.mkdir(d);
  const files: ModelFiles = {
    modelJson: path.join(d, 'model.json'),
    weights: path.join(d, 'weights.bin'),
    vocabTxt: path.join(d, 'vocab.txt'),
    vocabJson: path.join(d, 'vocab.json'),
  };
  for (const k of Object.keys(files) as (keyof ModelFiles)[]) await fs.writeFile(files[k], k === which ? m.bytes : valid[k]);
  return files;
}

const MUTANTS: Record<keyof ModelFiles, () => fc.Arbitrary<Mutant>> = {
  modelJson: () => jsonMutants(JSON.parse(valid.modelJson.toString('utf8'))),
  weights: () => byteMutants(valid.weights),
  vocabTxt: () => byteMutants(valid.vocabTxt),
  vocabJson: () => jsonMutants(JSON.parse(valid.vocabJson.toString('utf8'))),
};
const PARSER: Record<keyof ModelFiles, string> = {
  modelJson: 'model.json',
  weights: 'weights file',
  vocabTxt: 'vocabulary (text)',
  vocabJson: 'vocabulary (vocab.json)',
};
const SEEDS: Record<keyof ModelFiles, number> = { modelJson: 3001, weights: 3002, vocabTxt: 3003, vocabJson: 3004 };
/** The file an error may name: the mutant, or model.json, which lists the weights (a size mismatch names both). */
const blamed = (which: keyof ModelFiles, f: ModelFiles) => (which === 'weights' ? [f.weights, f.modelJson] : [f[which]]);
const vocabOf = (which: keyof ModelFiles, f: ModelFiles) => (which === 'vocabJson' ? f.vocabJson : f.vocabTxt);

describe('fuzzing the files of an imported model', () => {
  for (const which of Object.keys(MUTANTS) as (keyof ModelFiles)[]) {
    it(`${PARSER[which]}: importTfjsModel, in process`, async () => {
      await fc.assert(
        fc.asyncProperty(MUTANTS[which](), async (m) => {
          countInput(`${PARSER[which]} (importTfjsModel)`);
          const f = await filesWith(which, m);
          const outDir = path.join(out, `m${next++}`);
          let r: Outcome;
          try {
            r = { ok: true, value: await importTfjsModel({ modelJson: f.modelJson, vocab: vocabOf(which, f), outDir }) };
          } catch (err) {
            r = { ok: false, kind: isUserError(err) ? 'user' : 'internal', message: `${(err as Error).name}: ${(err as Error).message}` };
            if (r.kind === 'user') r.message = (err as Error).message;
          }
          expectUserErrorOrOk(r, blamed(which, f), `${PARSER[which]} (${m.how})`);
          await fs.rm(outDir, { recursive: true, force: true });
          await fs.rm(path.dirname(f.modelJson), { recursive: true, force: true });
        }),
        { seed: SEEDS[which], numRuns: IN_PROCESS_RUNS },
      );
    });

    it(`${PARSER[which]}: the import-model job`, async () => {
      await fc.assert(
        fc.asyncProperty(MUTANTS[which](), async (m) => {
          countInput(`${PARSER[which]} (import-model job)`);
          const f = await filesWith(which, m);
          const id = `m${next++}`;
          const before = await treeSnapshot(project);
          const how = `${PARSER[which]} (${m.how}), import-model job`;
          const { jobId } = await api.jobStart({ kind: 'import-model', params: { project, id, modelJson: f.modelJson, vocab: vocabOf(which, f), backend: 'cpu' } });
          const r = outcomeOfJob(await settlesWithin(engine.jobs.whenEnded(jobId)!, 60_000, how));
          expectUserErrorOrOk(r, blamed(which, f), how);
          if (!r.ok) return expectUnchanged(project, before, how);
          const diff = snapshotDiff(before, await treeSnapshot(project));
          // The staging area (.staging/, left empty) is made by the first import.
          expect(diff.filter((d) => d !== '~project.json' && d !== '+.staging' && !d.startsWith(`+${path.join('models', id)}`)), how).toEqual([]);
          expect(await fs.readdir(path.join(project, '.staging')), how).toEqual([]);
          expect((await api.modelList({ project })).find((x) => x.id === id), how).toMatchObject({ problem: null });
          expect((await api.modelShow({ project, id })).summary.architecture.vocabSize, how).toBe(WORDS.length);
          await api.modelDelete({ project, id });
        }),
        { seed: SEEDS[which] + 100, numRuns: JOB_RUNS },
      );
    });
  }
});

describe('regressions found by the fuzzing', () => {
  it('a model.json TensorFlow.js cannot load is refused with a one-line message naming it', async () => {
    const json = JSON.parse(valid.modelJson.toString('utf8'));
    json.modelTopology.config.layers[0].config.embeddings_regularizer = -1e308;
    const f = await filesWith('modelJson', { how: 'bad regularizer', bytes: Buffer.from(JSON.stringify(json)) });
    const outDir = path.join(out, 'regression');
    await expect(importTfjsModel({ modelJson: f.modelJson, vocab: f.vocabTxt, outDir })).rejects.toThrow(
      new RegExp(`^${literal(f.modelJson)}: cannot load the TensorFlow.js model: [^\n]+$`),
    );
  });
});
