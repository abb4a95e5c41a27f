// Shared by the PyTorch import tests: the fixtures of test/fixtures/pytorch (made by make.py)
// and torch's reference outputs, a safetensors writer for variants made in the tests, a plain
// float64 forward pass over read weights (rnn-weights.ts layouts, independent of tfjs), and
// log-softmax.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RnnLmWeights } from '../../../main/engine/model/rnn-weights';
import type { StoredTensor } from '../../../main/engine/model/pytorch-keys';
import { parseSafetensors } from '../../../main/engine/model/safetensors';
import { readNpy } from '../../../main/engine/project/npy';

export const FIX = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/pytorch');
export const VOCAB = path.join(FIX, 'vocab.txt');

export interface FixtureModel {
  cell: 'lstm' | 'gru' | 'rnn-tanh' | 'rnn-relu';
  layers: number;
  E: number;
  H: number;
  tied: boolean;
  /** States with a grad-<s>.npy reference: ['h'], or ['c', 'h'] for an LSTM; [] for the dtype copies. */
  states: ('c' | 'h')[];
  /** The stored type of the dtype copies (float16, bfloat16, float64). */
  dtype?: string;
}

export interface Fixtures {
  V: number;
  tokens: number[];
  streams: number;
  maxDelay: number;
  models: Record<string, FixtureModel>;
}

export async function readFixtures(): Promise<Fixtures> {
  return JSON.parse(await fs.readFile(path.join(FIX, 'fixtures.json'), 'utf8')) as Fixtures;
}

/** torch's log-probabilities of NAME, [N][V]. */
export async function torchLogProbs(name: string): Promise<number[][]> {
  const a = await readNpy(path.join(FIX, `${name}.logprobs.npy`));
  const [n, v] = a.shape;
  return Array.from({ length: n }, (_, t) => Array.from(a.data.subarray(t * v, (t + 1) * v)));
}

/** torch autograd's averaged state gradients of NAME's top layer, [D+1] blocks of [H, E] row-major. */
export async function torchGradients(name: string, state: 'c' | 'h'): Promise<{ blocks: Float64Array[]; H: number; E: number }> {
  const a = await readNpy(path.join(FIX, `${name}.grad-${state}.npy`));
  const [d1, H, E] = a.shape;
  return { blocks: Array.from({ length: d1 }, (_, d) => Float64Array.from(a.data.subarray(d * H * E, (d + 1) * H * E))), H, E };
}

// ---- safetensors written in the tests

export interface RawTensor {
  dtype: string;
  shape: number[];
  bytes: Buffer;
}

/** A safetensors file from a header object and a data area, exactly as given (to make lying headers). */
export function rawSafetensors(header: Record<string, unknown>, data: Buffer): Buffer {
  let text = Buffer.from(JSON.stringify(header));
  text = Buffer.concat([text, Buffer.alloc((8 - (text.length % 8)) % 8, 0x20)]);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(text.length));
  return Buffer.concat([len, text, data]);
}

/** A valid safetensors file of the tensors, in the order given. */
export function safetensorsOf(tensors: [string, RawTensor][], metadata?: Record<string, string>): Buffer {
  const header: Record<string, unknown> = {};
  let at = 0;
  for (const [name, t] of tensors) {
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [at, at + t.bytes.length] };
    at += t.bytes.length;
  }
  if (metadata) header.__metadata__ = metadata;
  return rawSafetensors(header, Buffer.concat(tensors.map(([, t]) => t.bytes)));
}

export const f32 = (t: { shape: number[]; data: Float32Array }): RawTensor => ({
  dtype: 'F32',
  shape: [...t.shape],
  bytes: Buffer.from(Float32Array.from(t.data).buffer),
});

/** The tensors of a fixture's .safetensors file, in file order. */
export async function fixtureTensors(name: string): Promise<[string, StoredTensor][]> {
  const file = path.join(FIX, `${name}.safetensors`);
  return [...parseSafetensors(file, await fs.readFile(file)).tensors.entries()];
}

// ---- a plain forward pass (float64) over weights in Mnemoscope's layouts

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** xs·K for a row vector xs [n] and K [n, cols] row-major. */
function vecMat(xs: ArrayLike<number>, K: Float32Array, cols: number): Float64Array {
  const out = new Float64Array(cols);
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (x === 0) continue;
    for (let j = 0; j < cols; j++) out[j] += x * K[i * cols + j];
  }
  return out;
}

/** Log-probabilities of every next word, [N][V], the tokens as one stream from a zero state. */
export function referenceLogProbs(w: RnnLmWeights, tokens: number[]): number[][] {
  const h = w.layers.map((l) => new Float64Array(l.units));
  const c = w.layers.map((l) => new Float64Array(l.units));
  const out: number[][] = [];
  for (const tok of tokens) {
    let x: Float64Array = Float64Array.from(w.embedding.subarray(tok * w.embeddingDim, (tok + 1) * w.embeddingDim));
    w.layers.forEach((l, k) => {
      const H = l.units;
      const G = l.cell === 'lstm' ? 4 : l.cell === 'gru' || l.cell === 'gru-classic' ? 3 : 1;
      const xw = vecMat(x, l.kernel, G * H);
      const hu = vecMat(h[k], l.recurrentKernel, G * H);
      const next = new Float64Array(H);
      for (let j = 0; j < H; j++) {
        if (l.cell === 'lstm') {
          const z = (g: number) => xw[g * H + j] + hu[g * H + j] + l.bias[g * H + j];
          const i = sigmoid(z(0));
          const f = sigmoid(z(1));
          const g = Math.tanh(z(2));
          const o = sigmoid(z(3));
          c[k][j] = f * c[k][j] + i * g;
          next[j] = o * Math.tanh(c[k][j]);
        } else if (l.cell === 'gru') {
          const rb = l.recurrentBias!;
          const z = sigmoid(xw[j] + l.bias[j] + hu[j] + rb[j]);
          const r = sigmoid(xw[H + j] + l.bias[H + j] + hu[H + j] + rb[H + j]);
          const cand = Math.tanh(xw[2 * H + j] + l.bias[2 * H + j] + r * (hu[2 * H + j] + rb[2 * H + j]));
          next[j] = z * h[k][j] + (1 - z) * cand;
        } else if (l.cell === 'rnn-tanh' || l.cell === 'rnn-relu') {
          const a = xw[j] + hu[j] + l.bias[j];
          next[j] = l.cell === 'rnn-tanh' ? Math.tanh(a) : Math.max(0, a);
        } else {
          throw new Error(`no reference for ${l.cell}`);
        }
      }
      h[k] = next;
      x = next;
    });
    const logits = vecMat(x, w.outputKernel, w.vocabSize).map((v, i) => v + w.outputBias[i]);
    out.push(logSoftmax(Array.from(logits)));
  }
  return out;
}

export function logSoftmax(row: number[]): number[] {
  const m = Math.max(...row);
  const lse = m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0));
  return row.map((v) => v - lse);
}

export function maxAbsDiff(a: number[][], b: number[][]): number {
  let m = 0;
  if (a.length !== b.length) return Infinity;
  a.forEach((row, t) => {
    if (row.length !== b[t].length) m = Infinity;
    row.forEach((v, i) => (m = Math.max(m, Math.abs(v - b[t][i]))));
  });
  return m;
}
