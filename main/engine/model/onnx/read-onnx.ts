// Reading a recurrent language model from an ONNX file: a Gather on a [V, E] weight (the
// embedding) → one LSTM, GRU or RNN node per layer → MatMul (+ Add) or Gemm (the decoder),
// as torch.onnx.export writes PyTorch's word_language_model (Embedding → nn.LSTM/GRU/RNN →
// Linear), with the shape plumbing an exporter adds around them. The data path is followed
// from the graph input through these nodes to the graph output; any other node must be
// plumbing (PLUMBING below) off that path, or the file is refused naming what was found.
//
// ONNX's layouts (docs/Operators.md) → Mnemoscope's (rnn-weights.ts, Keras'):
//   LSTM  W [1, 4H, in], R [1, 4H, H] gates i, o, f, c; B [1, 8H] = Wb ‖ Rb, summed →
//         kernel [in, 4H], recurrentKernel [H, 4H] gates i, f, c, o, bias [4H].
//   GRU   gates z, r, h in both. linear_before_reset = 1 (PyTorch's) is the 'gru' cell:
//         bias = Wb, recurrentBias = Rb (ĥ = g(x·Wh + Wbh + r⊙(h·Rh + Rbh)), Keras reset_after);
//         = 0 is 'gru-classic': ĥ = g(x·Wh + (r⊙h)·Rh + Rbh + Wbh), so bias = Wb + Rb.
//         ONNX's Ht = (1 − z)⊙ĥ + z⊙Ht−1 is Mnemoscope's.
//   RNN   one block, B = Wb ‖ Rb summed; activation Tanh → 'rnn-tanh', Relu → 'rnn-relu'.
//   Decoder MatMul B [H, V] (Gemm: transB = 1 means [V, H]) → outputKernel [H, V].
import path from 'node:path';
import { UserError } from '../../errors';
import { MAX_BINARY_FILE_BYTES, readRegularFile } from '../../project/safe-open';
import type { ReadModel } from '../read-model';
import type { Cell, RecurrentActivation, RecurrentLayerWeights } from '../rnn-weights';
import { decodeOnnxModel, hasField, int64, ONNX_ATTR, type OnnxAttribute, type OnnxGraph, type OnnxModel, type OnnxNode, type OnnxTensor } from './onnx-proto';
import { elementCount, emptyTensor, floatTensor, isAllZero, TensorDataError, type FloatTensor } from './onnx-tensors';

/** ONNX files are protocol buffers, which cannot exceed 2 GiB. */
export const MAX_ONNX_FILE_BYTES = MAX_BINARY_FILE_BYTES;

/** Nodes that only compute shapes, reshape or pass values on; they may sit anywhere off the data path. */
const PLUMBING: ReadonlySet<string> = new Set([
  'Shape', 'Gather', 'Unsqueeze', 'Squeeze', 'Concat', 'Expand', 'Transpose', 'Slice', 'Cast',
  'Constant', 'ConstantOfShape', 'Reshape', 'Identity', 'Dropout',
]);
/** Nodes the recognised model is made of (each must be on the data path). */
const RECOGNISED: ReadonlySet<string> = new Set(['LSTM', 'GRU', 'RNN', 'MatMul', 'Add', 'Gemm', 'LogSoftmax', 'Softmax']);
/** Nodes that pass the data on unchanged (values, not their arrangement) where they sit on the data path. */
const PASS_THROUGH: ReadonlySet<string> = new Set(['Identity', 'Dropout', 'Squeeze', 'Unsqueeze', 'Reshape', 'Transpose', 'Cast']);
/** What the token ids may pass through between the graph input and the embedding's Gather. */
const TOKEN_PASS: ReadonlySet<string> = new Set(['Identity', 'Cast', 'Squeeze', 'Unsqueeze', 'Reshape', 'Transpose']);
/** Nodes that read only the shape of their input. */
const SHAPE_ONLY: ReadonlySet<string> = new Set(['Shape', 'Size']);
/** Ops that keep the values of their first input, for tracing an initial state to its source. */
const STATE_PASS: ReadonlySet<string> = new Set(['Identity', 'Cast', 'Squeeze', 'Unsqueeze', 'Reshape', 'Transpose', 'Expand', 'Slice', 'Gather']);

const GATES = { LSTM: 4, GRU: 3, RNN: 1 } as const;
type RecurrentOp = keyof typeof GATES;
const DEFAULT_ACTIVATIONS: Record<RecurrentOp, string[]> = { LSTM: ['Sigmoid', 'Tanh', 'Tanh'], GRU: ['Sigmoid', 'Tanh'], RNN: ['Tanh'] };
/** Keras' i, f, c, o gate k is ONNX's gate LSTM_GATE_FROM_ONNX[k] (ONNX: i, o, f, c). */
const LSTM_GATE_FROM_ONNX = [0, 2, 3, 1];
/** ONNX activations taking (alpha, beta), in the order they consume activation_alpha/beta (as onnxruntime does). */
const PARAMETRISED = new Set(['affine', 'leakyrelu', 'thresholdedrelu', 'scaledtanh', 'hardsigmoid', 'elu', 'softplus']);

interface Use {
  node: OnnxNode;
  index: number;
}

function describe(n: OnnxNode): string {
  return `${n.op_type} '${n.name || n.output[0] || '?'}'`;
}

function opSummary(nodes: OnnxNode[]): string {
  const counts = new Map<string, number>();
  for (const n of nodes) counts.set(n.op_type, (counts.get(n.op_type) ?? 0) + 1);
  return [...counts].map(([op, c]) => (c > 1 ? `${op} ×${c}` : op)).join(', ');
}

function listNodes(nodes: OnnxNode[], max = 8): string {
  const shown = nodes.slice(0, max).map(describe).join(', ');
  return nodes.length > max ? `${shown} and ${nodes.length - max} more` : shown;
}

const text = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');

class OnnxGraphReader {
  private readonly producer = new Map<string, Use>();
  private readonly consumers = new Map<string, Use[]>();
  private readonly initializers = new Map<string, OnnxTensor>();
  /** Graph inputs that are not initializers: what the caller feeds (token ids, maybe states). */
  private readonly realInputs = new Set<string>();
  private readonly outputs: Set<string>;
  private readonly dtypes = new Set<string>();
  readonly notes: string[] = [];

  constructor(
    private readonly file: string,
    private readonly graph: OnnxGraph,
  ) {
    for (const t of graph.initializer) this.initializers.set(t.name, t);
    for (const i of graph.input) if (!this.initializers.has(i.name)) this.realInputs.add(i.name);
    this.outputs = new Set(graph.output.map((o) => o.name));
    for (const node of graph.node) {
      node.output.forEach((o, index) => o && this.producer.set(o, { node, index }));
      node.input.forEach((i, index) => {
        if (!i) return;
        const list = this.consumers.get(i) ?? [];
        list.push({ node, index });
        this.consumers.set(i, list);
      });
    }
  }

  fail(message: string): UserError {
    return new UserError(`${this.file}: ${message}`);
  }

  private attr(node: OnnxNode, name: string): OnnxAttribute | undefined {
    const a = node.attribute.find((x) => x.name === name);
    if (a?.ref_attr_name) throw this.fail(`${describe(node)}: attribute '${name}' refers to a function's attribute; not supported`);
    return a;
  }

  private intAttr(node: OnnxNode, name: string, dflt: number): number {
    const a = this.attr(node, name);
    return a ? int64(a.i) : dflt;
  }

  private stringAttr(node: OnnxNode, name: string, dflt: string): string {
    const a = this.attr(node, name);
    return a ? text(a.s) : dflt;
  }

  /** The tensor a value holds when it is stored in the file: an initializer or a Constant node, possibly behind Identity. */
  private constant(value: string, depth = 0): OnnxTensor | null {
    const init = this.initializers.get(value);
    if (init) return init;
    const p = this.producer.get(value);
    if (!p || depth > this.graph.node.length) return null; // deeper than the graph: a cycle
    if (p.node.op_type === 'Identity') return this.constant(p.node.input[0], depth + 1);
    if (p.node.op_type === 'Constant') {
      const v = p.node.attribute.find((a) => a.name === 'value' && a.type === ONNX_ATTR.TENSOR);
      if (v?.t) return { ...v.t, name: v.t.name || p.node.name || value };
      const f = p.node.attribute.find((a) => a.name === 'value_float' || a.name === 'value_floats');
      if (f) {
        const one = f.name === 'value_float';
        const data = one ? [f.f] : f.floats;
        return { ...emptyTensor(), name: p.node.name || value, dims: one ? [] : [data.length], data_type: 1, float_data: data };
      }
    }
    return null;
  }

  private wrapTensorError<T>(tensorName: string, role: string, f: () => T): T {
    try {
      return f();
    } catch (err) {
      if (err instanceof TensorDataError || err instanceof RangeError) throw this.fail(`tensor '${tensorName}' (${role}) ${err.message}`);
      throw err;
    }
  }

  /** A weight stored in the file, as float32, finite; `role` names it in messages (e.g. "W of LSTM '/rnn/LSTM'"). */
  private weight(value: string, role: string): FloatTensor {
    const t = this.constant(value);
    if (!t) {
      const p = this.producer.get(value);
      if (p) {
        throw this.fail(
          `${role} is computed by ${describe(p.node)}, not stored as a weight; export with constant folding (torch.onnx.export(..., do_constant_folding=True))`,
        );
      }
      if (this.realInputs.has(value)) throw this.fail(`${role} is the graph input '${value}', not a weight stored in the file`);
      throw this.fail(`${role} ('${value}') is neither an initializer nor produced by any node`);
    }
    const ft = this.wrapTensorError(t.name, role, () => floatTensor(t));
    const bad = ft.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw this.fail(`tensor '${ft.name}' (${role}) holds ${ft.data[bad]} at index ${bad}; the model cannot be used`);
    this.dtypes.add(ft.dtype);
    return ft;
  }

  private expectDims(t: FloatTensor, want: number[], role: string, meaning: string): void {
    if (t.dims.join() !== want.join()) {
      throw this.fail(`tensor '${t.name}' (${role}) has shape [${t.dims.join(', ')}]; expected [${want.join(', ')}] (${meaning})`);
    }
  }

  /** Uses of a value that depend on its data (not only on its shape). */
  private dataUses(value: string): Use[] {
    return (this.consumers.get(value) ?? []).filter((u) => !SHAPE_ONLY.has(u.node.op_type));
  }

  read(): ReadModel {
    const nodes = this.graph.node;
    const foreign = nodes.filter((n) => n.domain !== '' && n.domain !== 'ai.onnx');
    if (foreign.length) {
      throw this.fail(`nodes of operator domains other than ONNX's: ${listNodes(foreign)} (domains ${[...new Set(foreign.map((n) => `'${n.domain}'`))].join(', ')}); only standard ONNX operators can be read`);
    }
    const unknown = nodes.filter((n) => !PLUMBING.has(n.op_type) && !RECOGNISED.has(n.op_type));
    if (unknown.length) {
      throw this.fail(
        `nodes that are not part of an Embedding → LSTM/GRU/RNN → Linear language model: ${listNodes(unknown)}; the graph has ${opSummary(nodes)}`,
      );
    }

    // The embedding: the one Gather whose data is a stored rank-2 float tensor.
    const gathers = nodes.filter((n) => n.op_type === 'Gather' && n.input[0] && this.initializerLike(n.input[0]));
    if (gathers.length === 0) throw this.fail(`no embedding: no Gather node reads a stored [V, E] weight; the graph has ${opSummary(nodes)}`);
    if (gathers.length > 1) throw this.fail(`more than one embedding-like Gather on a stored weight: ${listNodes(gathers)}`);
    const gather = gathers[0];
    const embRole = `the embedding of ${describe(gather)}`;
    const emb = this.weight(gather.input[0], embRole);
    if (emb.dims.length !== 2) throw this.fail(`tensor '${emb.name}' (${embRole}) has shape [${emb.dims.join(', ')}]; expected [V, E]`);
    if (this.intAttr(gather, 'axis', 0) !== 0) throw this.fail(`${describe(gather)} gathers along axis ${this.intAttr(gather, 'axis', 0)}; an embedding gathers rows (axis 0)`);
    const [V, E] = emb.dims;
    this.checkTokenSource(gather);

    const onPath = new Set<OnnxNode>([gather]);
    const layers: RecurrentLayerWeights[] = [];
    let decoder: { kernel: Float32Array; bias: Float32Array; weightName: string; node: OnnxNode } | null = null;
    let matmulAwaitingBias = false;
    let softmax: OnnxNode | null = null;
    let value = gather.output[0];
    for (;;) {
      const uses = this.dataUses(value);
      if (uses.length === 0) break;
      if (uses.length > 1) {
        throw this.fail(`'${value}' (on the path from the embedding to the output) is used by ${listNodes(uses.map((u) => u.node))}; expected a single chain of layers`);
      }
      const { node, index } = uses[0];
      const op = node.op_type;
      if (onPath.has(node)) throw this.fail(`the graph has a cycle through ${describe(node)}; an ONNX graph is acyclic`);
      const offPath = () =>
        this.fail(
          `the data path from the embedding reaches ${describe(node)} (its input ${index}) ${decoder ? 'after the decoder' : layers.length ? `after ${layers.length} recurrent layer(s)` : 'before any recurrent layer'}; ` +
            `not part of an Embedding → LSTM/GRU/RNN → Linear model (the graph has ${opSummary(nodes)})`,
        );
      if (index !== 0 && !(op === 'Add' && index === 1)) throw offPath();
      onPath.add(node);
      if (PASS_THROUGH.has(op)) {
        if (op === 'Dropout') this.checkDropout(node);
        if (op === 'Cast') this.checkCast(node);
      } else if (op === 'LSTM' || op === 'GRU' || op === 'RNN') {
        if (decoder) throw offPath();
        layers.push(this.recurrent(node, op, layers.length ? layers[layers.length - 1].units : E, layers.length));
        if (!node.output[0]) throw this.fail(`${describe(node)} has no Y output (the sequence of hidden states)`);
      } else if ((op === 'MatMul' || op === 'Gemm') && !decoder && layers.length) {
        decoder = this.decoder(node, layers[layers.length - 1].units, V);
        matmulAwaitingBias = op === 'MatMul';
      } else if (op === 'Add' && matmulAwaitingBias) {
        const other = node.input[1 - index] ?? '';
        decoder!.bias = this.decoderBias(other, `the decoder bias of ${describe(node)}`, V);
        matmulAwaitingBias = false;
        value = node.output[0];
        continue;
      } else if ((op === 'LogSoftmax' || op === 'Softmax') && decoder && !softmax) {
        softmax = node;
      } else throw offPath();
      if (op !== 'MatMul') matmulAwaitingBias = false;
      value = node.output[0];
      if (!value) break;
    }
    if (!layers.length) throw this.fail(`no LSTM, GRU or RNN node takes the embedding's output; the graph has ${opSummary(nodes)}`);
    if (!decoder) throw this.fail(`no decoder (MatMul or Gemm on a stored [H, V] weight) after the last recurrent layer; the graph has ${opSummary(nodes)}`);
    if (!this.outputs.has(value)) throw this.fail(`the data path from the embedding ends at '${value}', which is not an output of the graph`);
    const stray = nodes.filter((n) => RECOGNISED.has(n.op_type) && !onPath.has(n));
    if (stray.length) throw this.fail(`nodes off the path from the embedding to the output: ${listNodes(stray)}; the graph has ${opSummary(nodes)}`);

    if (softmax) this.notes.push(`the graph ends in ${softmax.op_type}; the logits before it are imported (Mnemoscope applies the softmax itself)`);
    let tied = false;
    if (decoder.weightName === emb.name) {
      tied = true;
      this.notes.push('the decoder weight is tied to the embedding (one tensor in the file); imported as two copies');
    } else if (emb.dims[1] === layers[layers.length - 1].units && transposedEqual(emb.data, decoder.kernel, V, E)) {
      tied = true;
      this.notes.push('the decoder weight equals the embedding (tied weights stored twice); imported as two copies');
    }
    const dtypes = [...this.dtypes];
    const converted = dtypes.filter((d) => d !== 'float32');
    if (converted.length) this.notes.push(`${converted.join(', ')} weights were converted to float32`);
    return {
      format: 'onnx',
      weights: { vocabSize: V, embeddingDim: E, embedding: emb.data, layers, outputKernel: decoder.kernel, outputBias: decoder.bias },
      tied,
      dtype: dtypes.map((d) => (d === 'float32' ? d : `${d} (converted to float32)`)).join(', ') || 'float32',
      notes: this.notes,
    };
  }

  private initializerLike(value: string): boolean {
    const t = this.constant(value);
    return t !== null && t.dims.length === 2 && [1, 10, 11, 16].includes(t.data_type);
  }

  /** The embedding's indices must come from a graph input, through nothing but reshaping. */
  private checkTokenSource(gather: OnnxNode): void {
    let value = gather.input[1];
    for (let steps = 0; steps <= this.graph.node.length; steps++) {
      if (this.realInputs.has(value)) return;
      const p = this.producer.get(value);
      if (p && TOKEN_PASS.has(p.node.op_type) && p.index === 0) {
        value = p.node.input[0];
        continue;
      }
      const from = p ? describe(p.node) : this.initializers.has(value) ? `the stored tensor '${value}'` : `'${value}'`;
      throw this.fail(`the embedding ${describe(gather)} takes its token ids from ${from}, not from a graph input`);
    }
    throw this.fail(`the graph has a cycle on the token ids of ${describe(gather)}; an ONNX graph is acyclic`);
  }

  private checkDropout(node: OnnxNode): void {
    const mode = node.input[2];
    if (!mode) return;
    const t = this.constant(mode);
    if (t && isAllZero(t)) return;
    throw this.fail(`${describe(node)} has training_mode '${mode}', which is not a stored false; dropout must be off in an exported model`);
  }

  private checkCast(node: OnnxNode): void {
    const to = this.intAttr(node, 'to', 1);
    // Casting token ids or float activations between float types changes nothing the import reads.
    if (![1, 10, 11, 16].includes(to)) throw this.fail(`${describe(node)} casts the hidden states to a non-float type (${to})`);
  }

  /** An initial state must be zero (Mnemoscope starts every sequence from zeros) or fed as a graph input. */
  private checkInitialState(value: string, role: string): void {
    const seen = new Set<string>();
    const visit = (v: string): void => {
      if (seen.has(v)) return;
      seen.add(v);
      if (this.realInputs.has(v)) {
        const note = `the initial state ${role} comes from the graph input '${v}'; Mnemoscope starts every sequence from zero states`;
        if (!this.notes.includes(note)) this.notes.push(note);
        return;
      }
      const t = this.constant(v);
      if (t) {
        if (!this.wrapTensorError(t.name || v, role, () => isAllZero(t))) throw this.fail(`${role} is the stored tensor '${t.name || v}', which is not zero; a learned initial state is not supported`);
        return;
      }
      const p = this.producer.get(v);
      if (!p) throw this.fail(`${role} ('${v}') is neither stored nor produced by any node`);
      const n = p.node;
      if (n.op_type === 'ConstantOfShape') {
        const a = n.attribute.find((x) => x.name === 'value');
        if (!a?.t || this.wrapTensorError(a.t.name || v, role, () => isAllZero(a.t!))) return;
        throw this.fail(`${role} is filled by ${describe(n)} with a value that is not zero; a learned initial state is not supported`);
      }
      if (STATE_PASS.has(n.op_type)) return visit(n.input[0]);
      if (n.op_type === 'Concat') return n.input.filter(Boolean).forEach(visit);
      throw this.fail(`${role} is computed by ${describe(n)}; only zero or fed initial states are supported`);
    };
    visit(value);
  }

  private activations(node: OnnxNode, op: RecurrentOp): { gate: RecurrentActivation; main: string } {
    const a = this.attr(node, 'activations');
    const names = a ? a.strings.map(text) : DEFAULT_ACTIVATIONS[op];
    const want = DEFAULT_ACTIVATIONS[op].length;
    if (names.length !== want) throw this.fail(`${describe(node)} lists ${names.length} activations (${names.join(', ')}); a forward ${op} has ${want}`);
    const alphas = this.attr(node, 'activation_alpha')?.floats ?? [];
    const betas = this.attr(node, 'activation_beta')?.floats ?? [];
    let ai = 0;
    let bi = 0;
    const params = names.map((n) => {
      if (!PARAMETRISED.has(n.toLowerCase())) return { alpha: null, beta: null };
      return { alpha: ai < alphas.length ? alphas[ai++] : null, beta: bi < betas.length ? betas[bi++] : null };
    });
    const unsupported = (i: number, what: string) =>
      this.fail(`${describe(node)} has activation ${names[i]}${params[i].alpha !== null ? ` (alpha ${params[i].alpha}, beta ${params[i].beta})` : ''} for its ${what}; Mnemoscope's ${op} ${op === 'RNN' ? 'uses Tanh or Relu' : what.startsWith('gate') ? 'gates use Sigmoid or HardSigmoid (alpha 0.2, beta 0.5)' : 'uses Tanh there'}`);
    const is = (i: number, name: string) => names[i].toLowerCase() === name;
    if (op === 'RNN') {
      if (is(0, 'tanh')) return { gate: 'sigmoid', main: 'tanh' };
      if (is(0, 'relu')) return { gate: 'sigmoid', main: 'relu' };
      throw unsupported(0, 'hidden state');
    }
    let gate: RecurrentActivation;
    if (is(0, 'sigmoid')) gate = 'sigmoid';
    else if (is(0, 'hardsigmoid') && (params[0].alpha ?? Math.fround(0.2)) === Math.fround(0.2) && (params[0].beta ?? 0.5) === 0.5) gate = 'hard_sigmoid';
    else throw unsupported(0, 'gates');
    for (let i = 1; i < names.length; i++) if (!is(i, 'tanh')) throw unsupported(i, i === 1 ? (op === 'LSTM' ? 'cell input' : 'candidate state') : 'cell output');
    return { gate, main: 'tanh' };
  }

  private recurrent(node: OnnxNode, op: RecurrentOp, inputSize: number, layerIndex: number): RecurrentLayerWeights {
    const d = describe(node);
    const direction = this.stringAttr(node, 'direction', 'forward');
    if (direction !== 'forward') {
      throw this.fail(`${d} runs in direction '${direction}'; only forward (unidirectional) recurrent layers can be imported: a language model reads left to right`);
    }
    if (this.attr(node, 'clip')) throw this.fail(`${d} clips its cell values (clip ${this.attr(node, 'clip')!.f}); Mnemoscope's cells do not clip`);
    if (op === 'LSTM' && this.intAttr(node, 'input_forget', 0) !== 0) throw this.fail(`${d} couples its input and forget gates (input_forget = 1); not supported`);
    const layout = this.intAttr(node, 'layout', 0);
    if (layout !== 0 && layout !== 1) throw this.fail(`${d} has layout ${layout}; ONNX defines 0 and 1`);
    const { gate, main } = this.activations(node, op);
    const G = GATES[op];
    const [x, wName, rName, bName, seqLens, h0, c0, pName] = node.input;
    void x;
    if (!wName || !rName) throw this.fail(`${d} lacks its W or R input`);
    const W = this.weight(wName, `W of ${d}`);
    const R = this.weight(rName, `R of ${d}`);
    if (R.dims.length !== 3 || R.dims[0] !== 1 || R.dims[1] !== G * R.dims[2]) {
      throw this.fail(`tensor '${R.name}' (R of ${d}) has shape [${R.dims.join(', ')}]; expected [1, ${G}·H, H]`);
    }
    const H = R.dims[2];
    const hs = this.attr(node, 'hidden_size');
    if (hs && int64(hs.i) !== H) throw this.fail(`${d} has hidden_size ${int64(hs.i)} but its R is [${R.dims.join(', ')}]`);
    const what = layerIndex === 0 ? 'E, the embedding width' : `H of the layer below`;
    this.expectDims(W, [1, G * H, inputSize], `W of ${d}`, `1 direction, ${G}·H = ${G * H}, ${what} = ${inputSize}`);
    let Wb = new Float32Array(G * H);
    let Rb = new Float32Array(G * H);
    if (bName) {
      const B = this.weight(bName, `B of ${d}`);
      this.expectDims(B, [1, 2 * G * H], `B of ${d}`, `Wb and Rb, 2·${G}·H`);
      Wb = B.data.slice(0, G * H);
      Rb = B.data.slice(G * H);
    }
    if (seqLens) throw this.fail(`${d} takes sequence_lens ('${seqLens}'); per-sequence lengths are not supported: export without packed sequences`);
    if (h0) this.checkInitialState(h0, `initial_h of ${d}`);
    if (op === 'LSTM' && c0) this.checkInitialState(c0, `initial_c of ${d}`);
    if (op === 'LSTM' && pName) {
      const P = this.weight(pName, `P (peepholes) of ${d}`);
      if (!P.data.every((v) => v === 0)) throw this.fail(`${d} has peephole weights (P, tensor '${P.name}'); LSTMs with peepholes are not supported`);
      this.notes.push(`${d} has peephole weights that are all zero; imported without them`);
    }

    let cell: Cell;
    let bias: Float32Array;
    let recurrentBias: Float32Array | undefined;
    if (op === 'LSTM') cell = 'lstm';
    else if (op === 'RNN') cell = main === 'relu' ? 'rnn-relu' : 'rnn-tanh';
    else cell = this.intAttr(node, 'linear_before_reset', 0) !== 0 ? 'gru' : 'gru-classic';
    if (cell === 'gru') {
      bias = Wb;
      recurrentBias = Rb;
    } else {
      bias = new Float32Array(G * H);
      for (let i = 0; i < G * H; i++) bias[i] = Wb[i] + Rb[i];
    }
    const order = op === 'LSTM' ? LSTM_GATE_FROM_ONNX : [0, 1, 2].slice(0, G);
    return {
      cell,
      inputSize,
      units: H,
      kernel: gatesTransposed(W.data, order, H, inputSize),
      recurrentKernel: gatesTransposed(R.data, order, H, H),
      bias: gatesReordered(bias, order, H),
      ...(recurrentBias && { recurrentBias: gatesReordered(recurrentBias, order, H) }),
      recurrentActivation: gate,
    };
  }

  private decoder(node: OnnxNode, H: number, V: number): { kernel: Float32Array; bias: Float32Array; weightName: string; node: OnnxNode } {
    const d = describe(node);
    const role = `the decoder weight of ${d}`;
    if (!node.input[1]) throw this.fail(`${d} lacks its second input`);
    const Wt = this.weight(node.input[1], role);
    let transB = 0;
    let bias: Float32Array = new Float32Array(V);
    if (node.op_type === 'Gemm') {
      if (this.intAttr(node, 'transA', 0) !== 0) throw this.fail(`${d} transposes its input (transA = 1); not a decoder of the hidden states`);
      transB = this.intAttr(node, 'transB', 0);
      const alpha = this.attr(node, 'alpha')?.f ?? 1;
      const beta = this.attr(node, 'beta')?.f ?? 1;
      if (alpha !== 1 || (node.input[2] && beta !== 1)) throw this.fail(`${d} scales its terms (alpha ${alpha}, beta ${beta}); only alpha = beta = 1 is supported`);
      if (node.input[2]) bias = this.decoderBias(node.input[2], `the decoder bias (C) of ${d}`, V);
    }
    const want = transB ? [V, H] : [H, V];
    this.expectDims(Wt, want, role, transB ? 'V outputs × H of the last recurrent layer' : 'H of the last recurrent layer × V outputs');
    const kernel = transB ? transpose(Wt.data, V, H) : Wt.data;
    return { kernel, bias, weightName: Wt.name, node };
  }

  private decoderBias(value: string, role: string, V: number): Float32Array {
    const b = this.weight(value, role);
    if (elementCount(b.dims) !== V || b.dims.some((x, i) => i < b.dims.length - 1 && x !== 1)) {
      throw this.fail(`tensor '${b.name}' (${role}) has shape [${b.dims.join(', ')}]; expected [${V}]`);
    }
    return b.data;
  }
}

/** [rows, cols] row-major → [cols, rows]. */
function transpose(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c];
  return out;
}

/** ONNX's [G·H, in] (gate blocks of H rows) → Keras' [in, G·H], gate k from ONNX's block order[k]. */
function gatesTransposed(w: Float32Array, order: number[], H: number, inSize: number): Float32Array {
  const G = order.length;
  const out = new Float32Array(w.length);
  for (let k = 0; k < G; k++) {
    const src = order[k];
    for (let j = 0; j < H; j++) {
      const row = (src * H + j) * inSize;
      for (let i = 0; i < inSize; i++) out[i * G * H + k * H + j] = w[row + i];
    }
  }
  return out;
}

function gatesReordered(b: Float32Array, order: number[], H: number): Float32Array {
  const out = new Float32Array(b.length);
  order.forEach((src, k) => out.set(b.subarray(src * H, (src + 1) * H), k * H));
  return out;
}

/** Whether emb [V, E] equals the transpose of kernel [E, V] (a tied decoder stored apart). */
function transposedEqual(emb: Float32Array, kernel: Float32Array, V: number, E: number): boolean {
  for (let v = 0; v < V; v++) for (let e = 0; e < E; e++) if (emb[v * E + e] !== kernel[e * V + v]) return false;
  return true;
}

/** Decodes and checks a ModelProto's bytes (the file's name is for messages). */
export function onnxModelFromBytes(file: string, bytes: Uint8Array): ReadModel {
  let model: OnnxModel;
  try {
    model = decodeOnnxModel(bytes);
  } catch (err) {
    throw new UserError(`${file}: not an ONNX model (the protocol buffer cannot be decoded: ${err instanceof Error ? err.message : String(err)})`);
  }
  const graph = model.graph;
  if (!graph || !hasField(model, 'ir_version') || graph.node.length === 0) {
    throw new UserError(`${file}: not an ONNX model (no ir_version or no graph nodes)`);
  }
  try {
    return new OnnxGraphReader(file, graph).read();
  } catch (err) {
    if (err instanceof RangeError) throw new UserError(`${file}: ${err.message}`);
    throw err;
  }
}

/** Reads an ONNX language model file into plain weights; nothing is written. */
export async function readOnnxModel(file: string): Promise<ReadModel> {
  const abs = path.resolve(file);
  const bytes = await readRegularFile(abs, { what: 'ONNX model (.onnx)', maxBytes: MAX_ONNX_FILE_BYTES });
  return onnxModelFromBytes(abs, bytes);
}
