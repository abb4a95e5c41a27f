// Shared by the ONNX import tests: ONNX graphs built in the test (encoded with protobufjs
// through the import's own schema) rather than committed binaries, the fixtures' graphs
// decoded for mutation, and two float64 forward passes: one straight from ONNX's operator
// equations on the ONNX tensors, one over imported weights in Mnemoscope's layouts.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { RnnLmWeights } from '../../../main/engine/model/rnn-weights';
import {
  decodeOnnxModel,
  encodeOnnxModel,
  type OnnxAttribute,
  type OnnxModel,
  type OnnxNode,
  type OnnxTensor,
} from '../../../main/engine/model/onnx/onnx-proto';
import { FIX } from './pytorch-helpers';

export type RecurrentOp = 'LSTM' | 'GRU' | 'RNN';

export const attrS = (name: string, value: string): Partial<OnnxAttribute> => ({ name, type: 3, s: Buffer.from(value) });
export const attrI = (name: string, value: number): Partial<OnnxAttribute> => ({ name, type: 2, i: value });
export const attrF = (name: string, value: number): Partial<OnnxAttribute> => ({ name, type: 1, f: value });
export const attrStrings = (name: string, values: string[]): Partial<OnnxAttribute> => ({ name, type: 8, strings: values.map((v) => Buffer.from(v)) });
export const attrFloats = (name: string, values: number[]): Partial<OnnxAttribute> => ({ name, type: 6, floats: values });

export function node(op: string, name: string, input: string[], output: string[], attribute: Partial<OnnxAttribute>[] = []): OnnxNode {
  return { op_type: op, name, input, output, attribute: attribute as OnnxAttribute[], domain: '' };
}

/** A float32 initializer (raw_data, as torch writes them). */
export function f32Tensor(name: string, dims: number[], data: Float32Array): OnnxTensor {
  return { name, dims, data_type: 1, raw_data: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)) } as unknown as OnnxTensor;
}

export function i64Tensor(name: string, dims: number[], data: number[]): OnnxTensor {
  return { name, dims, data_type: 7, int64_data: data } as unknown as OnnxTensor;
}

/** Deterministic uniform values in [−scale, scale]. */
export function uniform(n: number, seed: number, scale = 0.8): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = ((s / 2 ** 32) * 2 - 1) * scale;
  }
  return out;
}

export interface BuiltLm {
  model: OnnxModel;
  op: RecurrentOp;
  V: number;
  E: number;
  H: number;
  emb: Float32Array; // [V, E]
  W: Float32Array; // ONNX [1, G·H, E]
  R: Float32Array; // [1, G·H, H]
  B: Float32Array; // [1, 2·G·H]
  dec: Float32Array; // [H, V] (what the decoder computes, whatever its form)
  decBias: Float32Array; // [V]
  activations: string[];
  linearBeforeReset: number;
}

export interface LmSpec {
  op: RecurrentOp;
  V?: number;
  E?: number;
  H?: number;
  /** Extra attributes of the recurrent node. */
  attrs?: Partial<OnnxAttribute>[];
  /** 'matmul' (MatMul + Add), 'gemm' (B [H, V]), 'gemm-transB' (B [V, H]), 'gemm-tied' (B is the embedding, E = H). */
  decoder?: 'matmul' | 'gemm' | 'gemm-transB' | 'gemm-tied';
  seed?: number;
}

const GATES: Record<RecurrentOp, number> = { LSTM: 4, GRU: 3, RNN: 1 };

/** Embedding (Gather) → one recurrent node → Squeeze → decoder, with input 'tokens' [T, 1] and output 'logits'. */
export function buildLm(spec: LmSpec): BuiltLm {
  const { op, V = 9, E = 4, decoder = 'matmul', seed = 1 } = spec;
  const H = spec.H ?? (decoder === 'gemm-tied' ? E : 5);
  const G = GATES[op];
  const emb = uniform(V * E, seed);
  const W = uniform(G * H * E, seed + 1);
  const R = uniform(G * H * H, seed + 2);
  const B = uniform(2 * G * H, seed + 3, 0.5);
  const decVH = decoder === 'gemm-tied' ? emb : uniform(V * H, seed + 4); // [V, H]
  const dec = new Float32Array(H * V);
  for (let v = 0; v < V; v++) for (let h = 0; h < H; h++) dec[h * V + v] = decVH[v * H + h];
  const decBias = uniform(V, seed + 5, 0.3);
  const attrs = spec.attrs ?? [];
  const inits: OnnxTensor[] = [
    f32Tensor('encoder.weight', [V, E], emb),
    f32Tensor('W', [1, G * H, E], W),
    f32Tensor('R', [1, G * H, H], R),
    f32Tensor('B', [1, 2 * G * H], B),
    f32Tensor('decoder.bias', [V], decBias),
    i64Tensor('axes1', [1], [1]),
  ];
  const nodes: OnnxNode[] = [
    node('Gather', '/encoder/Gather', ['encoder.weight', 'tokens'], ['emb_out']),
    node(op, `/rnn/${op}`, ['emb_out', 'W', 'R', 'B'], ['Y', 'Y_h'], [attrI('hidden_size', H), ...attrs]),
    node('Squeeze', '/rnn/Squeeze', ['Y', 'axes1'], ['y']),
  ];
  if (decoder === 'matmul') {
    inits.push(f32Tensor('dec_HV', [H, V], dec));
    nodes.push(node('MatMul', '/decoder/MatMul', ['y', 'dec_HV'], ['mm']), node('Add', '/decoder/Add', ['decoder.bias', 'mm'], ['logits']));
  } else if (decoder === 'gemm') {
    inits.push(f32Tensor('dec_HV', [H, V], dec));
    nodes.push(node('Gemm', '/decoder/Gemm', ['y', 'dec_HV', 'decoder.bias'], ['logits']));
  } else if (decoder === 'gemm-transB') {
    inits.push(f32Tensor('decoder.weight', [V, H], decVH));
    nodes.push(node('Gemm', '/decoder/Gemm', ['y', 'decoder.weight', 'decoder.bias'], ['logits'], [attrI('transB', 1)]));
  } else {
    nodes.push(node('Gemm', '/decoder/Gemm', ['y', 'encoder.weight', 'decoder.bias'], ['logits'], [attrI('transB', 1)]));
  }
  const actAttr = attrs.find((a) => a.name === 'activations');
  const activations = actAttr ? actAttr.strings!.map((s) => Buffer.from(s).toString()) : { LSTM: ['Sigmoid', 'Tanh', 'Tanh'], GRU: ['Sigmoid', 'Tanh'], RNN: ['Tanh'] }[op];
  const lbr = attrs.find((a) => a.name === 'linear_before_reset');
  const model = {
    ir_version: 8,
    producer_name: 'mnemoscope-test',
    opset_import: [{ domain: '', version: 14 }],
    graph: { name: 'lm', node: nodes, initializer: inits, input: [{ name: 'tokens' }], output: [{ name: 'logits' }] },
  } as unknown as OnnxModel;
  return { model, op, V, E, H, emb, W, R, B, dec, decBias, activations, linearBeforeReset: lbr ? Number(lbr.i) : 0 };
}

export async function writeOnnx(dir: string, name: string, model: OnnxModel): Promise<string> {
  const file = path.join(dir, `${name}.onnx`);
  await fs.writeFile(file, encodeOnnxModel(model));
  return file;
}

/** A fixture's graph, decoded (to be changed and written again). */
export async function fixtureGraph(name: string): Promise<OnnxModel> {
  return decodeOnnxModel(await fs.readFile(path.join(FIX, `${name}.onnx`)));
}

// ---- forward passes (float64, one stream from zero state) ----

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const hardSigmoid = (x: number) => Math.min(1, Math.max(0, 0.2 * x + 0.5));
const ACT: Record<string, (x: number) => number> = { sigmoid, hardsigmoid: hardSigmoid, tanh: Math.tanh, relu: (x) => Math.max(0, x) };

export function logSoftmax(row: ArrayLike<number>): number[] {
  const a = Array.from(row);
  const m = Math.max(...a);
  const lse = m + Math.log(a.reduce((s, v) => s + Math.exp(v - m), 0));
  return a.map((v) => v - lse);
}

/** ONNX's equations (docs/Operators.md) on the ONNX tensors of a built model: log-probabilities [T][V]. */
export function onnxLogProbs(m: BuiltLm, tokens: number[]): number[][] {
  const { E, H, V, op } = m;
  const G = GATES[op];
  const [f, g, h] = m.activations.map((a) => ACT[a.toLowerCase()]);
  let hs = new Float64Array(H);
  const cs = new Float64Array(H);
  // Row k of W·x (k over G·H), ONNX row-major [G·H, in].
  const mv = (M: Float32Array, x: ArrayLike<number>, n: number) =>
    Float64Array.from({ length: G * H }, (_, k) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += M[k * n + i] * x[i];
      return s;
    });
  const Wb = (k: number) => m.B[k];
  const Rb = (k: number) => m.B[G * H + k];
  const out: number[][] = [];
  for (const tok of tokens) {
    const x = m.emb.subarray(tok * E, (tok + 1) * E);
    const xw = mv(m.W, x, E);
    const next = new Float64Array(H);
    if (op === 'LSTM') {
      const hr = mv(m.R, hs, H);
      // gates i, o, f, c
      const z = (gate: number, j: number) => xw[gate * H + j] + hr[gate * H + j] + Wb(gate * H + j) + Rb(gate * H + j);
      for (let j = 0; j < H; j++) {
        const i = f(z(0, j));
        const o = f(z(1, j));
        const fg = f(z(2, j));
        const c = g(z(3, j));
        cs[j] = fg * cs[j] + i * c;
        next[j] = o * h(cs[j]);
      }
    } else if (op === 'GRU') {
      const hr = mv(m.R, hs, H);
      const zt = Array.from({ length: H }, (_, j) => f(xw[j] + hr[j] + Wb(j) + Rb(j)));
      const rt = Array.from({ length: H }, (_, j) => f(xw[H + j] + hr[H + j] + Wb(H + j) + Rb(H + j)));
      let cand: number[];
      if (m.linearBeforeReset) {
        cand = Array.from({ length: H }, (_, j) => g(xw[2 * H + j] + rt[j] * (hr[2 * H + j] + Rb(2 * H + j)) + Wb(2 * H + j)));
      } else {
        const rh = Array.from(hs, (v, j) => rt[j] * v);
        const rhR = mv(m.R, rh, H);
        cand = Array.from({ length: H }, (_, j) => g(xw[2 * H + j] + rhR[2 * H + j] + Rb(2 * H + j) + Wb(2 * H + j)));
      }
      for (let j = 0; j < H; j++) next[j] = (1 - zt[j]) * cand[j] + zt[j] * hs[j];
    } else {
      const hr = mv(m.R, hs, H);
      for (let j = 0; j < H; j++) next[j] = f(xw[j] + hr[j] + Wb(j) + Rb(j));
    }
    hs = next;
    const logits = Array.from({ length: V }, (_, v) => {
      let s = m.decBias[v];
      for (let j = 0; j < H; j++) s += hs[j] * m.dec[j * V + v];
      return s;
    });
    out.push(logSoftmax(logits));
  }
  return out;
}

/** Mnemoscope's cells (rnn-weights.ts) over imported weights: log-probabilities [T][V]. */
export function weightsLogProbs(w: RnnLmWeights, tokens: number[]): number[][] {
  const hs = w.layers.map((l) => new Float64Array(l.units));
  const cs = w.layers.map((l) => new Float64Array(l.units));
  const vecMat = (x: ArrayLike<number>, K: Float32Array, cols: number) => {
    const o = new Float64Array(cols);
    for (let i = 0; i < x.length; i++) for (let j = 0; j < cols; j++) o[j] += x[i] * K[i * cols + j];
    return o;
  };
  const out: number[][] = [];
  for (const tok of tokens) {
    let x: ArrayLike<number> = w.embedding.subarray(tok * w.embeddingDim, (tok + 1) * w.embeddingDim);
    w.layers.forEach((l, k) => {
      const H = l.units;
      const G = l.cell === 'lstm' ? 4 : l.cell.startsWith('gru') ? 3 : 1;
      const sg = l.recurrentActivation === 'sigmoid' ? sigmoid : hardSigmoid;
      const xw = vecMat(x, l.kernel, G * H);
      const hu = vecMat(hs[k], l.recurrentKernel, G * H);
      const next = new Float64Array(H);
      for (let j = 0; j < H; j++) {
        const b = (gate: number) => l.bias[gate * H + j];
        if (l.cell === 'lstm') {
          const z = (gate: number) => xw[gate * H + j] + hu[gate * H + j] + b(gate);
          cs[k][j] = sg(z(1)) * cs[k][j] + sg(z(0)) * Math.tanh(z(2));
          next[j] = sg(z(3)) * Math.tanh(cs[k][j]);
        } else if (l.cell === 'gru') {
          const rb = (gate: number) => l.recurrentBias![gate * H + j];
          const z = sg(xw[j] + b(0) + hu[j] + rb(0));
          const r = sg(xw[H + j] + b(1) + hu[H + j] + rb(1));
          const cand = Math.tanh(xw[2 * H + j] + b(2) + r * (hu[2 * H + j] + rb(2)));
          next[j] = z * hs[k][j] + (1 - z) * cand;
        } else if (l.cell === 'gru-classic') {
          const z = sg(xw[j] + b(0) + hu[j]);
          const r = Array.from({ length: H }, (_, i) => sg(xw[H + i] + l.bias[H + i] + hu[H + i]));
          const rh = Array.from(hs[k], (v, i) => r[i] * v);
          const rhU = vecMat(rh, l.recurrentKernel, G * H);
          const cand = Math.tanh(xw[2 * H + j] + b(2) + rhU[2 * H + j]);
          next[j] = z * hs[k][j] + (1 - z) * cand;
        } else {
          const a = xw[j] + hu[j] + b(0);
          next[j] = l.cell === 'rnn-tanh' ? Math.tanh(a) : Math.max(0, a);
        }
      }
      hs[k] = next;
      x = next;
    });
    const logits = vecMat(x, w.outputKernel, w.vocabSize).map((v, i) => v + w.outputBias[i]);
    out.push(logSoftmax(logits));
  }
  return out;
}

export function maxDiff(a: number[][], b: number[][]): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  a.forEach((row, t) => row.forEach((v, i) => (m = Math.max(m, Math.abs(v - b[t][i])))));
  return m;
}
