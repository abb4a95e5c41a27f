// The `train` job: train an LSTM language model on a corpus of the project. The model is
// built in a staging folder and committed when training ends; a cancelled training keeps
// its best checkpoint so far (the job then ends as done, with `cancelled: true`), unless
// no epoch had finished (then nothing is kept and the job ends as cancelled).
import { z } from 'zod';
import { ItemIdSchema, ItemNameSchema } from '../schemas/project';
import { BackendPreferenceSchema, TrainConfigRequestSchema, type TrainProgress } from '../schemas/model';

const FilePath = z.string().min(1, 'must not be empty');

export const TrainJobParamsSchema = z.strictObject({
  /** The project folder on the engine's machine. */
  project: FilePath,
  /** The corpus to train on (train split; the valid split gives the perplexity). */
  corpus: ItemIdSchema,
  /** The new model's id in the project. */
  id: ItemIdSchema,
  name: ItemNameSchema.optional(),
  /**
   * Fields left out take the values of `config.recipe` when one is named, else the defaults of
   * TrainConfigSchema (the authors' settings with 13 epochs).
   */
  config: TrainConfigRequestSchema.prefault({}),
  backend: BackendPreferenceSchema.default('auto'),
  /**
   * Validate each epoch on the first N tokens of the valid split only: a quick check (the
   * demo's smoke build). Default: all of it. training.json does not record it.
   */
  validTokens: z.number().int().positive().optional(),
});

/** TrainProgress (shared/schemas/model.ts) as a schema. */
export const TrainJobProgressSchema = z.object({
  phase: z.enum(['train', 'valid']),
  epoch: z.number(),
  epochs: z.number(),
  batch: z.number(),
  batchesPerEpoch: z.number(),
  tokensPerSecond: z.number(),
  trainLoss: z.number(),
  learningRate: z.number(),
  secondsLeft: z.number(),
  validPerplexity: z.number().optional(),
  bestEpoch: z.number().nullable(),
});
// The worker's progress record must stay assignable to the schema's type.
const progressFits = (p: TrainProgress): z.infer<typeof TrainJobProgressSchema> => p;
void progressFits;

export const TrainJobResultSchema = z.object({
  model: z.object({ id: ItemIdSchema, dir: z.string() }),
  /** Always true for a job that ends as done: a training cancelled before any checkpoint ends as cancelled. */
  checkpointSaved: z.boolean(),
  bestEpoch: z.number().int().positive().nullable(),
  bestValidPerplexity: z.number().nullable(),
  epochsRun: z.number().int().nonnegative(),
  stoppedEarly: z.boolean(),
  /** True when the user cancelled and the best checkpoint so far was kept. */
  cancelled: z.boolean(),
  wallSeconds: z.number().nonnegative(),
  tokensPerSecond: z.number().nonnegative(),
  backend: z.string(),
  /** Worker threads that computed the gradients (1: the training thread itself). */
  workers: z.number().int().positive(),
});

export const trainJob = {
  params: TrainJobParamsSchema,
  result: TrainJobResultSchema,
  progress: TrainJobProgressSchema,
};
