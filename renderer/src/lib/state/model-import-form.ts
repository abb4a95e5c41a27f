// The model import form: one model file (tfjs model.json, PyTorch .pt/.pth or .safetensors,
// ONNX), inspected by the engine (modelInspect) before anything is imported; its vocabulary;
// id and name; for PyTorch files the optional state_dict keys and the vanilla RNN's
// nonlinearity. The import job gets modelJson, pytorch or onnx according to what was detected.
import type { ModelInspectInput } from '../../../../shared/api/models';
import type { JobParamsInput } from '../../../../shared/jobs';
import type { DetectedModel } from '../../../../shared/schemas/model';
import { checkItemId } from './fields';
import { countParameters, describeArchitecture, cellsText } from './model-size';
import { formatCount } from '../../../../shared/format';

export type Nonlinearity = '' | 'tanh' | 'relu';

export interface ModelImportValues {
  /** The model file (or a tfjs model's folder). */
  file: string;
  vocab: string;
  id: string;
  name: string;
  /** state_dict keys of the embedding, the recurrent module's prefix and the decoder; empty: found by suffix and shape. */
  keys: { emb: string; rnn: string; out: string };
  /** A vanilla RNN's nonlinearity, which a state_dict does not record; empty: tanh (the engine's default, noted). */
  nonlinearity: Nonlinearity;
}

export function emptyModelImportValues(id = ''): ModelImportValues {
  return { file: '', vocab: '', id, name: '', keys: { emb: '', rnn: '', out: '' }, nonlinearity: '' };
}

export const FORMAT_LABELS: Record<DetectedModel['format'], string> = {
  tfjs: 'TensorFlow.js Layers (model.json)',
  pytorch: 'PyTorch state_dict (torch.save)',
  safetensors: 'PyTorch state_dict (safetensors)',
  onnx: 'ONNX graph',
};

/** The import job's parameter that takes a file of this format, with the file. */
export function sourceParam(format: DetectedModel['format'], file: string): { modelJson: string } | { pytorch: string } | { onnx: string } {
  if (format === 'tfjs') return { modelJson: file };
  return format === 'onnx' ? { onnx: file } : { pytorch: file };
}

/** Keys and nonlinearity apply to state_dicts only (.pt/.pth and .safetensors). */
export const takesHints = (format: DetectedModel['format'] | null): boolean => format === 'pytorch' || format === 'safetensors';

/** A state_dict's vanilla RNN was read with the assumed tanh: the nonlinearity field is worth a look. */
export function assumesNonlinearity(d: DetectedModel, v: Pick<ModelImportValues, 'nonlinearity'>): boolean {
  return takesHints(d.format) && v.nonlinearity === '' && d.architecture.layers.some((l) => l.cell === 'rnn-tanh');
}

/** The modelInspect request for the form's file and hints; null while no file is given. */
export function inspectRequest(v: Pick<ModelImportValues, 'file' | 'keys' | 'nonlinearity'>): ModelInspectInput | null {
  const path = v.file.trim();
  if (path === '') return null;
  const keys = {
    ...(v.keys.emb.trim() && { emb: v.keys.emb.trim() }),
    ...(v.keys.rnn.trim() && { rnn: v.keys.rnn.trim() }),
    ...(v.keys.out.trim() && { out: v.keys.out.trim() }),
  };
  return { path, ...(Object.keys(keys).length > 0 && { keys }), ...(v.nonlinearity && { nonlinearity: v.nonlinearity }) };
}

/** One string per request, to tell whether an inspection answers the form as it is now. */
export const requestKey = (r: ModelInspectInput | null): string => (r === null ? '' : JSON.stringify(r));

/** Whether the engine's refusal of a file asks for the state_dict keys or the nonlinearity (the Advanced fields then open). */
export function asksForHints(message: string): boolean {
  return /\bkeys?\b|--keys|nonlinearity/i.test(message);
}

/** 'ptb-small' from '/models/ptb-small/model.json'; 'wikitext-gru' from 'C:\\m\\wikitext-gru.safetensors'. */
export function idFromModelPath(file: string): string {
  const parts = file.trim().split(/[\\/]/).filter((p) => p !== '');
  const last = parts[parts.length - 1] ?? '';
  if (parts.length > 1 && /^model\.json$/i.test(last)) return parts[parts.length - 2];
  return last.replace(/\.(pt|pth|bin|safetensors|onnx|json)$/i, '');
}

export interface Fact {
  label: string;
  value: string;
}

/** What the preview lists for a detected model. */
export function detectedFacts(d: DetectedModel): Fact[] {
  const a = d.architecture;
  const last = a.layers[a.layers.length - 1].units;
  return [
    { label: 'Format', value: FORMAT_LABELS[d.format] },
    { label: 'Cell', value: cellsText(a) },
    { label: 'Layers', value: String(a.layers.length) },
    { label: 'Sizes', value: `E ${a.embeddingDim} · H ${a.layers.map((l) => l.units).join(' → ')} · V ${a.vocabSize}` },
    { label: 'Shape', value: describeArchitecture(a) },
    { label: 'Parameters', value: formatCount(countParameters(a)) },
    { label: 'Output', value: d.tied ? `tied to the embedding (E = H = ${last})` : 'its own weights (not tied)' },
    { label: 'Weights', value: d.dtype },
  ];
}

export type ModelImportErrors = Partial<Record<'file' | 'vocab' | 'id', string>>;

export interface ModelImportContext {
  project: string;
  takenIds: ReadonlySet<string>;
  /** The inspection that answers the current file and hints (null: none yet, or it failed). */
  detected: DetectedModel | null;
}

/** The import job's params, or what is wrong by field. The file must have been inspected as it is now. */
export function checkModelImportForm(
  v: ModelImportValues,
  ctx: ModelImportContext,
): { ok: true; params: JobParamsInput<'import-model'> } | { ok: false; errors: ModelImportErrors } {
  const errors: ModelImportErrors = {};
  const idError = checkItemId(v.id) ?? (ctx.takenIds.has(v.id) ? `the project already has a model '${v.id}'` : null);
  if (idError) errors.id = idError;
  const request = inspectRequest(v);
  if (request === null) errors.file = 'the model file: model.json, .pt/.pth, .safetensors or .onnx';
  else if (ctx.detected === null) errors.file = 'the file has not been read yet, or it cannot be imported (see above)';
  if (!v.vocab.trim()) errors.vocab = 'vocab.json, or a text file with one word per line';
  if (Object.keys(errors).length > 0 || request === null || ctx.detected === null) return { ok: false, errors };
  const hints = takesHints(ctx.detected.format);
  const name = v.name.trim();
  return {
    ok: true,
    params: {
      project: ctx.project,
      id: v.id,
      ...(name && { name }),
      ...sourceParam(ctx.detected.format, request.path),
      vocab: v.vocab.trim(),
      ...(hints && request.keys && { keys: request.keys }),
      ...(hints && request.nonlinearity && { nonlinearity: request.nonlinearity }),
    },
  };
}
