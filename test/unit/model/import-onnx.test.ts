// Importing ONNX language models (main/engine/model/onnx/read-onnx.ts): the fixtures that
// test/fixtures/pytorch/make.py exports with torch.onnx.export (LSTM 1 and 2 layers, tied
// and untied, GRU, RNN tanh and ReLU) import through the engine API and give torch's
// log-probabilities; graphs built here (protobufjs, the import's own schema) check what torch
// does not export: GRU with linear_before_reset = 0, Gemm decoders, HardSigmoid gates, other
// float types. Every refusal is a one-line user error naming the file and the node or
// tensor, through readOnnxModel, the engine's import-model job and `mnemoscope model
// import --onnx` (exit 1), and leaves the project byte-identical.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../main/engine/handlers/create-engine';
import { selectBackend } from '../../../main/engine/model/backend';
import { windowLogits, zeroState } from '../../../main/engine/model/lstm-forward';
import { loadLanguageModel } from '../../../main/engine/model/model-files';
import type { OnnxModel, OnnxTensor } from '../../../main/engine/model/onnx/onnx-proto';
import { readOnnxModel } from '../../../main/engine/model/onnx/read-onnx';
import { modelTensors } from '../../../main/engine/model/rnn-lm';
import type { MnemoscopeApi } from '../../../shared/contract';
import type { JobEndEvent } from '../../../shared/events';
import { testEngine } from '../contract/helpers';
import { snapshotDiff, treeSnapshot } from '../../reliability/fuzz-helpers';
import {
  attrF,
  attrFloats,
  attrI,
  attrS,
  attrStrings,
  buildLm,
  f32Tensor,
  fixtureGraph,
  logSoftmax,
  maxDiff,
  node,
  onnxLogProbs,
  weightsLogProbs,
  writeOnnx,
  type LmSpec,
} from './onnx-helpers';
import { FIX, readFixtures, torchLogProbs, VOCAB, type Fixtures } from './pytorch-helpers';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = path.join(root, 'main', 'cli', 'mnemoscope.mjs');
const TOKENS = [1, 4, 2, 8, 0, 7, 3, 3, 6, 5, 2];

let fixtures: Fixtures;
let engine: Engine;
let api: MnemoscopeApi;
let tmp: string;
let project: string;
/** A vocabulary of the built graphs' 9 words. */
let vocab9: string;

beforeAll(async () => {
  await selectBackend('cpu');
  fixtures = await readFixtures();
  const made = await testEngine();
  engine = made.engine;
  api = engine.api;
  tmp = made.dir;
  project = (await api.projectCreate({ dir: path.join(tmp, 'study'), name: 'ONNX' })).dir;
  // The first import makes the project's staging folder (.staging/, left empty): make it before any snapshot.
  await fs.mkdir(path.join(project, '.staging'), { recursive: true });
  vocab9 = path.join(tmp, 'vocab9.txt');
  await fs.writeFile(vocab9, ['<unk>', '<eos>', ...Array.from({ length: 7 }, (_, i) => `w${i}`)].join('\n') + '\n');
});
afterAll(async () => {
  await engine.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

async function importJob(params: { id: string; onnx: string; vocab: string }): Promise<JobEndEvent> {
  const { jobId } = await api.jobStart({ kind: 'import-model', params: { project, backend: 'cpu', ...params } });
  return (await engine.jobs.whenEnded(jobId))!;
}

/** The imported model's log-probabilities over `tokens` (one stream from zero state), by the app's forward pass. */
async function importedLogProbs(dir: string, tokens: number[]): Promise<number[][]> {
  const loaded = await loadLanguageModel(dir);
  try {
    const p = modelTensors(loaded.model);
    const T = tokens.length;
    const { logits } = windowLogits(p, { inputs: Int32Array.from(tokens), targets: new Int32Array(T), steps: T, batch: 1 }, zeroState(p, 1));
    const rows = logits.arraySync();
    logits.dispose();
    return rows.map(logSoftmax);
  } finally {
    loaded.model.dispose();
  }
}

const onnxFixtures = () => Object.keys(fixtures.models).filter((n) => existsSync(path.join(FIX, `${n}.onnx`)));

describe('ONNX fixtures exported by torch.onnx.export', () => {
  it('there are ONNX fixtures of every cell', () => {
    const cells = new Set(onnxFixtures().map((n) => fixtures.models[n].cell));
    expect([...cells].sort()).toEqual(['gru', 'lstm', 'rnn-relu', 'rnn-tanh']);
  });

  it('each reads as the model torch exported, and its weights give torch’s log-probabilities to float32 rounding', async () => {
    for (const name of onnxFixtures()) {
      const fx = fixtures.models[name];
      const r = await readOnnxModel(path.join(FIX, `${name}.onnx`));
      expect(r.format).toBe('onnx');
      expect(r.dtype).toBe('float32');
      expect(r.tied, name).toBe(fx.tied);
      expect(r.weights.layers.map((l) => l.cell), name).toEqual(Array(fx.layers).fill(fx.cell));
      expect(r.weights).toMatchObject({ vocabSize: fixtures.V, embeddingDim: fx.E });
      expect(r.weights.layers.every((l) => l.units === fx.H)).toBe(true);
      const torch = await torchLogProbs(name);
      expect(maxDiff(weightsLogProbs(r.weights, fixtures.tokens), torch), name).toBeLessThan(1e-5);
    }
  });

  it('each imports through the engine API, and the imported model evaluates to torch’s log-probabilities', async () => {
    for (const name of onnxFixtures()) {
      const onnx = path.join(FIX, `${name}.onnx`);
      const end = await importJob({ id: `fx-${name}`, onnx, vocab: VOCAB });
      expect(end, name).toMatchObject({ status: 'done' });
      const result = (end as { result: { model: { dir: string }; notes: string[] } }).result;
      const loaded = await loadLanguageModel(result.model.dir);
      loaded.model.dispose();
      expect(loaded.meta.origin).toMatchObject({ kind: 'imported', source: { onnx } });
      expect(result.notes.some((s) => s.includes('tied')), name).toBe(fixtures.models[name].tied);
      expect(maxDiff(await importedLogProbs(result.model.dir, fixtures.tokens), await torchLogProbs(name)), name).toBeLessThan(1e-5);
    }
  });
});

describe('ONNX graphs built in the test', () => {
  const cases: [string, LmSpec, string][] = [
    ['GRU with linear_before_reset = 0', { op: 'GRU', attrs: [attrI('linear_before_reset', 0)] }, 'gru-classic'],
    ['GRU with linear_before_reset = 1', { op: 'GRU', attrs: [attrI('linear_before_reset', 1)] }, 'gru'],
    ['LSTM with a Gemm decoder (B [H, V])', { op: 'LSTM', decoder: 'gemm' }, 'lstm'],
    ['LSTM with a Gemm decoder (transB, B [V, H])', { op: 'LSTM', decoder: 'gemm-transB' }, 'lstm'],
    ['RNN with Relu, tied through Gemm transB on the embedding', { op: 'RNN', decoder: 'gemm-tied', attrs: [attrStrings('activations', ['Relu'])] }, 'rnn-relu'],
    ['LSTM with HardSigmoid gates', { op: 'LSTM', attrs: [attrStrings('activations', ['HardSigmoid', 'Tanh', 'Tanh'])] }, 'lstm'],
    ['GRU with HardSigmoid gates (alpha 0.2, beta 0.5 given)', { op: 'GRU', attrs: [attrStrings('activations', ['HardSigmoid', 'Tanh']), attrFloats('activation_alpha', [0.2]), attrFloats('activation_beta', [0.5])] }, 'gru-classic'],
    ['LSTM with layout = 1', { op: 'LSTM', attrs: [attrI('layout', 1)] }, 'lstm'],
  ];
  it.each(cases)('%s: read, imported and evaluated as ONNX’s equations say', async (label, spec, cell) => {
    const built = buildLm(spec);
    const file = await writeOnnx(tmp, label.replace(/[^a-z0-9]+/gi, '-'), built.model);
    const r = await readOnnxModel(file);
    expect(r.weights.layers.map((l) => l.cell)).toEqual([cell]);
    const hard = built.activations[0] === 'HardSigmoid';
    expect(r.weights.layers[0].recurrentActivation).toBe(hard ? 'hard_sigmoid' : 'sigmoid');
    expect(r.tied).toBe(spec.decoder === 'gemm-tied');
    const expected = onnxLogProbs(built, TOKENS);
    expect(maxDiff(weightsLogProbs(r.weights, TOKENS), expected)).toBeLessThan(1e-5);
    const end = await importJob({ id: `built-${cases.findIndex((c) => c[0] === label)}`, onnx: file, vocab: vocab9 });
    expect(end).toMatchObject({ status: 'done' });
    expect(maxDiff(await importedLogProbs((end as { result: { model: { dir: string } } }).result.model.dir, TOKENS), expected)).toBeLessThan(1e-5);
  });

  /** The built LSTM's initializers stored as another float type: [data_type, encoder, expected value of a float32]. */
  const half = (x: number): number => {
    // float32 → float16 by truncating the mantissa (values here are normal or flushed to zero); the expected float32 is exact.
    const b = new Uint32Array(new Float32Array([x]).buffer)[0];
    const e = ((b >>> 23) & 0xff) - 127 + 15;
    return e <= 0 ? (b >>> 16) & 0x8000 : ((b >>> 16) & 0x8000) | (e << 10) | ((b >>> 13) & 0x3ff);
  };
  const halfValue = (x: number): number => {
    const b = new Uint32Array(new Float32Array([x]).buffer)[0];
    const e = ((b >>> 23) & 0xff) - 127 + 15;
    const kept = e <= 0 ? b & 0x80000000 : b & 0xffffe000;
    return new Float32Array(new Uint32Array([kept]).buffer)[0];
  };
  const bf16 = (x: number) => new Uint32Array(new Float32Array([x]).buffer)[0] >>> 16;
  const bf16Value = (x: number) => new Float32Array(new Uint32Array([new Uint32Array(new Float32Array([x]).buffer)[0] & 0xffff0000]).buffer)[0];
  const variants: [string, (t: OnnxTensor, values: Float32Array) => void, (x: number) => number, string][] = [
    ['float16 raw_data', (t, v) => Object.assign(t, { data_type: 10, raw_data: new Uint8Array(Uint16Array.from(v, half).buffer) }), halfValue, 'float16'],
    ['float16 int32_data', (t, v) => Object.assign(t, { data_type: 10, raw_data: new Uint8Array(0), int32_data: Array.from(v, half) }), halfValue, 'float16'],
    ['bfloat16 raw_data', (t, v) => Object.assign(t, { data_type: 16, raw_data: new Uint8Array(Uint16Array.from(v, bf16).buffer) }), bf16Value, 'bfloat16'],
    ['bfloat16 int32_data', (t, v) => Object.assign(t, { data_type: 16, raw_data: new Uint8Array(0), int32_data: Array.from(v, bf16) }), bf16Value, 'bfloat16'],
    ['float64 raw_data', (t, v) => Object.assign(t, { data_type: 11, raw_data: new Uint8Array(Float64Array.from(v).buffer) }), (x) => x, 'float64'],
    ['float64 double_data', (t, v) => Object.assign(t, { data_type: 11, raw_data: new Uint8Array(0), double_data: Array.from(v) }), (x) => x, 'float64'],
    ['float32 float_data', (t, v) => Object.assign(t, { raw_data: new Uint8Array(0), float_data: Array.from(v) }), (x) => x, 'float32'],
  ];
  it.each(variants)('reads weights stored as %s, converted to float32 with a note', async (label, store, value, dtype) => {
    const built = buildLm({ op: 'LSTM' });
    const plain = await readOnnxModel(await writeOnnx(tmp, 'plain-lstm', built.model));
    for (const t of built.model.graph!.initializer) {
      if (t.data_type !== 1) continue;
      const values = new Float32Array(t.raw_data.buffer.slice(t.raw_data.byteOffset, t.raw_data.byteOffset + t.raw_data.byteLength));
      store(t, values);
    }
    const r = await readOnnxModel(await writeOnnx(tmp, `lstm-${label.replace(/ /g, '-')}`, built.model));
    expect(r.dtype).toBe(dtype === 'float32' ? 'float32' : `${dtype} (converted to float32)`);
    expect(r.notes.some((n) => n.includes(`${dtype} weights were converted to float32`))).toBe(dtype !== 'float32');
    const same = (a: Float32Array, b: Float32Array) => expect(Array.from(a)).toEqual(Array.from(b, value));
    same(r.weights.embedding, plain.weights.embedding);
    same(r.weights.layers[0].kernel, plain.weights.layers[0].kernel);
    same(r.weights.layers[0].recurrentKernel, plain.weights.layers[0].recurrentKernel);
    same(r.weights.outputKernel, plain.weights.outputKernel);
  });

  it('notes a fed initial state, and imports zero peepholes with a note', async () => {
    const built = buildLm({ op: 'LSTM' });
    const g = built.model.graph!;
    g.input.push({ name: 'h0' });
    g.initializer.push(f32Tensor('P0', [1, 15], new Float32Array(15)));
    g.node[1].input.push('', 'h0', '', 'P0');
    const r = await readOnnxModel(await writeOnnx(tmp, 'fed-state', built.model));
    expect(r.notes.join('; ')).toMatch(/initial state initial_h of LSTM '\/rnn\/LSTM' comes from the graph input 'h0'/);
    expect(r.notes.join('; ')).toMatch(/peephole weights that are all zero/);
  });
});

// ---- refusals ----

type Change = (m: OnnxModel) => void;
const rnnNode = (m: OnnxModel) => m.graph!.node.find((n) => ['LSTM', 'GRU', 'RNN'].includes(n.op_type))!;
const tensor = (m: OnnxModel, name: string) => m.graph!.initializer.find((t) => t.name === name)!;

/** [label, graph (a fixture's name or a built spec), change, what the message must say besides the file]. */
const REFUSALS: [string, string | LmSpec, Change, RegExp][] = [
  ['a bidirectional LSTM', 'lstm-1layer-untied', (m) => rnnNode(m).attribute.push(attrS('direction', 'bidirectional') as never), /LSTM '\/rnn\/LSTM' runs in direction 'bidirectional'; only forward/],
  ['a reverse GRU', 'gru-1layer', (m) => rnnNode(m).attribute.push(attrS('direction', 'reverse') as never), /GRU '\/rnn\/GRU' runs in direction 'reverse'/],
  [
    'an unsupported op on the data path',
    'lstm-1layer-untied',
    (m) => {
      const lstm = rnnNode(m);
      m.graph!.node.splice(m.graph!.node.indexOf(lstm), 0, node('Tanh', '/encoder/Tanh', [lstm.input[0]], ['squashed']));
      lstm.input[0] = 'squashed';
    },
    /nodes that are not part of an Embedding → LSTM\/GRU\/RNN → Linear language model: Tanh '\/encoder\/Tanh'; the graph has .*LSTM/,
  ],
  [
    'a second MatMul off the path',
    'rnn-tanh-1layer',
    (m) => m.graph!.node.push(node('MatMul', '/extra/MatMul', ['encoder.weight', 'encoder.weight'], ['extra'])),
    /nodes off the path from the embedding to the output: MatMul '\/extra\/MatMul'/,
  ],
  ['a node of another domain', 'gru-1layer', (m) => Object.assign(rnnNode(m), { domain: 'com.microsoft' }), /GRU '\/rnn\/GRU' \(domains 'com.microsoft'\)/],
  ['an LSTM with clip', 'lstm-2layer-untied', (m) => rnnNode(m).attribute.push(attrF('clip', 3) as never), /LSTM '\/rnn\/LSTM' clips its cell values \(clip 3\)/],
  ['an LSTM with input_forget = 1', 'lstm-1layer-untied', (m) => rnnNode(m).attribute.push(attrI('input_forget', 1) as never), /LSTM '\/rnn\/LSTM' couples its input and forget gates/],
  [
    'an LSTM with peepholes',
    { op: 'LSTM' },
    (m) => {
      m.graph!.initializer.push(f32Tensor('P', [1, 15], new Float32Array(15).fill(0.1)));
      rnnNode(m).input.push('', '', '', 'P');
    },
    /LSTM '\/rnn\/LSTM' has peephole weights \(P, tensor 'P'\)/,
  ],
  [
    'an RNN with sequence_lens',
    'rnn-relu-1layer',
    (m) => {
      m.graph!.input.push({ name: 'lengths' });
      rnnNode(m).input[4] = 'lengths';
    },
    /RNN '\/rnn\/RNN' takes sequence_lens \('lengths'\)/,
  ],
  ['an LSTM with a Relu cell activation', { op: 'LSTM', attrs: [attrStrings('activations', ['Sigmoid', 'Relu', 'Tanh'])] }, () => {}, /LSTM '\/rnn\/LSTM' has activation Relu for its cell input/],
  [
    'a GRU with HardSigmoid of alpha 0.3',
    { op: 'GRU', attrs: [attrStrings('activations', ['HardSigmoid', 'Tanh']), attrFloats('activation_alpha', [0.3])] },
    () => {},
    /GRU '\/rnn\/GRU' has activation HardSigmoid \(alpha 0.3/,
  ],
  ['an RNN with a Sigmoid activation', { op: 'RNN', attrs: [attrStrings('activations', ['Sigmoid'])] }, () => {}, /RNN '\/rnn\/RNN' has activation Sigmoid for its hidden state/],
  [
    'a learned initial state',
    { op: 'GRU' },
    (m) => {
      m.graph!.initializer.push(f32Tensor('h0', [1, 1, 5], new Float32Array(5).fill(0.5)));
      rnnNode(m).input.push('', 'h0');
    },
    /initial_h of GRU '\/rnn\/GRU' is the stored tensor 'h0', which is not zero/,
  ],
  [
    'a NaN in a weight',
    'lstm-2layer-tied',
    (m) => {
      const t = m.graph!.initializer.find((x) => x.dims.length === 3)!;
      new DataView(t.raw_data.buffer, t.raw_data.byteOffset).setFloat32(8, NaN, true);
    },
    /tensor 'onnx::LSTM_\d+' \(W of LSTM '\/rnn\/LSTM(_1)?'\) holds NaN at index 2/,
  ],
  [
    'an Infinity in the decoder bias',
    'gru-2layer',
    (m) => new DataView(tensor(m, 'decoder.bias').raw_data.buffer, tensor(m, 'decoder.bias').raw_data.byteOffset).setFloat32(0, Infinity, true),
    /tensor 'decoder.bias' \(the decoder bias of Add '\/decoder\/Add'\) holds Infinity at index 0/,
  ],
  [
    'weights in external data',
    'lstm-1layer-untied',
    (m) =>
      Object.assign(tensor(m, 'encoder.weight'), {
        raw_data: new Uint8Array(0),
        data_location: 1,
        external_data: [{ key: 'location', value: 'weights.bin' }],
      }),
    /tensor 'encoder.weight' \(the embedding of Gather '\/encoder\/Gather'\) keeps its data in an external file \('weights.bin'\)/,
  ],
  [
    'a cycle on the data path',
    { op: 'RNN' },
    (m) => {
      rnnNode(m).input[0] = 'elsewhere';
      m.graph!.node.splice(1, 0, node('Identity', '/loop/A', ['emb_out'], ['looped']), node('Identity', '/loop/B', ['looped'], ['emb_out']));
    },
    /the graph has a cycle through Identity '\/loop\/A'/,
  ],
  ['an int8 embedding', 'lstm-1layer-untied', (m) => Object.assign(tensor(m, 'encoder.weight'), { data_type: 3 }), /no embedding: no Gather node reads a stored \[V, E\] weight/],
  [
    'a decoder of the wrong width',
    { op: 'RNN', decoder: 'gemm' },
    (m) => Object.assign(tensor(m, 'dec_HV'), { dims: [9, 5] }),
    /tensor 'dec_HV' \(the decoder weight of Gemm '\/decoder\/Gemm'\) has shape \[9, 5\]; expected \[5, 9\]/,
  ],
];

async function refusalFile(label: string, source: string | LmSpec, change: Change): Promise<string> {
  const m = typeof source === 'string' ? await fixtureGraph(source) : buildLm(source).model;
  change(m);
  return writeOnnx(tmp, `refused-${label.replace(/[^a-z0-9]+/gi, '-')}`, m);
}

function vocabFor(source: string | LmSpec): string {
  return typeof source === 'string' ? VOCAB : vocab9;
}

describe('refusals: a one-line user error naming the file and the node or tensor', () => {
  it.each(REFUSALS)('%s', async (label, source, change, message) => {
    const file = await refusalFile(label, source, change);
    const err = await readOnnxModel(file).then(
      () => null,
      (e: unknown) => e as Error & { kind?: string },
    );
    expect(err, label).not.toBeNull();
    expect(err!.name).toBe('UserError');
    expect(err!.message).not.toMatch(/\n/);
    expect(err!.message.startsWith(`${file}: `), err!.message).toBe(true);
    expect(err!.message).toMatch(message);

    const before = await treeSnapshot(project);
    const end = await importJob({ id: 'refused', onnx: file, vocab: vocabFor(source) });
    expect(end).toMatchObject({ status: 'failed', errorKind: 'user' });
    const jobError = (end as { error: string }).error;
    expect(jobError).toContain(file);
    expect(jobError).toMatch(message);
    expect(jobError).not.toMatch(/\n/);
    expect(snapshotDiff(before, await treeSnapshot(project))).toEqual([]);
    expect(await fs.readdir(path.join(project, '.staging'))).toEqual([]);
  });

  it('refuses what is not an ONNX model, and a truncated one', async () => {
    const whole = await fs.readFile(path.join(FIX, 'lstm-1layer-untied.onnx'));
    for (const [name, bytes] of [
      ['text.onnx', Buffer.from('hello, world\n')],
      ['truncated.onnx', whole.subarray(0, Math.floor(whole.length / 2))],
    ] as const) {
      const file = path.join(tmp, name);
      await fs.writeFile(file, bytes);
      await expect(readOnnxModel(file)).rejects.toThrow(new RegExp(`^${file.replace(/[.]/g, '\\.')}: not an ONNX model`));
    }
  });

  it('refuses a vocabulary of the wrong size through the engine API, naming the numbers', async () => {
    const end = await importJob({ id: 'wrong-vocab', onnx: path.join(FIX, 'gru-1layer.onnx'), vocab: vocab9 });
    expect(end).toMatchObject({ status: 'failed', errorKind: 'user', error: expect.stringMatching(/lists 9 words, but the embedding of .*gru-1layer\.onnx has 20 rows/) });
  });
});

describe('mnemoscope model import --onnx', () => {
  const cli = (...args: string[]) => {
    const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: root, timeout: 300_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const cliAsync = (...args: string[]) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('close', (code) => resolve({ code, stderr }));
    });

  it('imports a fixture, and refuses every refused graph with exit 1, one line naming the file, the project unchanged', async () => {
    const ok = cli('model', 'import', '--project', project, '--onnx', path.join(FIX, 'lstm-2layer-tied.onnx'), '--vocab', VOCAB, '--id', 'cli-lstm', '--backend', 'cpu');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/imported model 'cli-lstm': V=20, E=6, LSTM 6 → LSTM 6/);
    expect(ok.stdout).toMatch(/tied/);

    const two = cli('model', 'import', '--project', project, '--onnx', 'a.onnx', '--pytorch', 'b.pt', '--vocab', VOCAB, '--id', 'x');
    expect(two.code).toBe(1);
    expect(two.stderr).toMatch(/exactly one of --tfjs FILE .* --pytorch FILE .* and --onnx FILE/);

    // Four at a time (each is a process and a worker); distinct ids, one snapshot around them all.
    const before = await treeSnapshot(project);
    const files = await Promise.all(REFUSALS.map(([label, source, change]) => refusalFile(label, source, change)));
    const results: { code: number | null; stderr: string }[] = [];
    for (let at = 0; at < REFUSALS.length; at += 4) {
      const batch = REFUSALS.slice(at, at + 4).map(([, source], k) =>
        cliAsync('model', 'import', '--project', project, '--onnx', files[at + k], '--vocab', vocabFor(source), '--id', `refused-${at + k}`, '--backend', 'cpu'),
      );
      results.push(...(await Promise.all(batch)));
    }
    REFUSALS.forEach(([label, , , message], i) => {
      const r = results[i];
      expect(r.code, `${label}: ${r.stderr}`).toBe(1);
      const lines = r.stderr.trim().split('\n');
      expect(lines, label).toHaveLength(1);
      expect(lines[0]).toContain(files[i]);
      expect(lines[0]).toMatch(message);
    });
    expect(snapshotDiff(before, await treeSnapshot(project))).toEqual([]);
    expect(await fs.readdir(path.join(project, '.staging'))).toEqual([]);
  }, 600_000);
});
