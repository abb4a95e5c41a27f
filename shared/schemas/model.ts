// On-disk formats of a language model folder (models/<id>/): vocab.json, training.json,
// and the training configuration they record. model.json + weights.bin are the standard
// TensorFlow.js Layers format and are validated by the loader, not here.
import { z } from 'zod';
import { ItemIdSchema } from './project';
import { applyRecipe, TrainRecipeNameSchema } from './train-recipes';

export const MODEL_META_SCHEMA_VERSION = 1;

/** vocab.json: a word's id is its index in `words`; `unk` and `eos` (if any) are members of `words`. */
export const VocabularySchema = z
  .object({
    words: z.array(z.string().min(1, 'words must not be empty strings')).min(2, 'needs at least 2 words'),
    unk: z.string(),
    eos: z.string().nullable(),
  })
  .superRefine((v, ctx) => {
    const seen = new Set<string>();
    v.words.forEach((w, i) => {
      if (seen.has(w)) ctx.addIssue({ code: 'custom', path: ['words', i], message: `'${w}' listed twice` });
      seen.add(w);
    });
    if (!seen.has(v.unk)) ctx.addIssue({ code: 'custom', path: ['unk'], message: `'${v.unk}' is not in words` });
    if (v.eos !== null && !seen.has(v.eos))
      ctx.addIssue({ code: 'custom', path: ['eos'], message: `'${v.eos}' is not in words` });
  });
export type VocabularyFile = z.infer<typeof VocabularySchema>;

export const RecurrentActivationSchema = z.enum(['sigmoid', 'hard_sigmoid']);
export type RecurrentActivation = z.infer<typeof RecurrentActivationSchema>;

/**
 * The recurrent cell of a layer. 'gru' is PyTorch's GRU (Keras reset_after: true: the reset
 * gate multiplies h·U_h + b'_h); 'gru-classic' is Cho et al.'s (Keras reset_after: false: the
 * reset gate multiplies h before U_h). Gate orders and layouts: main/engine/model/rnn-weights.ts.
 */
export const CellSchema = z.enum(['lstm', 'gru', 'gru-classic', 'rnn-tanh', 'rnn-relu']);
export type Cell = z.infer<typeof CellSchema>;

/** What a user reads for a cell. */
export const CELL_LABELS: Record<Cell, string> = {
  lstm: 'LSTM',
  gru: 'GRU',
  'gru-classic': 'GRU (classic, reset before)',
  'rnn-tanh': 'RNN (tanh)',
  'rnn-relu': 'RNN (ReLU)',
};

/** What the analyses need to know about the network, also readable from model.json. */
export const ArchitectureSchema = z.object({
  vocabSize: z.number().int().min(2),
  embeddingDim: z.number().int().positive(),
  /** One entry per recurrent layer, bottom first; files written before cells other than the LSTM existed have no `cell`. */
  layers: z
    .array(
      z.object({
        units: z.number().int().positive(),
        cell: CellSchema.default('lstm'),
        /** Gate activation of LSTM and GRU cells ('sigmoid' for a vanilla RNN, which has no gates). */
        recurrentActivation: RecurrentActivationSchema,
      }),
    )
    .min(1),
  /** Activation of the output Dense layer as saved ('softmax' for trained models; logits are the pre-activation). */
  outputActivation: z.enum(['softmax', 'linear']),
});
export type Architecture = z.infer<typeof ArchitectureSchema>;

/** Gate blocks per cell: the G in a layer's kernel [in, G·H] (layouts: main/engine/model/rnn-weights.ts). */
export const CELL_GATES: Record<Cell, 4 | 3 | 1> = { lstm: 4, gru: 3, 'gru-classic': 3, 'rnn-tanh': 1, 'rnn-relu': 1 };

/**
 * Trainable parameters: embedding V·E; each recurrent layer G·H·(in + H) + G·H (kernel,
 * recurrent kernel, bias; in = E for the first layer, the previous layer's H above), plus
 * G·H for a 'gru' layer's recurrent bias; Dense H_L·V + V.
 */
export function countParameters(a: Architecture): number {
  let total = a.vocabSize * a.embeddingDim;
  let inputs = a.embeddingDim;
  for (const layer of a.layers) {
    const h = layer.units;
    const g = CELL_GATES[layer.cell] * h;
    total += g * (inputs + h) + g + (layer.cell === 'gru' ? g : 0);
    inputs = h;
  }
  return total + inputs * a.vocabSize + a.vocabSize;
}

/** What an import would bring in, read from the file before anything is written (the import form's preview). */
export const DetectedModelSchema = z.object({
  format: z.enum(['tfjs', 'pytorch', 'safetensors', 'onnx']),
  architecture: ArchitectureSchema,
  /** The decoder shares the embedding's weights. */
  tied: z.boolean(),
  /** The weights' stored type(s), e.g. 'float32' or 'float16 (converted to float32)'. */
  dtype: z.string(),
  notes: z.array(z.string()),
});
export type DetectedModel = z.infer<typeof DetectedModelSchema>;

const PosInt = z.number().int().positive();
/** Most worker threads a training or an evaluation may ask for. */
export const MAX_WORKERS = 256;

/**
 * Training configuration. The defaults are the settings of Verwimp et al. (2018) (the
 * `verwimp2018` recipe, train-recipes.ts) except the number of epochs: 13 instead of 39.
 * 1 layer, embedding 64, hidden 256, vocabulary 10k, dropout 0.5 on the embeddings and
 * the LSTM outputs, SGD with lr 1 kept for 6 epochs then ×0.8 per epoch, gradient
 * clipping at global norm 5, batch 20, BPTT 50, uniform init ±0.05, forget-gate bias 0.
 */
export const TrainConfigSchema = z.object({
  /** The recipe whose values fill the options not given (see applyRecipe); null: none. */
  recipe: TrainRecipeNameSchema.nullable().default(null),
  layers: PosInt.max(8).default(1),
  /** The recurrent cell of every layer; a trained GRU has PyTorch's form ('gru', see CellSchema). */
  cell: CellSchema.exclude(['gru-classic']).default('lstm'),
  embeddingDim: PosInt.default(64),
  hiddenSize: PosInt.default(256),
  /** Vocabulary size including <unk> and <eos>. */
  vocabSize: z.number().int().min(3).default(10000),
  epochs: PosInt.default(13),
  batchSize: PosInt.default(20),
  bptt: PosInt.default(50),
  optimizer: z.enum(['sgd', 'adam']).default('sgd'),
  /** null: 1 for SGD, 0.001 for Adam. */
  learningRate: z.number().positive().nullable().default(null),
  /** lr(epoch) = learningRate × lrDecay^max(0, epoch − lrDecayAfter), epochs counted from 1. */
  lrDecay: z.number().positive().max(1).default(0.8),
  lrDecayAfter: z.number().int().nonnegative().default(6),
  /** Global gradient-norm clipping threshold; 0 turns clipping off. */
  clipNorm: z.number().nonnegative().default(5),
  /** Dropout on each LSTM layer's output (before the next layer and before Dense). */
  dropout: z.number().min(0).lt(1).default(0.5),
  /** Dropout on the embedding output (the LSTM input). */
  embeddingDropout: z.number().min(0).lt(1).default(0.5),
  /** Weights start uniform in [−initScale, initScale] (Zaremba et al.); biases zero except the forget gate's. */
  initScale: z.number().positive().default(0.05),
  /**
   * Initial value of the forget-gate bias. 0 is TF1's BasicLSTMCell with forget_bias 0 (the
   * authors'); 1 is Keras' unitForgetBias (what models trained before version 0.2 used).
   */
  forgetBias: z.number().min(-20).max(20).default(0),
  /** Stop after this many epochs without a better validation perplexity; null: never. */
  patience: PosInt.nullable().default(null),
  /** Train on the first N tokens of the training split only; null: all. */
  maxTokens: PosInt.nullable().default(null),
  seed: z.number().int().min(1).max(2 ** 31 - 1).default(1),
  /**
   * Worker threads of data-parallel training (each takes a share of the streams); null: every
   * core. Always 1 on the tensorflow backends. A saved model records the number used: the same
   * seed and worker count give the same weights.
   */
  workers: PosInt.max(MAX_WORKERS).nullable().default(null),
});
export type TrainConfig = z.infer<typeof TrainConfigSchema>;
export type TrainConfigInput = z.input<typeof TrainConfigSchema>;

/** Training options as a request gives them: a named recipe fills what is not given. */
export const TrainConfigRequestSchema = z.preprocess(
  applyRecipe,
  TrainConfigSchema.strict().refine((c) => c.cell === 'lstm' || c.forgetBias === 0, {
    path: ['forgetBias'],
    message: 'applies to LSTM cells only (a GRU or RNN has no forget gate): leave it at 0',
  }),
);

const Finite = z.number().refine(Number.isFinite, 'must be finite');
const NullableFinite = Finite.nullable();

export const EpochRecordSchema = z.object({
  epoch: PosInt,
  learningRate: z.number(),
  /** Mean cross-entropy per predicted token (nats) over the epoch, dropout on. */
  trainLoss: Finite,
  trainPerplexity: Finite,
  validLoss: Finite,
  validPerplexity: Finite,
  seconds: z.number().nonnegative(),
  tokensPerSecond: z.number().nonnegative(),
});
export type EpochRecord = z.infer<typeof EpochRecordSchema>;

export const BackendRecordSchema = z.object({
  name: z.string(),
  description: z.string(),
  versions: z.record(z.string(), z.string()),
});

const Timestamp = z.iso.datetime({ offset: true });

const TrainedOriginSchema = z.object({
  kind: z.literal('trained'),
  /** Corpus the model was trained on: project id (if known) and folder at training time. */
  corpus: z.object({ id: ItemIdSchema.nullable(), dir: z.string().nullable() }),
  // training.json written before forgetBias was recorded came from models built with
  // Keras' unitForgetBias, i.e. a forget-gate bias of 1.
  config: TrainConfigSchema.extend({ forgetBias: z.number().default(1) }),
  trainTokens: z.number().int().nonnegative(),
  validTokens: z.number().int().nonnegative(),
  /** Streams used for validation: batchSize, fewer if the valid split is shorter than 2·batchSize tokens. */
  validBatchSize: PosInt,
  history: z.array(EpochRecordSchema),
  /** Epoch whose weights are saved (lowest validation perplexity); null if no epoch finished. */
  bestEpoch: PosInt.nullable(),
  bestValidPerplexity: NullableFinite,
  stoppedEarly: z.boolean(),
  cancelled: z.boolean(),
  /** False while training is still running (training.json is rewritten after every epoch). */
  complete: z.boolean(),
  wallSeconds: z.number().nonnegative(),
  tokensPerSecond: z.number().nonnegative(),
  backend: BackendRecordSchema,
});

const ImportedOriginSchema = z.object({
  kind: z.literal('imported'),
  /** Absolute paths of the files given to the import. */
  source: z.object({
    /** The model.json of an imported tfjs model … */
    modelJson: z.string().optional(),
    /** … or the torch.save state_dict of an imported PyTorch model. */
    pytorch: z.string().optional(),
    /** … or the ONNX file of an imported ONNX model. */
    onnx: z.string().optional(),
    vocab: z.string(),
    weightFiles: z.array(z.string()),
  }),
  /** Observations a user should know (e.g. Embedding maskZero), empty when none. */
  notes: z.array(z.string()),
});

/** training.json, schema version 1. */
export const ModelMetaSchema = z.object({
  schemaVersion: z.literal(MODEL_META_SCHEMA_VERSION),
  created: Timestamp,
  architecture: ArchitectureSchema,
  origin: z.discriminatedUnion('kind', [TrainedOriginSchema, ImportedOriginSchema]),
});
export type ModelMeta = z.infer<typeof ModelMetaSchema>;
export type TrainedOrigin = z.infer<typeof TrainedOriginSchema>;
export type ImportedOrigin = z.infer<typeof ImportedOriginSchema>;

export const BackendPreferenceSchema = z.enum(['auto', 'tensorflow', 'tensorflow-gpu', 'wasm', 'cpu']);
export type BackendPreference = z.infer<typeof BackendPreferenceSchema>;

/** Parameters of the `train` worker task. */
export const TrainTaskParamsSchema = z.object({
  /** Where the corpus comes from: an imported corpus folder, or token ids given directly. */
  source: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('corpus'),
      dir: z.string().min(1),
      id: ItemIdSchema.nullable().default(null),
      /** validate on the first N tokens of the valid split only (a quick check); null: all of it */
      validTokens: PosInt.nullable().default(null),
    }),
    z.object({
      kind: z.literal('tokens'),
      train: z.instanceof(Int32Array),
      valid: z.instanceof(Int32Array),
      vocab: VocabularySchema,
    }),
  ]),
  /** Folder the model files are written into (created if missing). */
  outDir: z.string().min(1),
  config: z.preprocess(applyRecipe, TrainConfigSchema).prefault({}),
  backend: BackendPreferenceSchema.default('auto'),
});
export type TrainTaskParams = z.input<typeof TrainTaskParamsSchema>;

/** Progress of the `train` task. */
export interface TrainProgress {
  phase: 'train' | 'valid';
  epoch: number;
  epochs: number;
  batch: number;
  batchesPerEpoch: number;
  tokensPerSecond: number;
  /** Mean cross-entropy (nats/token) of the current epoch so far, dropout on. */
  trainLoss: number;
  learningRate: number;
  /** Estimated seconds left for the whole run (all remaining epochs, with validation). */
  secondsLeft: number;
  /** Set on the event that ends an epoch's validation. */
  validPerplexity?: number;
  bestEpoch: number | null;
}

/** Result of the `train` task (also the `partial` of its JobCancelledError). */
export interface TrainResult {
  outDir: string;
  /** False only when cancelled before the first epoch finished: nothing was written. */
  checkpointSaved: boolean;
  bestEpoch: number | null;
  bestValidPerplexity: number | null;
  epochsRun: number;
  stoppedEarly: boolean;
  cancelled: boolean;
  wallSeconds: number;
  tokensPerSecond: number;
  backend: string;
  /** Worker threads that computed the gradients (1: the training thread itself). */
  workers: number;
}

/** Parameters of the `evaluate` task: perplexity of a saved model on a corpus split or given ids. */
export const EvaluateTaskParamsSchema = z.object({
  modelDir: z.string().min(1),
  source: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('corpus'),
      dir: z.string().min(1),
      split: z.enum(['train', 'valid', 'test']),
      /** the first N tokens of the split only (a quick estimate); null: all of it */
      maxTokens: PosInt.nullable().default(null),
    }),
    z.object({ kind: z.literal('tokens'), tokens: z.instanceof(Int32Array) }),
  ]),
  batchSize: PosInt.default(20),
  bptt: PosInt.default(50),
  backend: BackendPreferenceSchema.default('auto'),
  /** Worker threads, each evaluating a share of the streams; null: every core (1 on the tensorflow backends). */
  workers: PosInt.max(MAX_WORKERS).nullable().default(null),
});
export type EvaluateTaskParams = z.input<typeof EvaluateTaskParamsSchema>;

export interface PerplexityResult {
  perplexity: number;
  /** Mean cross-entropy in nats per predicted token. */
  crossEntropy: number;
  /** Number of predicted tokens (B × (L − 1), see perplexity.ts). */
  predicted: number;
  /** Tokens used (B × L); the remainder of the stream, fewer than B tokens, is dropped. */
  used: number;
  dropped: number;
  batchSize: number;
  bptt: number;
}

export interface EvaluateResult extends PerplexityResult {
  modelDir: string;
  split: string | null;
  backend: string;
  seconds: number;
  /** Worker threads that evaluated (1: the task's own thread). */
  workers: number;
}

/** Parameters of the `import-model` task. */
export const ImportModelParamsSchema = z.object({
  /** Exactly one of modelJson (tfjs Layers) and pytorch (torch.save state_dict). */
  modelJson: z.string().min(1).optional(),
  pytorch: z.string().min(1).optional(),
  /** … or an ONNX graph (onnx/read-onnx.ts). */
  onnx: z.string().min(1).optional(),
  /** PyTorch only: the keys of the parts (see the import-model job's params). */
  keys: z
    .strictObject({ emb: z.string().min(1).optional(), rnn: z.string().optional(), out: z.string().min(1).optional() })
    .optional(),
  /** PyTorch only: a vanilla RNN's nonlinearity (default tanh). */
  nonlinearity: z.enum(['tanh', 'relu']).optional(),
  vocab: z.string().min(1),
  outDir: z.string().min(1),
  backend: BackendPreferenceSchema.default('auto'),
});
export type ImportModelParams = z.input<typeof ImportModelParamsSchema>;

export interface ImportModelResult {
  outDir: string;
  architecture: Architecture;
  notes: string[];
}
