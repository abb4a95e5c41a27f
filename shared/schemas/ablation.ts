// A context-ablation run (issue 13): how much a model's next-word loss depends on an earlier
// input token, beside the state gradients of a sweep. What is asked for (AblateParams, the
// `ablate` job's input) and what is kept as runs/<id>/run.json (AblationRecord, `kind:
// 'ablation'`) beside the .npy arrays of ABLATION_ARRAY_FILES. It has no G.npy.
//
// Definition (normative; README "Context ablation"): the split is cut into B streams of L
// tokens as for a sweep, positions t = 0..L−1. For 0 ≤ τ ≤ t ≤ L−2 and τ ≤ D,
//   ℓ(t)   = −log p(w_{t+1} | w_{≤t}), state carried from the stream's start (zero state at t = 0),
//   ℓ_τ(t) = the same loss with the input token at s = t−τ alone replaced
//            (unk: by <unk>; random: by a word drawn from the training split's unigram
//            distribution; shuffle: by the token at a uniformly drawn other position of the
//            same stream; random/shuffle draw once per source position s, from the seed).
//   Δ(τ)   = mean over (b, t) of ℓ_τ(t) − ℓ(t), SE over K groups as for sweeps, per class of
//            the replaced word w_s (class sets as for sweeps; the built-in `frequency` set gives
//            the frequency bands).
//   T(k)   = mean loss at t when the model starts from the zero state at t−k+1 (sees only
//            w_{t−k+1..t}), for t ≥ k−1, k = 1..D+1.
import { z } from 'zod';
import { CellSchema } from './model';
import { ItemIdSchema } from './project';
import { AnalysisSplitSchema, RunArrayInfoSchema, RunClassSchema, RunOriginSchema, RunSoftwareSchema } from './run';
import { StandardErrorSchema } from './run-summary';

export const ABLATION_SCHEMA_VERSION = 1;
/** The largest delay D an ablation accepts (its continuations cost O(N·D) cell steps and output rows). */
export const MAX_ABLATION_DELAY = 200;

const int = z.number().int();
const count = int.nonnegative();
const num = z.number();

export const AblationModeSchema = z.enum(['unk', 'random', 'shuffle']);
export type AblationMode = z.infer<typeof AblationModeSchema>;

/** What a caller asks for; everything but the ids has a default. */
export const AblateParamsSchema = z.object({
  /** the project folder (absolute path) */
  project: z.string().min(1),
  model: ItemIdSchema,
  corpus: ItemIdSchema,
  /** id of the new run */
  id: ItemIdSchema,
  /** display name in the project manifest (default: the id) */
  name: z.string().optional(),
  split: AnalysisSplitSchema.default('test'),
  /** largest delay τ = t − s (and truncation length D+1) */
  maxDelay: count.max(MAX_ABLATION_DELAY).default(30),
  mode: AblationModeSchema.default('unk'),
  streams: int.positive().default(20),
  /** ablate over only the first N tokens of the split */
  maxTokens: int.positive().optional(),
  /** class sets of the corpus to break Δ(τ) down by (class of the replaced word); default all of them */
  classSets: z.array(z.string()).optional(),
  /** uncertainty groups K */
  groups: int.positive().default(10),
  /** seed of the random/shuffle replacements */
  seed: int.default(1),
  /** worker threads; default all cores, 0 = in the calling thread */
  workers: count.optional(),
});
export type AblateParams = z.input<typeof AblateParamsSchema>;
export type AblateParamsResolved = z.output<typeof AblateParamsSchema>;

/** A curve over delays τ = 0..D (Δ) or lengths k = 1..D+1 (T): mean, its SE and the pairs behind each point. */
export const AblationCurveSchema = z.object({
  /** mean per point; null where no pair exists */
  mean: z.array(num.nullable()),
  /** between-group SE per point; null where fewer than 2 groups had pairs */
  se: z.array(StandardErrorSchema.nullable()),
  /** (b, t) pairs averaged per point */
  pairs: z.array(count),
});
export type AblationCurve = z.infer<typeof AblationCurveSchema>;

export const AblationClassCurveSchema = RunClassSchema.extend({ delta: AblationCurveSchema });

export const AblationConfigSchema = z.object({
  split: AnalysisSplitSchema,
  mode: AblationModeSchema,
  maxDelay: count,
  streams: int.positive(),
  maxTokens: int.positive().nullable(),
  seed: int,
  groups: int.positive(),
  workers: count,
  classSets: z.array(z.string()),
  /** in the order of the first axis of delta_class.npy */
  classes: z.array(RunClassSchema),
  /** the replacement token id of `unk` mode (the model's <unk>) */
  unkId: count,
});

export const AblationTimingsSchema = z.object({
  prepareSeconds: num,
  /** baseline pass, ablated continuations and truncation passes */
  computeSeconds: num,
  writeSeconds: num,
  totalSeconds: num,
});

/** The work done, counted as a sweep reports its flops. */
export const AblationWorkSchema = z.object({
  /** recurrent cell steps (all layers counted once per step) */
  cellSteps: num,
  /** V-way output layer rows (softmax + loss) */
  outputRows: num,
  /** nominal flops of both */
  flops: num,
  /** flops / computeSeconds / 1e9 */
  gflopsPerSecond: num,
});

export const AblationCountsSchema = z.object({
  splitTokens: count,
  streams: int.positive(),
  /** steps per stream L */
  length: int.positive(),
  positions: count,
  /** groups left out of the standard errors because they had no pair at some delay */
  groupsDropped: z.array(count),
});

/** runs/<id>/run.json of an ablation run, schema version 1. */
export const AblationRecordSchema = z.object({
  schemaVersion: z.literal(ABLATION_SCHEMA_VERSION),
  kind: z.literal('ablation'),
  ...RunOriginSchema.shape,
  modelShape: z.object({ vocabSize: count, embeddingDim: count, units: z.array(count), cells: z.array(CellSchema) }),
  config: AblationConfigSchema,
  software: RunSoftwareSchema.pick({ app: true, node: true, versions: true, backend: true, workers: true, platform: true, cpus: true }),
  timings: AblationTimingsSchema,
  work: AblationWorkSchema,
  counts: AblationCountsSchema,
  /** mean of ℓ(t) over the pairs of τ = 0, and its perplexity */
  baseline: z.object({ meanLoss: num, perplexity: num }),
  /** Δ(τ), τ = 0..D */
  delta: AblationCurveSchema,
  /** Δ(τ) by class of the replaced word, in config.classes order */
  classDelta: z.array(AblationClassCurveSchema),
  /** T(k), k = 1..D+1 (index k − 1) */
  truncation: AblationCurveSchema,
  arrays: z.array(RunArrayInfoSchema),
  warnings: z.array(z.string()),
});
export type AblationRecord = z.infer<typeof AblationRecordSchema>;

/** The array files of an ablation run (float64). */
export const ABLATION_ARRAY_FILES = {
  /** [B, L] int32 tokens of the streams */
  tokens: 'tokens.npy',
  /** [D+1] Δ(τ) */
  delta: 'delta.npy',
  /** [K, D+1] Δ(τ) per group */
  deltaGroup: 'delta_group.npy',
  /** [C, D+1] Δ(τ) per class */
  deltaClass: 'delta_class.npy',
  /** [D+1] T(k), k = 1..D+1 */
  truncation: 'truncation.npy',
  /** [D+1] pairs of Δ(τ) */
  counts: 'counts.npy',
} as const;
export type AblationArrayName = keyof typeof ABLATION_ARRAY_FILES;

/** The kind of a run folder: a state-gradient sweep (run.json without `kind`) or a context ablation. */
export const RunKindSchema = z.enum(['sweep', 'ablation']);
export type RunKind = z.infer<typeof RunKindSchema>;

/** Progress of an ablation job: a phase progress (shared/schemas/progress.ts). */
export { AblateJobProgressSchema, type AblateProgress } from './progress';
