// Reading a Layers model.json topology (as written by tfjs or by the Keras converter)
// and checking that it is a language model Mnemoscope can analyse:
//   [InputLayer] → Embedding → (LSTM | GRU | SimpleRNN) (→ Dropout)* … → [Dropout] → Dense | TimeDistributed(Dense)
// The recurrent layers become cells (rnn-weights.ts): LSTM → 'lstm'; GRU with reset_after
// true → 'gru' (bias [2, 3H]; Keras' default since 2.3), false → 'gru-classic' (what tfjs
// writes); SimpleRNN with tanh or relu → 'rnn-tanh' / 'rnn-relu'. Everything else is refused
// with a message naming the layer and its class.
import type { Architecture } from '../../../shared/schemas/model';
import { UserError } from '../errors';
import type { Cell, RecurrentActivation } from './rnn-weights';
import { ResetAfterGRU, recurrentActivationOf } from './reset-after-gru';

export interface TopologyLayer {
  className: string;
  name: string;
  config: Record<string, unknown>;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A config value under its Keras (snake_case) or tfjs (camelCase) key. */
function opt(cfg: Json, snake: string): unknown {
  if (snake in cfg) return cfg[snake];
  const camel = snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  return cfg[camel];
}

/** The layers of a Sequential or single-chain functional model, in order. */
export function topologyLayers(file: string, modelTopology: Json): TopologyLayer[] {
  // The Keras converter wraps the model in { keras_version, backend, model_config }.
  const top = isObj(modelTopology.model_config) ? modelTopology.model_config : modelTopology;
  const cls = top.class_name;
  const cfg = top.config;
  let raw: unknown[];
  if (Array.isArray(cfg)) raw = cfg; // Keras < 2.2 Sequential
  else if (isObj(cfg) && Array.isArray(cfg.layers)) raw = cfg.layers;
  else throw new UserError(`${file}: modelTopology has no layer list (class ${String(cls)})`);
  const layers = raw.map((l, i): TopologyLayer => {
    if (!isObj(l) || typeof l.class_name !== 'string') throw new UserError(`${file}: layer ${i + 1} of the topology is malformed`);
    const c = isObj(l.config) ? l.config : {};
    return { className: l.class_name, name: typeof c.name === 'string' ? c.name : `#${i + 1}`, config: c };
  });
  if (cls !== 'Sequential' && isObj(cfg)) checkChain(file, raw as Json[], cfg);
  return layers;
}

// A functional model qualifies only if it is one chain: one input, each layer fed by the one before.
function checkChain(file: string, raw: Json[], cfg: Json): void {
  const inputs = Array.isArray(cfg.input_layers) ? cfg.input_layers.length : 1;
  const outputs = Array.isArray(cfg.output_layers) ? cfg.output_layers.length : 1;
  if (inputs !== 1 || outputs !== 1) {
    throw new UserError(`${file}: the model has ${inputs} inputs and ${outputs} outputs; a language model has one of each`);
  }
  for (let i = 1; i < raw.length; i++) {
    const nodes = raw[i].inbound_nodes;
    const text = JSON.stringify(nodes ?? []);
    const prev = isObj(raw[i - 1].config) ? (raw[i - 1].config as Json).name : undefined;
    const named = typeof prev === 'string' && text.includes(JSON.stringify(prev));
    const fanIn = Array.isArray(nodes) && nodes.length > 1;
    if (!named || fanIn) {
      const name = isObj(raw[i].config) ? String((raw[i].config as Json).name) : `#${i + 1}`;
      throw new UserError(`${file}: layer '${name}' is not fed by the layer before it; only a single chain of layers can be imported`);
    }
  }
}

export interface CheckedRecurrentLayer {
  name: string;
  /** The topology's class: LSTM, GRU, SimpleRNN (or ResetAfterGRU in a canonical model). */
  className: string;
  cell: Cell;
  units: number;
  /** Gate activation ('sigmoid' for a SimpleRNN, which has no gates). */
  recurrentActivation: RecurrentActivation;
  useBias: boolean;
}

export interface CheckedTopology {
  embedding: { inputDim: number; outputDim: number; maskZero: boolean };
  recurrent: CheckedRecurrentLayer[];
  dense: { name: string; units: number; activation: 'softmax' | 'linear'; useBias: boolean; timeDistributed: boolean };
  dropoutRate: number;
  notes: string[];
}

const SHAPE = 'Embedding → recurrent layers (LSTM, GRU or SimpleRNN) × L → optional Dropout → Dense';
const RECURRENT = ['LSTM', 'GRU', 'SimpleRNN', ResetAfterGRU.className];

function refuse(file: string, l: TopologyLayer, why: string): never {
  throw new UserError(`${file}: layer '${l.name}' (${l.className}): ${why}`);
}

/** Checks the layer sequence and the settings the analyses depend on. */
export function checkTopology(file: string, layers: TopologyLayer[]): CheckedTopology {
  const seq = layers.filter((l) => l.className !== 'InputLayer');
  const notes: string[] = [];
  for (const l of seq) {
    const inner = l.className === 'TimeDistributed' && isObj(l.config.layer) ? String(l.config.layer.class_name) : null;
    const ok = ['Embedding', 'Dropout', 'Dense', ...RECURRENT].includes(l.className) || inner === 'Dense';
    if (!ok) {
      const what = inner ? `TimeDistributed(${inner})` : l.className;
      refuse(file, l, `${what} layers are not supported; Mnemoscope analyses recurrent (LSTM, GRU, RNN) language models (${SHAPE})`);
    }
  }
  if (seq.length === 0 || seq[0].className !== 'Embedding') {
    throw new UserError(`${file}: the model must start with an Embedding layer (${SHAPE}); it starts with ${seq[0]?.className ?? 'nothing'}`);
  }
  const last = seq[seq.length - 1];
  if (last.className !== 'Dense' && last.className !== 'TimeDistributed') {
    refuse(file, last, `the model must end with a Dense layer over the vocabulary (${SHAPE})`);
  }
  const middle = seq.slice(1, -1);
  const misplaced = middle.find((l) => !RECURRENT.includes(l.className) && l.className !== 'Dropout');
  if (misplaced) refuse(file, misplaced, `only recurrent (LSTM, GRU, SimpleRNN) and Dropout layers may stand between the Embedding and the output (${SHAPE})`);
  const recurrentLayers = middle.filter((l) => RECURRENT.includes(l.className));
  if (recurrentLayers.length === 0) throw new UserError(`${file}: the model has no recurrent layer (${SHAPE})`);

  const e = seq[0].config;
  const embedding = {
    inputDim: Number(opt(e, 'input_dim')),
    outputDim: Number(opt(e, 'output_dim')),
    maskZero: opt(e, 'mask_zero') === true,
  };
  if (embedding.maskZero) notes.push('the Embedding has mask_zero set: Keras treats token id 0 as padding; Mnemoscope ignores the mask');

  const recurrent = recurrentLayers.map((l) => checkRecurrent(file, l));
  const cells = new Set(recurrent.map((l) => l.cell));
  if (cells.size > 1) notes.push(`the layers mix cells (${[...cells].join(', ')}); each is imported as it is`);

  const dl = last.className === 'TimeDistributed' ? { ...last, config: (last.config.layer as Json).config as Json } : last;
  const dAct = opt(dl.config, 'activation') ?? 'linear';
  if (dAct !== 'softmax' && dAct !== 'linear') {
    refuse(file, last, `output activation '${String(dAct)}' is not supported (softmax, or linear for logits)`);
  }
  const dense = {
    name: last.name,
    units: Number(opt(dl.config, 'units')),
    activation: dAct as 'softmax' | 'linear',
    useBias: opt(dl.config, 'use_bias') !== false,
    timeDistributed: last.className === 'TimeDistributed',
  };
  const drop = middle.find((l) => l.className === 'Dropout');
  const dropoutRate = drop ? Number(opt(drop.config, 'rate')) || 0 : 0;
  return { embedding, recurrent, dense, dropoutRate, notes };
}

/** Keras' defaults where a config leaves a setting out (tfjs always writes them). */
const KERAS_DEFAULT_RECURRENT_ACTIVATION = 'sigmoid';

function checkRecurrent(file: string, l: TopologyLayer): CheckedRecurrentLayer {
  const cfg = l.config;
  const kind = l.className === 'SimpleRNN' ? 'SimpleRNN' : l.className === 'LSTM' ? 'LSTM' : 'GRU';
  if (opt(cfg, 'return_sequences') !== true && l.className !== ResetAfterGRU.className) {
    refuse(file, l, `return_sequences is false; a language model predicts a word after every step, so every ${kind} must return sequences`);
  }
  if (opt(cfg, 'go_backwards') === true) refuse(file, l, 'go_backwards is set; a left-to-right language model is needed');
  if (opt(cfg, 'stateful') === true) refuse(file, l, 'stateful is set; Mnemoscope carries the state itself and needs a stateless layer');
  const act = opt(cfg, 'activation') ?? 'tanh';
  const base = { name: l.name, className: l.className, units: Number(opt(cfg, 'units')), useBias: opt(cfg, 'use_bias') !== false };
  if (kind === 'SimpleRNN') {
    if (act !== 'tanh' && act !== 'relu') refuse(file, l, `activation '${String(act)}' is not supported (a SimpleRNN must use tanh or relu)`);
    return { ...base, cell: act === 'tanh' ? 'rnn-tanh' : 'rnn-relu', recurrentActivation: 'sigmoid' };
  }
  if (act !== 'tanh') refuse(file, l, `activation '${String(act)}' is not supported (the ${kind} cell must use tanh)`);
  // A config without it gets Keras' default, sigmoid (tfjs' own default is hard_sigmoid, but tfjs always writes the key).
  const rawRec = opt(cfg, 'recurrent_activation') ?? KERAS_DEFAULT_RECURRENT_ACTIVATION;
  const rec = recurrentActivationOf(rawRec);
  if (!rec) refuse(file, l, `recurrent activation '${String(rawRec)}' is not supported (use sigmoid or hard_sigmoid)`);
  if (kind === 'LSTM') return { ...base, cell: 'lstm', recurrentActivation: rec };
  const resetAfter = l.className === ResetAfterGRU.className || opt(cfg, 'reset_after') === true;
  return { ...base, cell: resetAfter ? 'gru' : 'gru-classic', recurrentActivation: rec };
}

/** The architecture a checked topology describes (the output as the file saves it). */
export function architectureOfTopology(t: CheckedTopology): Architecture {
  return {
    vocabSize: t.embedding.inputDim,
    embeddingDim: t.embedding.outputDim,
    layers: t.recurrent.map((l) => ({ units: l.units, cell: l.cell, recurrentActivation: l.recurrentActivation })),
    outputActivation: t.dense.activation,
  };
}

/**
 * The topology with every GRU whose config says reset_after: true renamed to the class
 * ResetAfterGRU (reset-after-gru.ts), which tfjs can load; tfjs' own GRU refuses reset_after.
 * The weights keep their names (layer/kernel, layer/recurrent_kernel, layer/bias).
 */
export function withResetAfterGruClass(modelTopology: Json): Json {
  const rename = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(rename);
    if (!isObj(v)) return v;
    const out: Json = {};
    for (const [k, x] of Object.entries(v)) out[k] = rename(x);
    if (out.class_name === 'GRU' && isObj(out.config) && opt(out.config, 'reset_after') === true) out.class_name = ResetAfterGRU.className;
    return out;
  };
  return rename(modelTopology) as Json;
}
