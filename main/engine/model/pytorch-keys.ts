// Recognising the parts of a PyTorch recurrent language model in a state_dict (read from a
// torch.save file or a safetensors file), whatever the key prefixes, and mapping them to
// Mnemoscope's layouts (rnn-weights.ts). The model is word_language_model's shape:
// Embedding [V, E] → nn.LSTM / nn.GRU / nn.RNN × L → Linear [V, H] + [V], tied or not.
//   - the recurrent module by its keys' suffixes weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k},
//     bias_hh_l{k} (one prefix, or the one --keys rnn= names); its cell by the gate count of
//     weight_hh_l0 [G·H, H]: 4 an LSTM, 3 a GRU, 1 a vanilla RNN (tanh unless told relu);
//   - the embedding by shape [V, E] (E = weight_ih_l0's columns), the decoder by [V, H] with
//     its bias [V] beside it; when the two cannot be told apart (E = H), the one with a bias
//     is the decoder, else their names decide (encoder/embedding…, decoder/output…), else the
//     error lists the keys and the --keys override;
//   - tied when the decoder weight is absent (safetensors keeps one name per storage), or
//     shares the embedding's storage or values.
// Gate orders (DESIGN §7): PyTorch's LSTM i, f, g, o is Keras' (biases summed); its GRU r, z, n
// becomes z, r, h with bias_ih → bias and bias_hh → recurrentBias (cell 'gru', reset after);
// the RNN's two biases are summed.
import { UserError } from '../errors';
import type { Cell, RecurrentLayerWeights, RnnLmWeights } from './rnn-weights';

/** One tensor as read from the file, its values converted to float32. */
export interface StoredTensor {
  name: string;
  /** The type stored in the file: 'float32', 'float16', 'bfloat16', 'float64', 'int64', … */
  dtype: string;
  shape: number[];
  /** Row-major values, converted to float32. */
  data: Float32Array;
  /** Tensors with equal storage keys and offsets share their memory (tied weights). */
  storageKey: string;
  storageOffset: number;
}

/** Names for the parts, for files whose parts cannot be told apart by suffix and shape (--keys). */
export interface KeyOverride {
  /** The embedding weight's key (or its module's prefix: NAME.weight). */
  emb?: string;
  /** The recurrent module's key prefix ('rnn' or 'rnn.'; '' for keys without a prefix). */
  rnn?: string;
  /** The decoder weight's key (or its module's prefix: NAME.weight); its bias is the key beside it. */
  out?: string;
}

export interface PytorchReadOptions {
  keys?: KeyOverride;
  /** A vanilla RNN's nonlinearity, which a state_dict does not record (default tanh). */
  nonlinearity?: 'tanh' | 'relu';
}

export interface RecognisedModel {
  weights: RnnLmWeights;
  tied: boolean;
  dtype: string;
  notes: string[];
}

const FLOAT_TYPES = new Set(['float32', 'float64', 'float16', 'bfloat16']);
const OVERRIDE_HINT = '--keys emb=NAME,rnn=PREFIX,out=NAME';
const RNN_KEY = /^(.*?)(weight|bias)_(ih|hh|hr)_l(\d+)(_reverse)?$/;
const EMB_NAME = /(^|[._])(encoder|embedding|embeddings|embed|emb|wte|word_embeddings|tok_embeddings|lookup)(\.weight)?$/i;
const DEC_NAME = /(^|[._])(decoder|output|out|fc|linear|proj|projection|lm_head|head|classifier|softmax)(\.weight)?$/i;

export const shapeOf = (t: { shape: number[] }) => `[${t.shape.join(', ')}]`;

/** 'name [r, c], …' of every key (the first 60). */
export function listKeys(tensors: Map<string, StoredTensor>): string {
  const all = [...tensors.values()];
  const shown = all.slice(0, 60).map((t) => `${t.name} ${shapeOf(t)}`);
  return shown.join(', ') + (all.length > 60 ? `, … (${all.length - 60} more)` : '');
}

/** [rows, cols] row-major, row blocks of `block` rows taken in `order` → [cols, rows]. */
function transposeBlocks(a: Float32Array, rows: number, cols: number, block: number, order: readonly number[]): Float32Array {
  const out = new Float32Array(a.length);
  for (let k = 0; k < order.length; k++) {
    for (let j = 0; j < block; j++) {
      const src = (order[k] * block + j) * cols;
      const r = k * block + j;
      for (let c = 0; c < cols; c++) out[c * rows + r] = a[src + c];
    }
  }
  return out;
}

function reorderBlocks(a: Float32Array, block: number, order: readonly number[]): Float32Array {
  const out = new Float32Array(a.length);
  order.forEach((from, k) => out.set(a.subarray(from * block, (from + 1) * block), k * block));
  return out;
}

const sameShape = (a: StoredTensor, b: StoredTensor) => a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);

function sameValues(a: StoredTensor, b: StoredTensor): boolean {
  if (!sameShape(a, b)) return false;
  for (let i = 0; i < a.data.length; i++) if (a.data[i] !== b.data[i]) return false;
  return true;
}

/** The key beside a weight key that holds its bias ('decoder.weight' → 'decoder.bias'). */
const biasKeyOf = (name: string) => (/(^|\.)weight$/.test(name) ? name.replace(/weight$/, 'bias') : null);

/** Recognises the parts of a word_language_model-shaped RNN LM among `tensors` (of `file`) and maps them to Mnemoscope's layouts. */
export function recogniseRnnLm(file: string, tensors: Map<string, StoredTensor>, opts: PytorchReadOptions = {}): RecognisedModel {
  const keys = opts.keys ?? {};
  const overridden = keys.emb !== undefined || keys.rnn !== undefined || keys.out !== undefined;
  const all = () => listKeys(tensors);
  const fail = (why: string): never => {
    throw new UserError(`${file}: ${why}`);
  };
  const ambiguous = (why: string): never =>
    fail(`${why}; keys: ${all()}; name the parts with ${OVERRIDE_HINT} (model import) to resolve it`);

  // ---- the recurrent module
  const byPrefix = new Map<string, string[]>();
  for (const k of tensors.keys()) {
    const m = RNN_KEY.exec(k);
    if (!m) continue;
    byPrefix.set(m[1], [...(byPrefix.get(m[1]) ?? []), k]);
  }
  let rnn: string;
  if (keys.rnn !== undefined) {
    const tries = keys.rnn === '' || keys.rnn.endsWith('.') ? [keys.rnn] : [`${keys.rnn}.`, keys.rnn];
    const found = tries.find((p) => byPrefix.has(p));
    if (found === undefined) {
      return fail(`--keys rnn=${keys.rnn}: no key is '${tries[0]}weight_ih_l0' or alike; keys: ${all()}`);
    }
    rnn = found;
  } else {
    if (byPrefix.size === 0) {
      return fail(`no recurrent layer found (no key ending in weight_ih_l0, weight_hh_l0 of nn.LSTM, nn.GRU or nn.RNN); keys: ${all()}`);
    }
    if (byPrefix.size > 1) {
      return ambiguous(`more than one recurrent module (key prefixes ${[...byPrefix.keys()].map((p) => `'${p}'`).join(', ')}); only one stack of layers is imported`);
    }
    rnn = [...byPrefix.keys()][0];
  }
  const rnnKeys = byPrefix.get(rnn) ?? [];
  const reverse = rnnKeys.find((k) => k.endsWith('_reverse'));
  if (reverse) fail(`'${reverse}': a bidirectional RNN; only forward (unidirectional) language models can be imported`);
  const proj = rnnKeys.find((k) => /_hr_l\d+$/.test(k));
  if (proj) fail(`'${proj}': an LSTM with proj_size (weight_hr_l*); not supported`);
  const used = new Set<string>(rnnKeys);
  const get = (k: string) => tensors.get(k);
  const need = (k: string) => get(k) ?? fail(`'${k}' is missing; keys: ${all()}`);
  const expectShape = (t: StoredTensor, dims: number[], what: string) => {
    if (t.shape.length !== dims.length || t.shape.some((d, i) => d !== dims[i])) {
      fail(`tensor '${t.name}' has shape ${shapeOf(t)}; expected [${dims.join(', ')}] (${what})`);
    }
  };

  const layerIds = [...new Set(rnnKeys.map((k) => Number(/_l(\d+)$/.exec(k)![1])))].sort((a, b) => a - b);
  const L = layerIds.length;
  if (layerIds[L - 1] !== L - 1) fail(`the recurrent layers are numbered ${layerIds.join(', ')}; expected 0 to ${L - 1} (a layer's keys are missing)`);
  const hh0 = need(`${rnn}weight_hh_l0`);
  if (hh0.shape.length !== 2 || hh0.shape[1] < 1) fail(`tensor '${hh0.name}' has shape ${shapeOf(hh0)}; expected [gates·H, H]`);
  const H = hh0.shape[1];
  const G = hh0.shape[0] / H;
  if (G !== 4 && G !== 3 && G !== 1) {
    fail(`tensor '${hh0.name}' has shape ${shapeOf(hh0)}: ${hh0.shape[0]} rows are not 4H (LSTM), 3H (GRU) or H (RNN) for H = ${H}`);
  }
  const cell: Cell = G === 4 ? 'lstm' : G === 3 ? 'gru' : opts.nonlinearity === 'relu' ? 'rnn-relu' : 'rnn-tanh';
  const label = G === 4 ? 'LSTM' : G === 3 ? 'GRU' : 'RNN';
  const ih0 = need(`${rnn}weight_ih_l0`);
  if (ih0.shape.length !== 2) fail(`tensor '${ih0.name}' has shape ${shapeOf(ih0)}; expected [${G * H}, E]`);
  const E = ih0.shape[1];

  // PyTorch's GRU blocks r, z, n → Keras' z, r, h; the LSTM's and the RNN's stay.
  const order = G === 3 ? [1, 0, 2] : G === 4 ? [0, 1, 2, 3] : [0];
  const layers: RecurrentLayerWeights[] = [];
  const parts: StoredTensor[] = [];
  let inputSize = E;
  for (let l = 0; l < L; l++) {
    const wih = need(`${rnn}weight_ih_l${l}`);
    const whh = need(`${rnn}weight_hh_l${l}`);
    expectShape(wih, [G * H, inputSize], `${label} layer ${l}: [${G === 1 ? '' : `${G}·`}H, ${l === 0 ? 'E' : 'H'}]`);
    expectShape(whh, [G * H, H], `${label} layer ${l}: [${G === 1 ? '' : `${G}·`}H, H]`);
    const bih = get(`${rnn}bias_ih_l${l}`);
    const bhh = get(`${rnn}bias_hh_l${l}`);
    if ((bih === undefined) !== (bhh === undefined)) {
      fail(`'${(bih ?? bhh)!.name}' is there but '${rnn}bias_${bih ? 'hh' : 'ih'}_l${l}' is missing; keys: ${all()}`);
    }
    for (const b of [bih, bhh]) if (b) expectShape(b, [G * H], `${label} layer ${l} bias`);
    parts.push(wih, whh, ...(bih && bhh ? [bih, bhh] : []));
    const bi = bih ? reorderBlocks(bih.data, H, order) : new Float32Array(G * H);
    const bh = bhh ? reorderBlocks(bhh.data, H, order) : new Float32Array(G * H);
    const layer: RecurrentLayerWeights = {
      cell,
      inputSize,
      units: H,
      kernel: transposeBlocks(wih.data, G * H, inputSize, H, order),
      recurrentKernel: transposeBlocks(whh.data, G * H, H, H, order),
      bias: cell === 'gru' ? bi : bi.map((v, i) => v + bh[i]),
      recurrentActivation: 'sigmoid',
    };
    if (cell === 'gru') layer.recurrentBias = bh;
    layers.push(layer);
    inputSize = H;
  }
  const extra = rnnKeys.filter((k) => !parts.some((t) => t.name === k));
  if (extra.length) fail(`keys of the recurrent module not understood: ${extra.join(', ')}`);

  // ---- the embedding and the decoder
  const lookup = (name: string, flag: 'emb' | 'out'): StoredTensor =>
    get(name) ?? get(`${name}.weight`) ?? fail(`--keys ${flag}=${name}: no key '${name}' or '${name}.weight'; keys: ${all()}`);
  const rest = [...tensors.values()].filter((t) => !used.has(t.name));
  const biasOf = (w: StoredTensor) => {
    const k = biasKeyOf(w.name);
    const b = k === null ? undefined : get(k);
    return b && b.shape.length === 1 && !used.has(b.name) ? b : undefined;
  };
  // Keys of other recurrent modules (left when --keys rnn= chose one) are never the embedding or the decoder.
  const two = rest.filter((t) => t.shape.length === 2 && !RNN_KEY.test(t.name));
  let emb: StoredTensor | undefined = keys.emb !== undefined ? lookup(keys.emb, 'emb') : undefined;
  let dec: StoredTensor | undefined = keys.out !== undefined ? lookup(keys.out, 'out') : undefined;
  if (emb && (emb.shape.length !== 2 || emb.shape[1] !== E)) {
    fail(`tensor '${emb.name}' (--keys emb) has shape ${shapeOf(emb)}; expected [V, ${E}] (E from '${ih0.name}')`);
  }
  if (dec && (dec.shape.length !== 2 || dec.shape[1] !== H)) {
    fail(`tensor '${dec.name}' (--keys out) has shape ${shapeOf(dec)}; expected [V, ${H}] (H from '${hh0.name}')`);
  }
  /** The one candidate, narrowed by `prefer` when there are several; null when none. */
  const pick = (cands: StoredTensor[], prefer: ((t: StoredTensor) => boolean)[], what: string): StoredTensor | null => {
    let c = cands;
    for (const p of prefer) {
      if (c.length <= 1) break;
      const narrowed = c.filter(p);
      if (narrowed.length) c = narrowed;
    }
    if (c.length > 1) {
      return ambiguous(`cannot tell which tensor is the ${what}: ${c.map((t) => `${t.name} ${shapeOf(t)}`).join(', ')} all fit`);
    }
    return c[0] ?? null;
  };
  if (!emb) {
    const cands = two.filter((t) => t.shape[1] === E && t !== dec);
    // With E = H a tensor may be either part: the decoder is the one with a bias beside it.
    const noBias = (t: StoredTensor) => E !== H || !biasOf(t);
    emb = pick(cands, [noBias, (t) => EMB_NAME.test(t.name), (t) => !DEC_NAME.test(t.name)], `embedding [V, E = ${E}]`) ?? undefined;
    if (!emb && dec && E === H) emb = dec; // the decoder's weight serves as both (tied; --keys out named it)
    if (!emb) return fail(`no embedding found: no tensor of shape [V, ${E}] (E from '${ih0.name}'); keys: ${all()}`);
  }
  if (!dec) {
    const cands = two.filter((t) => t.shape[1] === H && t !== emb);
    dec = pick(cands, [(t) => !!biasOf(t), (t) => DEC_NAME.test(t.name), (t) => !EMB_NAME.test(t.name)], `decoder weight [V, H = ${H}]`) ?? undefined;
  }
  used.add(emb.name);
  const V = emb.shape[0];
  let tied: boolean;
  let decBias: StoredTensor | undefined;
  const notes: string[] = [];
  if (!dec) {
    if (E !== H) {
      return fail(`no decoder weight found: no tensor of shape [V, ${H}] (H from '${hh0.name}'), and it cannot be the embedding ${shapeOf(emb)} (E ≠ H); keys: ${all()}`);
    }
    // No decoder weight: tied to the embedding (safetensors keeps one name of tensors sharing storage).
    dec = emb;
    tied = true;
    const ones = rest.filter((t) => t.shape.length === 1 && !used.has(t.name));
    decBias = biasOf(emb) ?? pick(ones, [(t) => DEC_NAME.test(t.name.replace(/\.bias$/, ''))], `decoder bias [V = ${V}]`) ?? undefined;
    notes.push(`no separate decoder weight in the file: the decoder is tied to the embedding ('${emb.name}')`);
  } else {
    used.add(dec.name);
    tied = dec === emb || (dec.storageKey === emb.storageKey && dec.storageOffset === emb.storageOffset && sameShape(dec, emb)) || sameValues(dec, emb);
    decBias = biasOf(dec);
    if (!decBias && keys.out !== undefined && !get(keys.out)) decBias = get(`${keys.out}.bias`);
    if (tied) notes.push(`the decoder weight '${dec.name}' is tied to the embedding '${emb.name}' (${dec === emb ? 'one key' : 'shared storage or equal values'})`);
  }
  if (dec.shape[0] !== V) {
    fail(`the embedding '${emb.name}' has ${V} rows but the decoder '${dec.name}' has ${dec.shape[0]} outputs; a language model predicts the words it reads, so the two must be equal`);
  }
  if (decBias) {
    expectShape(decBias, [V], 'the decoder bias: one per word');
    used.add(decBias.name);
  } else {
    notes.push('the decoder has no bias (zero)');
  }
  parts.push(emb, ...(dec !== emb ? [dec] : []), ...(decBias ? [decBias] : []));

  const leftover = [...tensors.values()].filter((t) => !used.has(t.name));
  if (leftover.length) {
    const listed = leftover.map((t) => `${t.name} ${shapeOf(t)}`).join(', ');
    if (!overridden) {
      fail(
        `keys not recognised as parts of an Embedding → ${label} → Linear language model: ${listed}; all keys: ${all()}; ` +
          `if they take no part in its computation, name the parts with ${OVERRIDE_HINT} to import it without them`,
      );
    }
    notes.push(`ignored (not named by --keys and not part of the model): ${listed}`);
  }

  // ---- values: floating point, finite
  const stored = new Set<string>();
  for (const t of parts) {
    if (!FLOAT_TYPES.has(t.dtype)) fail(`tensor '${t.name}' ${shapeOf(t)} is ${t.dtype}; the weights must be floating point (float32, float16, bfloat16 or float64)`);
    stored.add(t.dtype);
    const bad = t.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      const beyond = t.dtype === 'float64' ? ' (or a value beyond float32\'s range)' : '';
      fail(`tensor '${t.name}' ${shapeOf(t)} holds ${t.data[bad]}${beyond} at index ${bad}; the model cannot be used`);
    }
  }
  const types = [...stored].sort();
  const converted = types.filter((d) => d !== 'float32');
  const dtype = !converted.length
    ? 'float32'
    : converted.length === types.length
      ? `${types.join(', ')} (converted to float32)`
      : `${types.join(', ')} (${converted.join(', ')} converted to float32)`;
  if (converted.length) notes.push(`${converted.join(', ')} weights were converted to float32`);
  if (G === 1) {
    notes.push(
      opts.nonlinearity
        ? `a vanilla RNN with the ${opts.nonlinearity} nonlinearity (as given)`
        : 'a vanilla RNN: a state_dict does not record its nonlinearity; tanh assumed (PyTorch\'s default; give --nonlinearity relu for nn.RNN(nonlinearity=\'relu\'))',
    );
  } else if (opts.nonlinearity) {
    notes.push(`the nonlinearity '${opts.nonlinearity}' given was ignored: the model is ${G === 4 ? 'an' : 'a'} ${label}, not a vanilla RNN`);
  }
  if (G === 3) notes.push("PyTorch's GRU (gates r, z, n) imported as a GRU with the reset gate after the recurrent product (gates z, r, h)");

  return {
    weights: {
      vocabSize: V,
      embeddingDim: E,
      embedding: emb.data,
      layers,
      outputKernel: transposeBlocks(dec.data, V, H, V, [0]),
      outputBias: decBias ? decBias.data : new Float32Array(V),
    },
    tied,
    dtype,
    notes,
  };
}
