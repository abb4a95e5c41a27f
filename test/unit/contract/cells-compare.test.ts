// An LSTM, a GRU and a vanilla RNN made by PyTorch (test/fixtures/pytorch/make.py), each from
// another file format, imported, evaluated and swept through the engine's API on one corpus,
// then compared: Compare names the cell of every run and lists the cell among what differs,
// the paper check says which cell it looked at, and a sweep of a GRU's state c is refused.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../main/engine/handlers/create-engine';
import type { MnemoscopeApi } from '../../../shared/contract';
import type { JobEndEvent } from '../../../shared/events';
import type { JobStartInput } from '../../../shared/jobs';
import { testEngine } from './helpers';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/pytorch');

let engine: Engine;
let api: MnemoscopeApi;
let project: string;
let dir: string;

async function run(request: JobStartInput): Promise<JobEndEvent> {
  const { jobId } = await api.jobStart(request);
  return (await engine.jobs.whenEnded(jobId))!;
}

function done<T>(end: JobEndEvent): T {
  if (end.status !== 'done') throw new Error(`job ${end.kind} ended ${end.status}: ${end.status === 'failed' ? end.error : ''}`);
  return end.result as T;
}

// A corpus in the fixtures' vocabulary (w0..w17): seeded word salad with a repeated phrase,
// so that the three models see the same tokens.
function corpusText(): string {
  let x = 7;
  const lines: string[] = [];
  for (let s = 0; s < 120; s++) {
    const words: string[] = [];
    const n = 4 + (s % 7);
    for (let i = 0; i < n; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      words.push(`w${x % 18}`);
    }
    lines.push(words.join(' '));
  }
  return lines.join('\n') + '\n';
}

const MODELS = [
  { id: 'lstm', param: 'pytorch', file: 'lstm-2layer-untied.pt', cell: 'lstm', layers: 2 },
  { id: 'gru', param: 'pytorch', file: 'gru-1layer.safetensors', cell: 'gru', layers: 1 },
  { id: 'rnn', param: 'onnx', file: 'rnn-tanh-1layer.onnx', cell: 'rnn-tanh', layers: 1 },
] as const;

beforeAll(async () => {
  const made = await testEngine();
  engine = made.engine;
  api = engine.api;
  dir = made.dir;
  project = (await api.projectCreate({ dir: path.join(dir, 'cells'), name: 'Cells' })).dir;
  const text = path.join(dir, 'salad.txt');
  await fs.writeFile(text, corpusText());
  done(await run({ kind: 'import-corpus', params: { project, id: 'salad', source: { kind: 'file', path: text }, format: 'plain' } }));
  for (const m of MODELS) {
    const source = path.join(FIXTURES, m.file);
    await fs.access(source);
    done(await run({ kind: 'import-model', params: { project, id: m.id, [m.param]: source, vocab: path.join(FIXTURES, 'vocab.txt') } }));
  }
  for (const m of MODELS) {
    // the RNN's sweep asks for no state: a layer without c gets h
    const state = m.id === 'rnn' ? {} : { state: 'h' as const };
    const params = { project, model: m.id, corpus: 'salad', id: `${m.id}-sweep`, maxDelay: 3, streams: 4, groups: 2, ...state };
    done(await run({ kind: 'analyze', params: { ...params, workers: m.id === 'gru' ? 2 : 0 } }));
  }
}, 240_000);

afterAll(async () => {
  await engine?.close();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('an LSTM, a GRU and an RNN side by side', () => {
  it('each imported model names its cell and evaluates to a finite perplexity near the uniform one (20 words)', async () => {
    for (const m of MODELS) {
      const shown = await api.modelShow({ project, id: m.id });
      expect(shown.summary.architecture.layers.map((l) => l.cell)).toEqual(Array(m.layers).fill(m.cell));
      const { perplexity } = done<{ perplexity: number }>(await run({ kind: 'evaluate', params: { project, model: m.id, corpus: 'salad', split: 'test' } }));
      expect(Number.isFinite(perplexity)).toBe(true);
      // untrained fixtures: near uniform over 20 words, never degenerate
      expect(perplexity).toBeGreaterThan(5);
      expect(perplexity).toBeLessThan(60);
    }
  });

  it('Compare puts the three runs side by side and says that their cells differ', async () => {
    const out = await api.runCompare({ project, runs: MODELS.map((m) => `${m.id}-sweep`) });
    expect(out.records.map((r) => r.modelShape.cells)).toEqual(MODELS.map((m) => Array(m.layers).fill(m.cell)));
    expect(out.records.map((r) => r.config.state)).toEqual(['h', 'h', 'h']);
    const cell = out.warnings.find((w) => w.setting === 'cell');
    expect(cell?.values).toEqual(MODELS.map((m) => ({ run: `${m.id}-sweep`, value: expect.stringContaining(m.cell === 'lstm' ? 'LSTM' : m.cell === 'gru' ? 'GRU' : 'RNN') })));
    for (const r of out.records) {
      const sigma1 = r.summary.delays.map((d) => d.sigma1);
      expect(sigma1).toHaveLength(4);
      for (const s of sigma1) expect(s).toBeGreaterThan(0);
    }
    // different cells, different memories: the curves are not one curve
    expect(out.records[1].summary.delays[1].sigma1).not.toBeCloseTo(out.records[2].summary.delays[1].sigma1, 6);
  });

  it('the paper check names the cell, and says for a GRU that the expected values come from LSTMs', async () => {
    const lstm = await api.runFindings({ project, run: 'lstm-sweep' });
    const gru = await api.runFindings({ project, run: 'gru-sweep' });
    expect(lstm).toMatchObject({ cell: 'lstm', caveat: null });
    expect(gru.cell).toBe('gru');
    expect(gru.caveat).toMatch(/LSTM/);
  });

  it('a sweep of a GRU state c is refused, naming the layer and the cell, and writes no run', async () => {
    const end = await run({ kind: 'analyze', params: { project, model: 'gru', corpus: 'salad', id: 'gru-c', maxDelay: 2, state: 'c', workers: 0 } });
    expect(end).toMatchObject({ status: 'failed', error: expect.stringMatching(/layer 1 is a GRU.*state c|state c.*GRU/) });
    expect((await api.runList({ project })).map((r) => r.id).sort()).toEqual(['gru-sweep', 'lstm-sweep', 'rnn-sweep']);
  });
});
