// A small real project for the run tests: a generated Brown-tagged corpus imported through
// the corpus module (so it has the `upos` and `paper` class sets), and an LSTM LM with
// seeded random weights saved through the model module, vocabulary from the corpus.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importCorpus, trainTypeCounts } from '../../../main/engine/corpus';
import { buildVocabulary } from '../../../main/engine/corpus/vocabulary';
import { buildRnnLm, saveModelWeights, selectBackend, writeModelMeta, writeVocabulary } from '../../../main/engine/model';
import { createProject } from '../../../main/engine/project';
import { MODEL_META_SCHEMA_VERSION, type Architecture } from '../../../shared/schemas/model';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

/** Sentences of word/TAG tokens (Brown tags) with number agreement, common and proper nouns. */
export function taggedText(sentences: number, seed: number): string {
  const r = lcg(seed);
  const sg = ['dog', 'cat', 'bird', 'house', 'car'];
  const pl = ['dogs', 'cats', 'birds', 'houses', 'cars'];
  const proper = ['John', 'Mary', 'Boston', 'Paris'];
  const lines: string[] = [];
  for (let i = 0; i < sentences; i++) {
    const plural = r() < 0.5;
    const subj =
      r() < 0.25 ? [`${pick(r, proper)}/np`] : ['the/at', ...(r() < 0.3 ? [`${pick(r, ['big', 'old'])}/jj`] : []), plural ? `${pick(r, pl)}/nns` : `${pick(r, sg)}/nn`];
    const verb = plural && subj.length > 1 ? `${pick(r, ['see', 'like'])}/vb` : `${pick(r, ['sees', 'likes'])}/vbz`;
    const obj = r() < 0.5 ? [`${pick(r, proper)}/np`] : ['a/at', `${pick(r, sg)}/nn`];
    const tail = r() < 0.3 ? ['in/in', `${pick(r, proper)}/np`] : [];
    lines.push([...subj, verb, ...obj, ...tail, './.'].join(' '));
  }
  return lines.join('\n') + '\n';
}

export interface RunProject {
  dir: string;
  root: string;
  vocab: string[];
  cleanup: () => Promise<void>;
}

export interface ModelSpec {
  id: string;
  embeddingDim: number;
  units: number[];
}

export async function makeRunProject(
  opts: { sentences?: number; seed?: number; units?: number[]; models?: ModelSpec[] } = {},
): Promise<RunProject> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'mnemo-runs-'));
  const dir = path.join(root, 'project');
  const store = await createProject(dir, 'runs test');
  const text = path.join(root, 'corpus.txt');
  await fs.writeFile(text, taggedText(opts.sentences ?? 120, opts.seed ?? 5));
  await store.stageItem('corpus', 'c', (out) => importCorpus({ kind: 'files', train: text, valid: text, test: text }, { id: 'c' }, out));

  const counts = await trainTypeCounts(store.itemDir('corpus', 'c'));
  const vocab = buildVocabulary(counts, 1000, true);
  await selectBackend('cpu');
  const models = opts.models ?? [{ id: 'm', embeddingDim: 6, units: opts.units ?? [5, 4] }];
  for (const spec of models) {
    const arch: Architecture = {
      vocabSize: vocab.words.length,
      embeddingDim: spec.embeddingDim,
      layers: spec.units.map((units) => ({ units, cell: 'lstm' as const, recurrentActivation: 'sigmoid' })),
      outputActivation: 'softmax',
    };
    await store.stageItem('model', spec.id, async (out) => {
      const model = buildRnnLm(arch, { initScale: 0.6, seed: opts.seed ?? 5, dropout: 0 });
      try {
        await saveModelWeights(out, model);
      } finally {
        model.dispose();
      }
      await writeVocabulary(out, vocab);
      await writeModelMeta(out, {
        schemaVersion: MODEL_META_SCHEMA_VERSION,
        created: new Date().toISOString(),
        architecture: arch,
        origin: { kind: 'imported', source: { modelJson: '/nowhere/model.json', vocab: '/nowhere/vocab.txt', weightFiles: [] }, notes: [] },
      });
    });
  }
  return { dir, root, vocab: vocab.words, cleanup: () => fs.rm(root, { recursive: true, force: true }) };
}
