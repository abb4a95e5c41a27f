// The `evaluate` job: perplexity of a model of the project on a split of one of its corpora.
import { z } from 'zod';
import { ItemIdSchema } from '../schemas/project';
import { BackendPreferenceSchema, MAX_WORKERS } from '../schemas/model';
import { SplitNameSchema } from '../schemas/corpus';

const PosInt = z.number().int().positive();

export const EvaluateJobParamsSchema = z.strictObject({
  project: z.string().min(1, 'must not be empty'),
  model: ItemIdSchema,
  corpus: ItemIdSchema,
  split: SplitNameSchema.default('test'),
  /** Parallel streams, state carried through each (default 20). */
  batchSize: PosInt.optional(),
  /** Window length; changes memory use only, not the result (default 50). */
  bptt: PosInt.optional(),
  backend: BackendPreferenceSchema.default('auto'),
  /** Worker threads, each evaluating a share of the streams (default every core; 1 on the tensorflow backends). */
  workers: PosInt.max(MAX_WORKERS).optional(),
  /** Only the first N tokens of the split: a quick estimate (default: all of it). */
  maxTokens: PosInt.optional(),
});

export const EvaluateJobResultSchema = z.object({
  model: ItemIdSchema,
  corpus: ItemIdSchema,
  perplexity: z.number(),
  /** Mean cross-entropy in nats per predicted token. */
  crossEntropy: z.number(),
  /** Predicted tokens. */
  predicted: z.number().int().nonnegative(),
  /** Tokens used (streams × their length); the remainder of the split, fewer than batchSize tokens, is dropped. */
  used: z.number().int().nonnegative(),
  dropped: z.number().int().nonnegative(),
  batchSize: z.number().int().positive(),
  bptt: z.number().int().positive(),
  /** The model's folder on the engine's machine. */
  modelDir: z.string(),
  split: SplitNameSchema,
  backend: z.string(),
  seconds: z.number().nonnegative(),
  workers: z.number().int().positive(),
});

export const evaluateJob = {
  params: EvaluateJobParamsSchema,
  result: EvaluateJobResultSchema,
  progress: z.object({ windows: z.number().int().nonnegative(), totalWindows: z.number().int().nonnegative() }),
};
