// The training form: one field per TrainConfig field, prefilled with the engine's defaults
// (jobDefaults), checked before the job is sent, and turned into the job's params.
import type { JobParams } from '../../../../shared/jobs';
import type { TrainConfig } from '../../../../shared/schemas/model';
import { CELL_LABELS, MAX_WORKERS, TrainConfigSchema } from '../../../../shared/schemas/model';
import { recipeValues, type TrainRecipeName } from '../../../../shared/schemas/train-recipes';

export type BackendChoice = JobParams<'train'>['backend'];
import { checkItemId, fieldText, parseNumberField, type NumberFieldSpec } from './fields';

export type NumericTrainKey = Exclude<keyof TrainConfig, 'optimizer' | 'recipe' | 'cell'>;

export interface TrainFieldSpec extends NumberFieldSpec {
  key: NumericTrainKey;
  label: string;
  help: string;
  group: 'network' | 'data' | 'optimisation' | 'regularisation';
}

/** The numeric fields, in the order the form shows them. The optimizer is a select of its own. */
export const TRAIN_FIELDS: readonly TrainFieldSpec[] = [
  { key: 'layers', label: 'Recurrent layers', kind: 'int', min: 1, max: 8, group: 'network', help: 'Stacked recurrent layers, all of the chosen cell.' },
  { key: 'embeddingDim', label: 'Embedding size E', kind: 'int', min: 1, group: 'network', help: 'Dimensions of the word embeddings.' },
  { key: 'hiddenSize', label: 'Hidden units H', kind: 'int', min: 1, group: 'network', help: 'Units per recurrent layer.' },
  { key: 'vocabSize', label: 'Vocabulary size', kind: 'int', min: 3, group: 'network', help: 'Most frequent train words, including <unk> and <eos>.' },
  { key: 'epochs', label: 'Epochs', kind: 'int', min: 1, group: 'data', help: 'Passes over the training split.' },
  { key: 'batchSize', label: 'Batch (streams)', kind: 'int', min: 1, group: 'data', help: 'Parallel streams the training text is cut into.' },
  { key: 'bptt', label: 'BPTT window', kind: 'int', min: 1, group: 'data', help: 'Steps of truncated back-propagation through time.' },
  { key: 'maxTokens', label: 'Max. training tokens', kind: 'int', min: 1, optional: true, group: 'data', help: 'Train on the first N tokens only; empty: all.' },
  { key: 'workers', label: 'Worker threads', kind: 'int', min: 1, max: MAX_WORKERS, optional: true, group: 'data', help: 'Each trains on a share of the streams; empty: every core (1 on the TensorFlow backends). Another count gives other dropout masks.' },
  { key: 'seed', label: 'Random seed', kind: 'int', min: 1, max: 2 ** 31 - 1, group: 'data', help: 'Initial weights, dropout masks.' },
  { key: 'learningRate', label: 'Learning rate', kind: 'float', min: 0, minExclusive: true, optional: true, group: 'optimisation', help: 'Empty: 1 for SGD, 0.001 for Adam.' },
  { key: 'lrDecay', label: 'LR decay factor', kind: 'float', min: 0, minExclusive: true, max: 1, group: 'optimisation', help: 'Multiplies the learning rate once per epoch after the decay start.' },
  { key: 'lrDecayAfter', label: 'LR decay starts after epoch', kind: 'int', min: 0, group: 'optimisation', help: 'Epochs at the full learning rate.' },
  { key: 'clipNorm', label: 'Gradient clipping (global norm)', kind: 'float', min: 0, group: 'optimisation', help: '0 turns clipping off.' },
  { key: 'patience', label: 'Early-stopping patience', kind: 'int', min: 1, optional: true, group: 'optimisation', help: 'Stop after N epochs without a better valid perplexity; empty: never.' },
  { key: 'dropout', label: 'Dropout (layer outputs)', kind: 'float', min: 0, max: 1, maxExclusive: true, group: 'regularisation', help: 'On each recurrent layer’s output.' },
  { key: 'embeddingDropout', label: 'Dropout (embeddings)', kind: 'float', min: 0, max: 1, maxExclusive: true, group: 'regularisation', help: 'On the first layer’s input.' },
  { key: 'initScale', label: 'Init scale', kind: 'float', min: 0, minExclusive: true, group: 'regularisation', help: 'Weights start uniform in [−s, s].' },
  { key: 'forgetBias', label: 'Forget-gate bias', kind: 'float', min: -20, max: 20, group: 'regularisation', help: 'LSTM only. Its initial value: 0 as the authors (TF1 forget_bias 0); 1 is Keras’ unitForgetBias.' },
];

/** The Cell select: the cells training builds (not 'gru-classic', which only imports bring), labelled as everywhere. */
export const TRAIN_CELL_OPTIONS: readonly { value: TrainConfig['cell']; label: string }[] = TrainConfigSchema.shape.cell
  .unwrap()
  .options.map((c) => ({ value: c, label: CELL_LABELS[c] }));

export const TRAIN_GROUPS: readonly { id: TrainFieldSpec['group']; label: string }[] = [
  { id: 'network', label: 'Network' },
  { id: 'data', label: 'Data' },
  { id: 'optimisation', label: 'Optimisation' },
  { id: 'regularisation', label: 'Regularisation and initialisation' },
];

export interface TrainFormValues {
  id: string;
  name: string;
  corpus: string;
  backend: BackendChoice;
  /** The recipe the fields were filled from ('' for none); sent with the job so training.json records it. */
  recipe: TrainRecipeName | '';
  optimizer: TrainConfig['optimizer'];
  cell: TrainConfig['cell'];
  /** The numeric fields as typed. */
  fields: Record<NumericTrainKey, string>;
}

export function trainFormValues(defaults: TrainConfig, init: { id: string; corpus: string }): TrainFormValues {
  const fields = {} as Record<NumericTrainKey, string>;
  for (const f of TRAIN_FIELDS) fields[f.key] = fieldText(defaults[f.key]);
  return { id: init.id, name: '', corpus: init.corpus, backend: 'auto', recipe: '', optimizer: defaults.optimizer, cell: defaults.cell, fields };
}

/**
 * The form with every field the recipe sets filled from it (the others as they are);
 * '' returns to the engine's defaults.
 */
export function withRecipe(v: TrainFormValues, recipe: TrainRecipeName | '', defaults: TrainConfig): TrainFormValues {
  if (recipe === '') return { ...trainFormValues(defaults, v), name: v.name, backend: v.backend, cell: v.cell };
  const values = recipeValues(recipe);
  const fields = { ...v.fields };
  for (const f of TRAIN_FIELDS) if (f.key in values) fields[f.key] = fieldText(values[f.key] as number | null);
  const optimizer = values.optimizer === 'adam' || values.optimizer === 'sgd' ? values.optimizer : v.optimizer;
  const cell = values.cell === undefined ? v.cell : (values.cell as TrainConfig['cell']);
  return { ...v, recipe, optimizer, cell, fields };
}

export interface TrainJobRequest {
  project: string;
  corpus: string;
  id: string;
  name?: string;
  config: TrainConfig;
  backend: BackendChoice;
}

export type TrainFormErrors = Partial<Record<NumericTrainKey | 'id' | 'corpus', string>>;

/** The job's params, or the fields that are wrong (by key, each with its message). */
export function checkTrainForm(
  v: TrainFormValues,
  project: string,
  takenIds: ReadonlySet<string>,
): { ok: true; params: TrainJobRequest } | { ok: false; errors: TrainFormErrors } {
  const errors: TrainFormErrors = {};
  const idError = checkItemId(v.id) ?? (takenIds.has(v.id) ? `the project already has a model '${v.id}'` : null);
  if (idError) errors.id = idError;
  if (!v.corpus) errors.corpus = 'choose the corpus to train on';
  const config: Record<string, unknown> = { optimizer: v.optimizer, cell: v.cell, recipe: v.recipe === '' ? null : v.recipe };
  for (const f of TRAIN_FIELDS) {
    const parsed = parseNumberField(f, v.fields[f.key] ?? '');
    if (parsed.ok) config[f.key] = parsed.value;
    else errors[f.key] = parsed.error;
  }
  if (v.cell !== 'lstm' && config.forgetBias !== undefined && config.forgetBias !== 0) {
    errors.forgetBias = `applies to LSTM cells only (a ${CELL_LABELS[v.cell]} has no forget gate): set it to 0`;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const name = v.name.trim();
  return {
    ok: true,
    params: { project, corpus: v.corpus, id: v.id, ...(name && { name }), config: config as TrainConfig, backend: v.backend },
  };
}
