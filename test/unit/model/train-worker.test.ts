// The `train` task end to end in a worker thread, reading an imported corpus folder, then
// the `evaluate` task on its test split.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCorpus } from '../../../main/engine/corpus/import-corpus';
import { runInWorker } from '../../../main/engine/jobs/run-in-worker';
import { inProcessContext } from '../../../main/engine/jobs/task-context';
import { evaluateTask } from '../../../main/engine/model/evaluate-task';
import { readModelMeta } from '../../../main/engine/model/model-files';
import { trainTask } from '../../../main/engine/model/train-task';
import type { TrainProgress, TrainTaskParams } from '../../../shared/schemas/model';
import { grammarStream } from './helpers';
import { modelTasks } from '../../../main/engine/model/tasks';

let root: string;
let corpusDir: string;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'mnemo-trainw-'));
  const { tokens, words } = grammarStream(4000, 5);
  const lines: string[] = [];
  let cur: string[] = [];
  for (const id of tokens) {
    if (words[id] === '<eos>') {
      lines.push(cur.join(' '));
      cur = [];
    } else cur.push(words[id]);
  }
  const file = path.join(root, 'grammar.txt');
  await fs.writeFile(file, lines.join('\n') + '\n');
  corpusDir = path.join(root, 'corpus');
  await fs.mkdir(corpusDir);
  await importCorpus({ kind: 'file', path: file }, { id: 'grammar', format: 'plain' }, corpusDir);
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('train task', () => {
  it('runs in a worker thread on a corpus folder, reports progress, and writes the model', async () => {
    const outDir = path.join(root, 'model');
    const events: TrainProgress[] = [];
    const params: TrainTaskParams = {
      source: { kind: 'corpus', dir: corpusDir, id: 'grammar' },
      outDir,
      config: { embeddingDim: 8, hiddenSize: 16, vocabSize: 50, batchSize: 4, bptt: 10, epochs: 2 },
      backend: 'wasm',
    };
    const r = await runInWorker(modelTasks.train, params, { onProgress: (p) => events.push(p) });
    expect(r).toMatchObject({ checkpointSaved: true, epochsRun: 2, cancelled: false });
    expect(r.backend).toMatch(/^wasm/);
    expect(events.some((e) => e.phase === 'valid' && e.epoch === 2)).toBe(true);
    expect((await fs.readdir(outDir)).sort()).toEqual(['model.json', 'training.json', 'vocab.json', 'weights.bin']);
    const meta = await readModelMeta(outDir);
    expect(meta.origin).toMatchObject({ kind: 'trained', corpus: { id: 'grammar', dir: corpusDir } });
    const vocab = JSON.parse(await fs.readFile(path.join(outDir, 'vocab.json'), 'utf8'));
    expect(vocab.words.slice(0, 2)).toEqual(['<eos>', '<unk>']);

    const ev = await evaluateTask(
      { modelDir: outDir, source: { kind: 'corpus', dir: corpusDir, split: 'test' }, batchSize: 2, bptt: 10, backend: 'wasm' },
      inProcessContext(),
    );
    expect(ev.split).toBe('test');
    expect(ev.perplexity).toBeGreaterThan(1);
    expect(ev.perplexity).toBeLessThan(8);
  });

  it('refuses bad parameters with a message naming them', async () => {
    const bad = { source: { kind: 'corpus', dir: corpusDir }, outDir: path.join(root, 'x'), config: { hiddenSize: -3 } };
    await expect(trainTask(bad as unknown as TrainTaskParams, inProcessContext())).rejects.toThrow(
      /invalid train parameters: config\.hiddenSize: /,
    );
  });
});
