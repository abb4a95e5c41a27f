// The `synthetic` job: the built-in memory benchmark (main/engine/synthetic). It generates a
// corpus whose marker must be remembered for exactly K tokens, trains a small LSTM on it,
// analyses it as an ordinary run (corpus, model and run share `id`) and judges whether the
// analysis finds the memory where it was put. The ranges of the numbers are checked by the
// benchmark itself (resolveOptions), with messages naming the CLI's options.
import { z } from 'zod';
import { ItemIdSchema, ItemNameSchema } from '../schemas/project';
import { BackendPreferenceSchema } from '../schemas/model';

const Int = z.number().int();

export const SyntheticJobParamsSchema = z.strictObject({
  /** the project folder (it must exist) */
  project: z.string().min(1, 'must not be empty'),
  id: ItemIdSchema,
  name: ItemNameSchema.optional(),
  /** K (default 5) */
  span: Int.optional(),
  seed: Int.optional(),
  /** training episodes; valid and test get a fifth each */
  sentences: Int.optional(),
  epochs: Int.optional(),
  spec: z
    .strictObject({
      markersPerClass: Int.optional(),
      targetsPerClass: Int.optional(),
      fillers: Int.optional(),
      maxGap: Int.optional(),
      /** the control corpus: nothing to remember (the verdict should fail) */
      independentTargets: z.boolean().optional(),
    })
    .optional(),
  model: z
    .strictObject({
      embeddingDim: Int.optional(),
      hiddenSize: Int.optional(),
      learningRate: z.number().optional(),
      batchSize: Int.optional(),
      bptt: Int.optional(),
      forgetBias: z.number().optional(),
    })
    .optional(),
  maxDelay: Int.optional(),
  streams: Int.optional(),
  workers: Int.optional(),
  backend: BackendPreferenceSchema.default('auto'),
});

export const SyntheticJobProgressSchema = z.object({
  phase: z.enum(['corpus', 'train', 'analyze', 'verdict']),
  /** of the whole benchmark */
  fraction: z.number(),
  label: z.string(),
  secondsLeft: z.number().nullable(),
});

/** A measured number; NaN where it is undefined (a span check without an estimate), as JSON null. */
const Real = z.union([z.number(), z.nan()]);
const ProfileRowSchema = z.object({ tau: Int, sigma1: Real, r: Real, m: Real.nullable(), cos5: Real });
const Mean = z.object({ r: Real, m: Real.nullable() });
const Split = <T extends z.ZodType>(t: T) => z.object({ train: t, valid: t, test: t });

/** The benchmark's result (SyntheticBenchmarkResult), its keys in the order it builds them. */
export const SyntheticJobResultSchema = z.object({
  id: ItemIdSchema,
  corpusDir: z.string(),
  modelDir: z.string(),
  runDir: z.string(),
  spec: z.object({
    markersPerClass: Int,
    targetsPerClass: Int,
    fillers: Int,
    maxGap: Int,
    independentTargets: z.boolean(),
    span: Int,
  }),
  seed: Int,
  sentences: Split(Int),
  tokens: Split(Int),
  perplexity: z.object({ model: Real, floor: Real, withoutMemory: Real, validFloor: Real }),
  floor: z.object({
    crossEntropy: Real,
    perplexity: Real,
    withoutMemory: z.object({ crossEntropy: Real, perplexity: Real }),
    meanEpisodeLength: Real,
  }),
  training: z.object({ epochs: Int, bestEpoch: Int.nullable(), seconds: Real, tokensPerSecond: Real, backend: z.string() }),
  profiles: z.object({ all: z.array(ProfileRowSchema), marker: z.array(ProfileRowSchema) }),
  presenceCosine: Real,
  /** K as the analysis alone sees it (null: the profile has no knee; verdict.spanEstimate says why) */
  estimatedSpan: Int.nullable(),
  verdict: z.object({
    passed: z.boolean(),
    checks: z.array(
      z.object({
        name: z.enum(['learned', 'held', 'dropped', 'kept', 'span']),
        description: z.string(),
        value: Real,
        threshold: Real,
        kind: z.enum(['min', 'max']),
        passed: z.boolean(),
      }),
    ),
    memoryGain: Real,
    overwrittenBy: Int,
    within: Mean,
    beyond: Mean,
    spanEstimate: z.object({
      span: Int.nullable(),
      reason: z.string(),
      crossing: Int.nullable(),
      level: z.object({ tau: Int, r: Real }).nullable(),
      before: Real.nullable(),
      after: Real.nullable(),
      held: Real.nullable(),
      collapse: Real.nullable(),
      thresholds: z.object({ fall: Real, held: Real, collapse: Real }),
    }),
  }),
  seconds: z.object({ corpus: Real, train: Real, analyze: Real, total: Real }),
});

export const syntheticJob = {
  params: SyntheticJobParamsSchema,
  result: SyntheticJobResultSchema,
  progress: SyntheticJobProgressSchema,
};
