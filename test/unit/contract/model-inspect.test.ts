// modelInspect through the engine's API: the format told from the first bytes (torch.save
// zip, safetensors, tfjs model.json, ONNX), the architecture with its cells read from the
// committed PyTorch/ONNX fixtures and from a tfjs model written here, and user errors that
// name the file for everything else.
import { existsSync, readFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../main/engine/handlers/create-engine';
import { sniffModelFormat } from '../../../main/engine/model/detect-model-file';
import type { MnemoscopeApi } from '../../../shared/contract';
import type { Cell } from '../../../shared/schemas/model';
import { testEngine } from './helpers';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/pytorch');

interface FixtureModel {
  cell: Cell;
  layers: number;
  E: number;
  H: number;
  tied: boolean;
  dtype?: string;
}
const described = JSON.parse(readFileSync(path.join(FIXTURES, 'fixtures.json'), 'utf8')) as { V: number; models: Record<string, FixtureModel> };

/** Every fixture file there is, with the format modelInspect must report. */
const files = Object.entries(described.models).flatMap(([name, model]) =>
  (
    [
      ['pt', 'pytorch'],
      ['safetensors', 'safetensors'],
      ['onnx', 'onnx'],
    ] as const
  )
    .filter(([ext]) => existsSync(path.join(FIXTURES, `${name}.${ext}`)))
    .map(([ext, format]) => ({ name, file: path.join(FIXTURES, `${name}.${ext}`), format, model })),
);

let engine: Engine;
let api: MnemoscopeApi;
let dir: string;

beforeAll(async () => {
  const made = await testEngine();
  engine = made.engine;
  api = engine.api;
  dir = made.dir;
});

afterAll(async () => {
  await engine.close();
  await fs.rm(dir, { recursive: true, force: true });
});

const bytes = (...parts: (number[] | string)[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));

describe('sniffModelFormat', () => {
  it('tells a torch.save zip, a safetensors header, JSON, a legacy pickle and anything else apart', () => {
    expect(sniffModelFormat(bytes('PK\x03\x04', [20, 0, 0, 0]), 5000)).toBe('pytorch');
    const header = bytes([0x20, 0, 0, 0, 0, 0, 0, 0], '{"a":{"dtype":');
    expect(sniffModelFormat(header, 8 + 0x20 + 100)).toBe('safetensors');
    // A header longer than the file is not a safetensors file.
    expect(sniffModelFormat(header, 20)).not.toBe('safetensors');
    expect(sniffModelFormat(bytes('{"format": "layers-model"'), 100)).toBe('json');
    expect(sniffModelFormat(bytes([0xef, 0xbb, 0xbf], '\n  {"m'), 100)).toBe('json');
    expect(sniffModelFormat(bytes([0x80, 0x02, 0x8a, 0x0a]), 100)).toBe('torch-legacy');
    // An ONNX ModelProto starts with field 1 (ir_version, a varint): 0x08.
    expect(sniffModelFormat(bytes([0x08, 0x07, 0x12, 0x07], 'pytorch'), 100)).toBe('other');
    expect(sniffModelFormat(bytes([0x50, 0x4b, 0x05, 0x06]), 4)).toBe('other');
    expect(sniffModelFormat(bytes('<unk>\n<eos>\nthe\n'), 17)).toBe('text');
    expect(sniffModelFormat(new Uint8Array(0), 0)).toBe('other');
  });

  it('reads the first bytes of every fixture as its format', () => {
    for (const f of files) {
      const head = readFileSync(f.file).subarray(0, 16);
      const sniffed = sniffModelFormat(head, readFileSync(f.file).length);
      expect(sniffed, f.file).toBe(f.format === 'onnx' ? 'other' : f.format);
    }
  });
});

describe('modelInspect on the PyTorch, safetensors and ONNX fixtures', () => {
  it('has fixtures of every format to read', () => {
    expect(new Set(files.map((f) => f.format)).size).toBeGreaterThanOrEqual(2);
  });

  it.each(files.map((f) => [`${f.name}.${f.file.split('.').pop()}`, f] as const))('reads %s', async (_label, f) => {
    const nonlinearity = f.model.cell === 'rnn-relu' && f.format !== 'onnx' ? ('relu' as const) : undefined;
    const d = await api.modelInspect({ path: f.file, ...(nonlinearity && { nonlinearity }) });
    expect(d.format).toBe(f.format);
    expect(d.architecture).toMatchObject({ vocabSize: described.V, embeddingDim: f.model.E });
    expect(d.architecture.layers.map((l) => [l.cell, l.units])).toEqual(Array.from({ length: f.model.layers }, () => [f.model.cell, f.model.H]));
    expect(d.tied).toBe(f.model.tied);
    if (f.model.dtype) expect(d.dtype).toContain(f.model.dtype);
  });

  it("reads a state_dict's vanilla RNN as tanh unless told, and says so", async () => {
    const state = files.find((f) => f.name === 'rnn-relu-1layer' && f.format === 'pytorch');
    if (!state) return;
    const d = await api.modelInspect({ path: state.file });
    expect(d.architecture.layers[0].cell).toBe('rnn-tanh');
    expect(d.notes.join(' ')).toMatch(/nonlinearity|tanh/i);
  });

  it('refuses files that are not language models, naming them', async () => {
    for (const name of ['forbidden-global.pt', 'whole-module.pt']) {
      const file = path.join(FIXTURES, name);
      if (!existsSync(file)) continue;
      await expect(api.modelInspect({ path: file })).rejects.toMatchObject({ kind: 'user', message: expect.stringContaining(file) });
    }
  });
});

/** A tfjs Layers model.json (Embedding 5×3 → LSTM 4 → Dense 5) with its weights.bin, written by hand. */
async function tfjsModel(folder: string): Promise<string> {
  await fs.mkdir(folder, { recursive: true });
  const layer = (class_name: string, config: object) => ({ class_name, config });
  const topology = {
    class_name: 'Sequential',
    config: {
      name: 'lm',
      layers: [
        layer('Embedding', { name: 'embedding', input_dim: 5, output_dim: 3, batch_input_shape: [null, null] }),
        layer('LSTM', { name: 'lstm', units: 4, activation: 'tanh', recurrent_activation: 'sigmoid', return_sequences: true, use_bias: true }),
        layer('Dense', { name: 'dense', units: 5, activation: 'softmax', use_bias: true }),
      ],
    },
  };
  const specs = [
    { name: 'embedding/embeddings', shape: [5, 3] },
    { name: 'lstm/kernel', shape: [3, 16] },
    { name: 'lstm/recurrent_kernel', shape: [4, 16] },
    { name: 'lstm/bias', shape: [16] },
    { name: 'dense/kernel', shape: [4, 5] },
    { name: 'dense/bias', shape: [5] },
  ].map((s) => ({ ...s, dtype: 'float32' }));
  const values = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
  const weights = Float32Array.from({ length: values }, (_, i) => Math.sin(i) * 0.1);
  await fs.writeFile(path.join(folder, 'weights.bin'), new Uint8Array(weights.buffer));
  const modelJson = path.join(folder, 'model.json');
  await fs.writeFile(
    modelJson,
    JSON.stringify({ format: 'layers-model', modelTopology: topology, weightsManifest: [{ paths: ['weights.bin'], weights: specs }] }),
  );
  return modelJson;
}

describe('modelInspect on a TensorFlow.js model and on files that are not models', () => {
  it('reads a tfjs model.json, or the folder holding it', async () => {
    const folder = path.join(dir, 'tfjs-lm');
    const modelJson = await tfjsModel(folder);
    const expected = {
      format: 'tfjs',
      architecture: { vocabSize: 5, embeddingDim: 3, layers: [{ units: 4, cell: 'lstm', recurrentActivation: 'sigmoid' }], outputActivation: 'softmax' },
      tied: false,
      dtype: 'float32',
    };
    expect(await api.modelInspect({ path: modelJson })).toMatchObject(expected);
    expect(await api.modelInspect({ path: folder })).toMatchObject(expected);
  });

  it('says what is wrong, naming the file', async () => {
    const write = async (name: string, data: string | Uint8Array) => {
      const file = path.join(dir, name);
      await fs.writeFile(file, data);
      return file;
    };
    const cases: [string, RegExp][] = [
      [await write('vocab.json', JSON.stringify({ words: ['<unk>', 'a'], unk: '<unk>', eos: null })), /a vocabulary \(vocab\.json\), not a model/],
      [await write('other.json', '{"hello": 1}'), /without modelTopology/],
      [await write('empty.pt', ''), /the file is empty/],
      [await write('words.txt', '<unk>\n<eos>\nthe\n'), /a text file, not a model/],
      [await write('legacy.pt', bytes([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c])), /legacy format/],
      [path.join(dir, 'nowhere.pt'), /not found/],
      [dir, /a folder without a model\.json/],
    ];
    for (const [file, why] of cases) {
      const refused = api.modelInspect({ path: file });
      await expect(refused, file).rejects.toMatchObject({ kind: 'user', message: expect.stringContaining(file) });
      await expect(api.modelInspect({ path: file }), file).rejects.toMatchObject({ message: expect.stringMatching(why) });
    }
    // Bytes that are none of the formats are tried as ONNX, and refused as a file that is not a model.
    const blob = await write('blob.bin', bytes([0x00, 0xff, 0x13, 0x37, 0x00, 0x01]));
    await expect(api.modelInspect({ path: blob })).rejects.toMatchObject({ kind: 'user', message: expect.stringContaining(blob) });
  });

  it('refuses a request without a path, or with keys it does not know', async () => {
    await expect(engine.dispatch('modelInspect', {})).resolves.toMatchObject({ ok: false, error: { kind: 'user' } });
    await expect(engine.dispatch('modelInspect', { path: '/m.pt', keys: { decoder: 'x' } })).resolves.toMatchObject({ ok: false });
    await expect(engine.dispatch('modelInspect', { path: '/m.pt', nonlinearity: 'sigmoid' })).resolves.toMatchObject({ ok: false });
  });
});
