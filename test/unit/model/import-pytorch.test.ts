// Importing PyTorch language models (torch.save state_dicts and safetensors files) against
// torch's own outputs: the fixtures of test/fixtures/pytorch, made by make.py with Debian's
// python3-torch (LSTM 1 and 2 layers tied and untied, GRU 1 and 2 layers, RNN tanh and relu,
// float16 / bfloat16 / float64 copies). For each model and format: the weights as read give
// torch's log-probabilities (a plain float64 forward pass over rnn-weights.ts layouts); the
// imported model folder gives them too (tfjs); Mnemoscope's sweep on the imported model gives
// torch autograd's averaged state gradients. Then key recognition (prefixes, tied variants,
// ambiguity and --keys, two recurrent modules, the RNN's nonlinearity). The refusals are in
// import-pytorch-refusals.test.ts.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsGemmEngine } from '../../../main/engine/gradients/gemm-engine';
import { jsKernels } from '../../../main/engine/gradients/tangent-step';
import { layoutStreams } from '../../../main/engine/gradients/stream-layout';
import { selectBackend } from '../../../main/engine/model/backend';
import { extractWeights } from '../../../main/engine/model/extract-weights';
import { importPytorchModel, readPytorchModel } from '../../../main/engine/model/import-pytorch';
import { loadLanguageModel } from '../../../main/engine/model/model-files';
import type { RnnLmWeights } from '../../../main/engine/model/rnn-weights';
import { readTorchStateDict } from '../../../main/engine/model/torch-zip';
import type { ImportModelResult } from '../../../shared/schemas/model';
import { sweepSums } from '../gradients/sweep-helpers';
import {
  FIX,
  VOCAB,
  f32,
  fixtureTensors,
  logSoftmax,
  maxAbsDiff,
  readFixtures,
  referenceLogProbs,
  safetensorsOf,
  torchGradients,
  torchLogProbs,
  type Fixtures,
} from './pytorch-helpers';

const MODELS = ['lstm-1layer-untied', 'lstm-2layer-untied', 'lstm-2layer-tied', 'gru-1layer', 'gru-2layer', 'rnn-tanh-1layer', 'rnn-relu-1layer'];
const DTYPES = ['lstm-1layer-f16', 'lstm-1layer-bf16', 'lstm-1layer-f64'];
const FORMATS = ['pt', 'safetensors'] as const;
/** Log-probabilities are about −3: float32 rounding through a few layers stays far below this. */
const LOGPROB_TOL = 2e-5;

let fx: Fixtures;
let root: string;
let n = 0;
const outDir = () => path.join(root, `m${n++}`);
const nonlinearityOf = (name: string) => (name.startsWith('rnn-relu') ? ('relu' as const) : undefined);

beforeAll(async () => {
  await selectBackend('cpu');
  fx = await readFixtures();
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'mnemo-pytorch-'));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

/** One import per fixture file, shared by the tests that look at it. */
const imports = new Map<string, Promise<{ result: ImportModelResult; dir: string }>>();
function imported(name: string, fmt: string): Promise<{ result: ImportModelResult; dir: string }> {
  const key = `${name}.${fmt}`;
  let p = imports.get(key);
  if (!p) {
    const dir = outDir();
    p = importPytorchModel({ pytorch: path.join(FIX, key), vocab: VOCAB, outDir: dir, nonlinearity: nonlinearityOf(name) }).then((result) => ({ result, dir }));
    imports.set(key, p);
  }
  return p;
}

/** The log-probabilities of the model folder's tfjs model on the tokens, one stream. */
async function folderLogProbs(dir: string, tokens: number[]): Promise<number[][]> {
  const loaded = await loadLanguageModel(dir);
  try {
    const logits = tf.tidy(() => (loaded.model.predict(tf.tensor2d(tokens, [1, tokens.length], 'int32')) as tf.Tensor).squeeze([0]));
    const rows = (await logits.array()) as number[][];
    logits.dispose();
    return rows.map(logSoftmax);
  } finally {
    loaded.model.dispose();
  }
}

async function folderWeights(dir: string): Promise<RnnLmWeights> {
  const loaded = await loadLanguageModel(dir);
  try {
    return extractWeights(loaded.model);
  } finally {
    loaded.model.dispose();
  }
}

/** Mnemoscope's Ḡ_τ of the top layer's state, [D+1] blocks [H, E], on the fixtures' streams. */
function sweepMeans(w: RnnLmWeights, state: 'c' | 'h'): Float64Array[] {
  const layout = layoutStreams(fx.tokens, fx.streams);
  const { sum, count } = sweepSums(
    w,
    layout.tokens,
    layout.streams,
    layout.length,
    { state, layer: w.layers.length, D: fx.maxDelay, groups: 1 },
    new JsGemmEngine(),
    jsKernels,
  );
  const T = layout.length;
  expect(count).toEqual(Array.from({ length: fx.maxDelay + 1 }, (_, d) => fx.streams * (T - d)));
  return sum.map((s, d) => s.map((v) => v / count[d]));
}

describe('the weights read from each fixture give torch\'s log-probabilities', () => {
  for (const name of [...MODELS, ...DTYPES]) {
    for (const fmt of FORMATS) {
      it(`${name}.${fmt}`, async () => {
        const m = fx.models[name];
        const r = await readPytorchModel(path.join(FIX, `${name}.${fmt}`), { nonlinearity: nonlinearityOf(name) });
        expect(r.format).toBe(fmt === 'pt' ? 'pytorch' : 'safetensors');
        expect(r.weights.layers.map((l) => l.cell)).toEqual(Array(m.layers).fill(m.cell));
        expect(r.weights.layers.map((l) => l.units)).toEqual(Array(m.layers).fill(m.H));
        expect([r.weights.vocabSize, r.weights.embeddingDim]).toEqual([fx.V, m.E]);
        expect(r.tied).toBe(m.tied);
        expect(r.notes.some((s) => s.includes('tied'))).toBe(m.tied);
        if (m.dtype) {
          expect(r.dtype).toBe(`${m.dtype} (converted to float32)`);
          expect(r.notes).toContain(`${m.dtype} weights were converted to float32`);
        } else {
          expect(r.dtype).toBe('float32');
        }
        expect(maxAbsDiff(referenceLogProbs(r.weights, fx.tokens), await torchLogProbs(name))).toBeLessThan(LOGPROB_TOL);
      });
    }
  }
});

describe('imported models: log-probabilities and state gradients equal torch\'s', () => {
  for (const name of MODELS) {
    for (const fmt of FORMATS) {
      it(`${name}.${fmt}: log-probabilities of the model folder`, async () => {
        const m = fx.models[name];
        const { result, dir } = await imported(name, fmt);
        expect(result.architecture.layers.map((l) => l.cell)).toEqual(Array(m.layers).fill(m.cell));
        expect(result.architecture.outputActivation).toBe('linear');
        const loaded = await loadLanguageModel(dir);
        loaded.model.dispose();
        expect(loaded.meta.origin.kind).toBe('imported');
        expect(maxAbsDiff(await folderLogProbs(dir, fx.tokens), await torchLogProbs(name))).toBeLessThan(LOGPROB_TOL);
        expect(tf.memory().numTensors).toBeLessThan(1000);
      });

      it(`${name}.${fmt}: state gradients of the top layer (${name.startsWith('lstm') ? 'c and h' : 'h'}) by the sweep`, async () => {
        const m = fx.models[name];
        const w = await folderWeights((await imported(name, fmt)).dir);
        for (const state of m.states) {
          const ref = await torchGradients(name, state);
          const got = sweepMeans(w, state);
          for (let d = 0; d <= fx.maxDelay; d++) {
            let err = 0;
            let scale = 0;
            ref.blocks[d].forEach((v, i) => {
              err = Math.max(err, Math.abs(got[d][i] - v));
              scale = Math.max(scale, Math.abs(v));
            });
            expect(err / scale, `${state}, delay ${d}: max error ${err} against max ${scale}`).toBeLessThan(1e-4);
          }
        }
      });
    }
  }

  it('a float16 state_dict imports with a note, and its model gives torch\'s log-probabilities', async () => {
    const dir = outDir();
    const result = await importPytorchModel({ pytorch: path.join(FIX, 'lstm-1layer-f16.pt'), vocab: VOCAB, outDir: dir });
    expect(result.notes).toContain('float16 weights were converted to float32');
    expect(maxAbsDiff(await folderLogProbs(dir, fx.tokens), await torchLogProbs('lstm-1layer-f16'))).toBeLessThan(LOGPROB_TOL);
  });
});

describe('recognising the parts', () => {
  const write = async (name: string, bytes: Buffer) => {
    const file = path.join(root, name);
    await fs.writeFile(file, bytes);
    return file;
  };

  it('keys with other prefixes (DataParallel\'s module., a wrapper) are recognised by suffix and shape', async () => {
    const renamed = (await fixtureTensors('lstm-2layer-untied')).map(([k, t]) => [`module.lm.${k.replace('rnn.', 'lstm_stack.')}`, f32(t)] as [string, ReturnType<typeof f32>]);
    const r = await readPytorchModel(await write('prefixed.safetensors', safetensorsOf(renamed)));
    expect(r.weights.layers).toHaveLength(2);
    expect(maxAbsDiff(referenceLogProbs(r.weights, fx.tokens), await torchLogProbs('lstm-2layer-untied'))).toBeLessThan(LOGPROB_TOL);
  });

  it('tied weights: one storage in a .pt, no decoder weight in a .safetensors, or no encoder weight (the name safetensors may keep)', async () => {
    const sd = await readTorchStateDict(path.join(FIX, 'lstm-2layer-tied.pt'));
    expect(sd.tensors.get('encoder.weight')!.storageKey).toBe(sd.tensors.get('decoder.weight')!.storageKey);
    const st = await fixtureTensors('lstm-2layer-tied');
    expect(st.map(([k]) => k)).not.toContain('decoder.weight');
    const keptDecoder = st.map(([k, t]) => [k === 'encoder.weight' ? 'decoder.weight' : k, f32(t)] as [string, ReturnType<typeof f32>]);
    const r = await readPytorchModel(await write('tied-decoder-kept.safetensors', safetensorsOf(keptDecoder)));
    expect(r.tied).toBe(true);
    expect(r.notes.join(' ')).toMatch(/tied to the embedding \('decoder\.weight'\)/);
    expect(maxAbsDiff(referenceLogProbs(r.weights, fx.tokens), await torchLogProbs('lstm-2layer-tied'))).toBeLessThan(LOGPROB_TOL);
    // Two keys with equal values count as tied too.
    const twice = [...st.map(([k, t]) => [k, f32(t)] as [string, ReturnType<typeof f32>]), ['decoder.weight', f32(st.find(([k]) => k === 'encoder.weight')![1])] as [string, ReturnType<typeof f32>]];
    expect((await readPytorchModel(await write('tied-equal.safetensors', safetensorsOf(twice)))).tied).toBe(true);
    expect((await readPytorchModel(path.join(FIX, 'lstm-2layer-untied.pt'))).tied).toBe(false);
  });

  it('an embedding and a decoder that cannot be told apart: the error lists the keys and --keys; --keys resolves it', async () => {
    // E = H and two [V, H] tensors with neutral names, no bias beside either, different values.
    const st = await fixtureTensors('lstm-2layer-tied');
    const emb = st.find(([k]) => k === 'encoder.weight')![1];
    const other = { shape: emb.shape, data: emb.data.map((v) => -0.5 * v) };
    const parts: [string, ReturnType<typeof f32>][] = [
      ['a', f32(emb)],
      ['b', f32(other)],
      ...st.filter(([k]) => k.startsWith('rnn.')).map(([k, t]) => [k, f32(t)] as [string, ReturnType<typeof f32>]),
    ];
    const file = await write('ambiguous.safetensors', safetensorsOf(parts));
    const err = await readPytorchModel(file).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    const msg = (err as Error).message;
    expect(msg).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot tell which tensor is the embedding`));
    expect(msg).toContain('a [20, 6], b [20, 6], rnn.weight_ih_l0 [24, 6]');
    expect(msg).toContain('--keys emb=NAME,rnn=PREFIX,out=NAME');
    expect(msg).not.toMatch(/\n/);
    const r = await readPytorchModel(file, { keys: { emb: 'b', out: 'a' } });
    expect(r.weights.embedding).toEqual(Float32Array.from(other.data));
    expect(r.tied).toBe(false);
    expect(r.notes).toContain('the decoder has no bias (zero)');
    // outputKernel is the decoder weight [V, H] transposed.
    expect(r.weights.outputKernel[1 * fx.V + 0]).toBe(emb.data[0 * 6 + 1]);
    await expect(readPytorchModel(file, { keys: { emb: 'nope' } })).rejects.toThrow(/--keys emb=nope: no key 'nope' or 'nope\.weight'; keys: a \[20, 6\]/);
  });

  it('two recurrent modules: refused with the override named; --keys rnn=PREFIX picks one and the rest is ignored with a note', async () => {
    const st = await fixtureTensors('gru-1layer');
    const parts = [
      ...st.map(([k, t]) => [k, f32(t)] as [string, ReturnType<typeof f32>]),
      ...st.filter(([k]) => k.startsWith('rnn.')).map(([k, t]) => [k.replace('rnn.', 'spare_rnn.'), f32(t)] as [string, ReturnType<typeof f32>]),
    ];
    const file = await write('two-rnns.safetensors', safetensorsOf(parts));
    await expect(readPytorchModel(file)).rejects.toThrow(/more than one recurrent module \(key prefixes 'rnn\.', 'spare_rnn\.'\).*--keys emb=NAME,rnn=PREFIX,out=NAME/);
    const r = await readPytorchModel(file, { keys: { rnn: 'rnn' } });
    expect(r.notes.join(' ')).toMatch(/ignored \(not named by --keys and not part of the model\): spare_rnn\.weight_ih_l0 \[18, 5\]/);
    expect(maxAbsDiff(referenceLogProbs(r.weights, fx.tokens), await torchLogProbs('gru-1layer'))).toBeLessThan(LOGPROB_TOL);
    await expect(readPytorchModel(file, { keys: { rnn: 'other' } })).rejects.toThrow(/--keys rnn=other: no key is 'other\.weight_ih_l0'/);
  });

  it('a vanilla RNN is tanh unless told relu, and the notes say which', async () => {
    const relu = path.join(FIX, 'rnn-relu-1layer.pt');
    const assumed = await readPytorchModel(relu);
    expect(assumed.weights.layers[0].cell).toBe('rnn-tanh');
    expect(assumed.notes.join(' ')).toMatch(/does not record its nonlinearity; tanh assumed .*--nonlinearity relu/);
    expect(maxAbsDiff(referenceLogProbs(assumed.weights, fx.tokens), await torchLogProbs('rnn-relu-1layer'))).toBeGreaterThan(1e-3);
    const told = await readPytorchModel(relu, { nonlinearity: 'relu' });
    expect(told.weights.layers[0].cell).toBe('rnn-relu');
    expect(told.notes).toContain('a vanilla RNN with the relu nonlinearity (as given)');
    const lstm = await readPytorchModel(path.join(FIX, 'lstm-1layer-untied.pt'), { nonlinearity: 'relu' });
    expect(lstm.notes.join(' ')).toMatch(/'relu' given was ignored: the model is an LSTM/);
  });

  it('a GRU keeps its recurrent bias apart (PyTorch\'s b_hn inside the reset product)', async () => {
    const r = await readPytorchModel(path.join(FIX, 'gru-1layer.pt'));
    const sd = await readTorchStateDict(path.join(FIX, 'gru-1layer.pt'));
    const bhh = sd.tensors.get('rnn.bias_hh_l0')!.data;
    const H = 6;
    // Keras z, r, h ← PyTorch r, z, n
    expect(Array.from(r.weights.layers[0].recurrentBias!)).toEqual([...bhh.subarray(H, 2 * H), ...bhh.subarray(0, H), ...bhh.subarray(2 * H)]);
    expect(r.notes.join(' ')).toMatch(/gates r, z, n\) imported as a GRU/);
  });
});
