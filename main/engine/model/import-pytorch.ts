// Importing a PyTorch LSTM language model shaped like PyTorch's word_language_model example
// (`encoder` Embedding → `rnn` nn.LSTM × L → `decoder` Linear, tied or untied), saved with
// torch.save(model.state_dict(), f). PyTorch's LSTM gates are i, f, g, o, as Keras' i, f, c, o:
// the weights are only transposed ([4H, in] → [in, 4H]) and its two biases summed (DESIGN §7).
import path from 'node:path';
import type { Architecture, ImportModelResult } from '../../../shared/schemas/model';
import { UserError } from '../jobs/errors';
import type { RecurrentLayerWeights, RnnLmWeights } from './rnn-weights';
import { writeImportedModel } from './imported-model-folder';
import { readTorchStateDict, type TorchStateDict, type TorchTensor } from './torch-zip';
import { readVocabularyFile } from './vocab-file';

export interface PytorchImportOptions {
  /** The .pt/.pth state_dict. */
  pytorch: string;
  vocab: string;
  outDir: string;
}

/** [rows, cols] row-major → [cols, rows]. */
function transpose(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c];
  return out;
}

const shapeOf = (t: TorchTensor) => `[${t.shape.join(', ')}]`;

export function listKeys(sd: TorchStateDict): string {
  return [...sd.tensors.values()].map((t) => `${t.name} ${shapeOf(t)}`).join(', ');
}

/** The plain weights of a word_language_model-shaped LSTM LM in a state_dict. */
export function lstmLmFromStateDict(file: string, sd: TorchStateDict): { weights: RnnLmWeights; tied: boolean; notes: string[] } {
  const keys = [...sd.tensors.keys()];
  // Recognise by suffix, whatever the prefix (e.g. 'module.' from DataParallel).
  const rnnKeys = keys.filter((k) => /(^|\.)(weight|bias)_(ih|hh|hr)_l\d+(_reverse)?$/.test(k));
  if (rnnKeys.length === 0) {
    throw new UserError(`${file}: no recurrent layer found (no weight_ih_l0 key); keys: ${listKeys(sd)}`);
  }
  if (rnnKeys.some((k) => k.endsWith('_reverse'))) throw new UserError(`${file}: a bidirectional RNN; only forward (unidirectional) language models can be imported`);
  if (rnnKeys.some((k) => /_hr_l\d+$/.test(k))) throw new UserError(`${file}: an LSTM with proj_size (weight_hr_l*); not supported`);
  const prefixes = new Set(rnnKeys.map((k) => k.replace(/(weight|bias)_(ih|hh)_l\d+$/, '')));
  if (prefixes.size !== 1) throw new UserError(`${file}: more than one recurrent module (${[...prefixes].join(', ')}); keys: ${listKeys(sd)}`);
  const rnn = [...prefixes][0];
  const base = rnn.replace(/[^.]*\.$/, ''); // what comes before 'rnn.' (e.g. 'module.')
  const get = (k: string) => sd.tensors.get(k);
  const need = (k: string) => {
    const t = get(k);
    if (!t) throw new UserError(`${file}: '${k}' is missing; keys: ${listKeys(sd)}`);
    return t;
  };

  const L = new Set(rnnKeys.map((k) => Number(/_l(\d+)$/.exec(k)![1]))).size;
  const hh0 = need(`${rnn}weight_hh_l0`);
  if (hh0.shape.length !== 2) throw new UserError(`${file}: '${hh0.name}' has shape ${shapeOf(hh0)}; expected [gates·H, H]`);
  const H = hh0.shape[1];
  const G = hh0.shape[0];
  if (G === 3 * H || G === H) {
    throw new UserError(`${file}: a ${G === H ? 'vanilla RNN' : 'GRU'} (${hh0.name} ${shapeOf(hh0)}); GRU and vanilla RNN import are not supported yet: only LSTMs`);
  }
  if (G !== 4 * H) throw new UserError(`${file}: '${hh0.name}' has shape ${shapeOf(hh0)}; expected [4H, H] for an LSTM`);

  const emb = need(`${base}encoder.weight`);
  if (emb.shape.length !== 2) throw new UserError(`${file}: '${emb.name}' has shape ${shapeOf(emb)}; expected [V, E]`);
  const [V, E] = emb.shape;
  const used = new Set<string>([emb.name]);

  const layers: RecurrentLayerWeights[] = [];
  let inputSize = E;
  for (let l = 0; l < L; l++) {
    const wih = need(`${rnn}weight_ih_l${l}`);
    const whh = need(`${rnn}weight_hh_l${l}`);
    if (wih.shape.join() !== `${4 * H},${inputSize}`) {
      throw new UserError(`${file}: '${wih.name}' has shape ${shapeOf(wih)}; expected [${4 * H}, ${inputSize}]`);
    }
    if (whh.shape.join() !== `${4 * H},${H}`) throw new UserError(`${file}: '${whh.name}' has shape ${shapeOf(whh)}; expected [${4 * H}, ${H}]`);
    const bias = new Float32Array(4 * H);
    for (const b of [get(`${rnn}bias_ih_l${l}`), get(`${rnn}bias_hh_l${l}`)]) {
      if (!b) continue;
      if (b.shape.join() !== `${4 * H}`) throw new UserError(`${file}: '${b.name}' has shape ${shapeOf(b)}; expected [${4 * H}]`);
      for (let i = 0; i < 4 * H; i++) bias[i] += b.data[i];
      used.add(b.name);
    }
    used.add(wih.name).add(whh.name);
    layers.push({
      inputSize,
      units: H,
      kernel: transpose(wih.data, 4 * H, inputSize),
      recurrentKernel: transpose(whh.data, 4 * H, H),
      bias,
      cell: 'lstm' as const, recurrentActivation: 'sigmoid',
    });
    inputSize = H;
  }

  const dec = need(`${base}decoder.weight`);
  if (dec.shape.join() !== `${V},${H}`) {
    throw new UserError(`${file}: '${dec.name}' has shape ${shapeOf(dec)}; expected [${V}, ${H}] (V from the embedding, H from the LSTM)`);
  }
  used.add(dec.name);
  const decBias = get(`${base}decoder.bias`);
  if (decBias) {
    if (decBias.shape.join() !== `${V}`) throw new UserError(`${file}: '${decBias.name}' has shape ${shapeOf(decBias)}; expected [${V}]`);
    used.add(decBias.name);
  }
  const unknown = keys.filter((k) => !used.has(k));
  if (unknown.length) {
    throw new UserError(
      `${file}: keys not recognised as parts of an Embedding → LSTM → Linear model: ${unknown.map((k) => `${k} ${shapeOf(get(k)!)}`).join(', ')}; ` +
        `a --keys mapping for other layouts is not available yet. All keys: ${listKeys(sd)}`,
    );
  }
  const tied = dec.storageKey === emb.storageKey && dec.storageOffset === emb.storageOffset;
  for (const t of [...used].map((k) => get(k)!)) {
    const bad = t.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new UserError(`${file}: tensor '${t.name}' ${shapeOf(t)} holds ${t.data[bad]} at index ${bad}; the model cannot be used`);
  }
  const notes: string[] = [];
  if (tied) notes.push('the decoder weight is tied to the embedding (one storage in the file); imported as two copies');
  if (sd.converted.length) notes.push(`${sd.converted.join(', ')} tensors were converted to float32`);
  return {
    weights: {
      vocabSize: V,
      embeddingDim: E,
      embedding: emb.data,
      layers,
      outputKernel: transpose(dec.data, V, H),
      outputBias: decBias ? decBias.data : new Float32Array(V),
    },
    tied,
    notes,
  };
}

export async function importPytorchModel(opts: PytorchImportOptions): Promise<ImportModelResult> {
  const file = path.resolve(opts.pytorch);
  const vocabPath = path.resolve(opts.vocab);
  const sd = await readTorchStateDict(file);
  const { weights, notes } = lstmLmFromStateDict(file, sd);
  const vocab = await readVocabularyFile(vocabPath);
  if (vocab.words.length !== weights.vocabSize) {
    throw new UserError(
      `vocabulary size mismatch: ${vocabPath} lists ${vocab.words.length} words, but the embedding of ${file} has ${weights.vocabSize} rows and its decoder ${weights.vocabSize} outputs`,
    );
  }
  const arch: Architecture = {
    vocabSize: weights.vocabSize,
    embeddingDim: weights.embeddingDim,
    layers: weights.layers.map((l) => ({ units: l.units, cell: l.cell, recurrentActivation: l.recurrentActivation })),
    outputActivation: 'linear',
  };
  return writeImportedModel({
    outDir: opts.outDir,
    architecture: arch,
    weights,
    vocab,
    dropout: 0,
    source: { pytorch: file, vocab: vocabPath, weightFiles: [file] },
    notes,
  });
}
