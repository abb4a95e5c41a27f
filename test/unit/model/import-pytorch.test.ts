// Importing PyTorch state_dicts (torch.save zip format): the fixtures made by
// test/fixtures/pytorch/make-fixtures.py (LSTM LMs, 1 and 2 layers, tied and untied) give
// the same logits as PyTorch did; a GRU, a truncated zip, a pickle naming os.system and a
// FIFO are refused with a message naming the file.
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../main/engine/model/backend';
import { importPytorchModel } from '../../../main/engine/model/import-pytorch';
import { windowLogits, zeroState } from '../../../main/engine/model/lstm-forward';
import { modelTensors } from '../../../main/engine/model/lstm-lm';
import { loadLanguageModel } from '../../../main/engine/model/model-files';
import { readTorchStateDict } from '../../../main/engine/model/torch-zip';

const FIX = path.join(__dirname, '../../fixtures/pytorch');
const vocab = path.join(FIX, 'vocab.txt');
interface Reference {
  tokens: number[];
  V: number;
  models: Record<string, { layers: number; tied: boolean; logits: number[][] }>;
}
let ref: Reference;
let root: string;
let n = 0;
const outDir = () => path.join(root, `m${n++}`);

beforeAll(async () => {
  await selectBackend('cpu');
  ref = JSON.parse(await fs.readFile(path.join(FIX, 'reference.json'), 'utf8')) as Reference;
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'mnemo-pytorch-'));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('importPytorchModel', () => {
  for (const name of ['lstm-1layer-untied', 'lstm-2layer-untied', 'lstm-1layer-tied', 'lstm-2layer-tied']) {
    it(`${name}: the imported model's logits equal PyTorch's to 1e-5`, async () => {
      const expected = ref.models[name];
      const dir = outDir();
      const result = await importPytorchModel({ pytorch: path.join(FIX, `${name}.pt`), vocab, outDir: dir });
      expect(result.architecture.layers).toHaveLength(expected.layers);
      expect(result.architecture.vocabSize).toBe(ref.V);
      expect(result.notes.some((s) => s.includes('tied'))).toBe(expected.tied);
      const loaded = await loadLanguageModel(dir);
      expect(loaded.meta.origin.kind).toBe('imported');
      try {
        const p = modelTensors(loaded.model);
        const T = ref.tokens.length;
        const w = { inputs: Int32Array.from(ref.tokens), targets: new Int32Array(T), steps: T, batch: 1 };
        const { logits } = windowLogits(p, w, zeroState(p, 1));
        const got = logits.arraySync();
        logits.dispose();
        let maxErr = 0;
        for (let t = 0; t < T; t++) for (let v = 0; v < ref.V; v++) maxErr = Math.max(maxErr, Math.abs(got[t][v] - expected.logits[t][v]));
        expect(maxErr).toBeLessThan(1e-5);
      } finally {
        loaded.model.dispose();
      }
      expect(tf.memory().numTensors).toBeLessThan(1000);
    });
  }

  it('reads tied weights as two tensors on one storage', async () => {
    const sd = await readTorchStateDict(path.join(FIX, 'lstm-1layer-tied.pt'));
    expect(sd.tensors.get('encoder.weight')!.storageKey).toBe(sd.tensors.get('decoder.weight')!.storageKey);
    expect(sd.tensors.get('rnn.weight_ih_l0')!.shape).toEqual([28, 7]);
  });

  it('refuses a GRU', async () => {
    const file = path.join(FIX, 'gru-1layer.pt');
    await expect(importPytorchModel({ pytorch: file, vocab, outDir: outDir() })).rejects.toThrow(
      /gru-1layer\.pt: a GRU .*GRU and vanilla RNN import are not supported yet/,
    );
  });

  it('refuses a pickle naming os.system, without running it', async () => {
    const file = path.join(FIX, 'forbidden-global.pt');
    await expect(importPytorchModel({ pytorch: file, vocab, outDir: outDir() })).rejects.toThrow(
      /forbidden-global\.pt: refused: the pickle in it names the global '(os|posix)\.system'/,
    );
  });

  it('refuses a truncated file', async () => {
    const whole = await fs.readFile(path.join(FIX, 'lstm-2layer-untied.pt'));
    for (const keep of [10, Math.floor(whole.length / 2), whole.length - 30]) {
      const file = path.join(root, `truncated-${keep}.pt`);
      await fs.writeFile(file, whole.subarray(0, keep));
      await expect(importPytorchModel({ pytorch: file, vocab, outDir: outDir() })).rejects.toThrow(
        new RegExp(`truncated-${keep}\\.pt: .*(truncated|damaged)`),
      );
    }
  });

  it('refuses a FIFO without blocking', async () => {
    const fifo = path.join(root, 'model.pt');
    execFileSync('mkfifo', [fifo]);
    await expect(importPytorchModel({ pytorch: fifo, vocab, outDir: outDir() })).rejects.toThrow(/model\.pt: is a FIFO \(named pipe\), not a regular file/);
  });

  it('refuses a vocabulary of the wrong size, naming the numbers', async () => {
    const small = path.join(root, 'small-vocab.txt');
    await fs.writeFile(small, '<unk>\na\nb\n');
    await expect(importPytorchModel({ pytorch: path.join(FIX, 'lstm-1layer-untied.pt'), vocab: small, outDir: outDir() })).rejects.toThrow(
      /lists 3 words, but the embedding .* has 11 rows and its decoder 11 outputs/,
    );
  });
});
