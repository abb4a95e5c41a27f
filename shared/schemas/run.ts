// An analysis run: what is asked for (AnalyzeParams, the job's input), and what is kept on
// disk as runs/<id>/run.json (RunRecord) beside the .npy arrays listed in RUN_ARRAYS.
// main/engine/runs/ writes and reads these; the UI, export and compare read them.
import { z } from 'zod';
import { BackendPreferenceSchema, CellSchema, type Cell } from './model';
import { ItemIdSchema } from './project';
import { RunSummarySchema } from './run-summary';

export const RUN_SCHEMA_VERSION = 1;
/** Version of the partial-run format (run.json's `partial` and the sums_*.npy files); a newer one is refused. */
export const PARTIAL_RUN_VERSION = 1;

const int = z.number().int();
const count = int.nonnegative();
const num = z.number();

export const AnalysisSplitSchema = z.enum(['valid', 'test']);
export const TargetStateSchema = z.enum(['c', 'h']);
export const NormalizeSchema = z.enum(['none', 'equal-variance']);
export const SweepEngineSchema = z.enum(['auto', 'tensor', 'kernels']);
export type SweepEngine = z.infer<typeof SweepEngineSchema>;

/** Shard `index` of `count` (1-based): streams splitRange(B, count)[index − 1] of the sweep. */
export const ShardSchema = z
  .object({ index: z.number().int().positive(), count: z.number().int().positive() })
  .refine((s) => s.index <= s.count, { message: 'the shard index must be between 1 and the number of shards' });
export type Shard = z.infer<typeof ShardSchema>;

/** What a caller asks for; everything but the ids has a default (see RunConfig for the resolved form). */
/** Words a sweep can track with their own accumulators (each takes as much memory as a class). */
export const MAX_WORDS = 50;

export const AnalyzeParamsSchema = z.object({
  /** the project folder (absolute path) */
  project: z.string().min(1),
  model: ItemIdSchema,
  corpus: ItemIdSchema,
  /** id of the new run */
  id: ItemIdSchema,
  /** display name in the project manifest (default: the id) */
  name: z.string().optional(),
  split: AnalysisSplitSchema.default('test'),
  /** default: c for an LSTM layer, h for the other cells (they have no c) */
  state: TargetStateSchema.optional(),
  /** 1-based recurrent layer; default the last */
  layer: int.positive().optional(),
  maxDelay: count.default(30),
  streams: int.positive().default(20),
  /** analyse only the first N tokens of the split */
  maxTokens: int.positive().optional(),
  /** quick estimate: only N uniformly sampled source positions */
  sample: int.positive().optional(),
  /** seed of the sample */
  seed: int.default(1),
  normalize: NormalizeSchema.default('none'),
  /** `NAME=CLASS_A:CLASS_B` or a built-in name; default: the paper's sg-pl and common-proper when defined */
  properties: z.array(z.string()).optional(),
  /** class sets of the corpus to accumulate per class; default all of them */
  classSets: z.array(z.string()).optional(),
  /** up to MAX_WORDS words with their own accumulators */
  words: z.array(z.string()).max(MAX_WORDS, `at most ${MAX_WORDS} words can be tracked`).optional(),
  /** uncertainty groups K */
  groups: int.positive().default(10),
  /** worker threads of the accumulation; default all cores, 0 = in the calling thread */
  workers: count.optional(),
  /** sweep only shard `index` of `count` (a deterministic 1/count of the streams) and save a partial run; see `mnemoscope merge` */
  shard: ShardSchema.optional(),
  /** sweep path: 'kernels' (a worker per core, wasm SIMD), 'tensor' (one worker owning the device, tensor ops), 'auto' (tensor on tensorflow-gpu, else kernels) */
  engine: SweepEngineSchema.default('auto'),
  /** tfjs backend of the sweep; default: tensorflow-gpu when usable on the tensor path, else wasm */
  backend: BackendPreferenceSchema.optional(),
  /** tensor path: device memory in MiB to plan the chunk of streams for (default: nvidia-smi's free memory on a GPU, else 2048) */
  deviceMemory: int.positive().optional(),
});
export type AnalyzeParams = z.input<typeof AnalyzeParamsSchema>;
export type AnalyzeParamsResolved = z.output<typeof AnalyzeParamsSchema>;

/** Progress of an analysis job (a phase progress: `fraction` is of the current phase). */
export type { AnalyzeProgress } from './progress';

export const PropertySpecSchema = z.object({ name: z.string(), classA: z.string(), classB: z.string() });

/** A class accumulated by source word: `name` is the bare class name unless two sets share it (then `set/class`). */
export const RunClassSchema = z.object({
  name: z.string(),
  set: z.string(),
  class: z.string(),
  /** word types of the class that are in the model's vocabulary */
  types: count,
});

export const RunWordSchema = z.object({ word: z.string(), id: count });

export const RunConfigSchema = z.object({
  split: AnalysisSplitSchema,
  state: TargetStateSchema,
  /** 1-based */
  layer: int.positive(),
  layers: int.positive(),
  maxDelay: count,
  streams: int.positive(),
  maxTokens: int.positive().nullable(),
  sample: int.positive().nullable(),
  seed: int.nullable(),
  normalize: NormalizeSchema,
  groups: int.positive(),
  workers: count,
  classSets: z.array(z.string()),
  /** in the order of the first axis of G_class.npy */
  classes: z.array(RunClassSchema),
  /** in the order of the first axis of G_word.npy */
  words: z.array(RunWordSchema),
  properties: z.array(PropertySpecSchema),
  /** singular vector pairs kept per delay (k of V.npy, U.npy) */
  vectors: count,
});

export const RunSoftwareSchema = z.object({
  app: z.string(),
  node: z.string(),
  /** package → version (tfjs, tfjs-core, tfjs-backend-wasm, …) */
  versions: z.record(z.string(), z.string()),
  /** backend of the accumulation workers, e.g. 'wasm (SIMD, single thread)' */
  backend: z.string(),
  /** GEMM engine and tangent kernels of the accumulation */
  engine: z.string(),
  kernels: z.string(),
  /** accumulation worker threads (0: ran in the job's own thread) */
  workers: count,
  platform: z.string(),
  cpus: count,
  /** the sweep path that ran ('tensor' or 'kernels') and why; absent in runs made before there were two */
  path: z.enum(['tensor', 'kernels']).optional(),
  pathReason: z.string().optional(),
  /** tensor path: device memory planned for (MiB), where that figure came from, and the streams swept at once */
  deviceMemoryMB: num.optional(),
  deviceMemorySource: z.enum(['option', 'nvidia-smi', 'default']).optional(),
  chunkStreams: count.optional(),
});

export const RunTimingsSchema = z.object({
  /** reading the model, corpus and classes */
  prepareSeconds: num,
  /** accumulation wall time, including worker start-up */
  accumulateSeconds: num,
  /** sweep time of the slowest worker (what the GFLOP/s rate is over) */
  computeSeconds: num,
  /** CPU time of the sweeps summed over workers, when known */
  cpuSeconds: num.nullable(),
  /** all SVDs */
  svdSeconds: num,
  /** the whole summary (SVDs, properties, probes, fits) */
  summariseSeconds: num,
  writeSeconds: num,
  totalSeconds: num,
});

export const RunFlopsSchema = z.object({
  /** nominal flops, 8·E·H·K per (source, step) and layer (DESIGN §4) */
  nominal: num,
  /** flops the GEMMs actually executed */
  gemm: num,
  /** nominal flops / computeSeconds / 1e9 */
  gflopsPerSecond: num,
});

export const RunCountsSchema = z.object({
  /** tokens of the split, before streams and --max-tokens */
  splitTokens: count,
  streams: int.positive(),
  /** steps per stream T */
  length: int.positive(),
  /** positions analysed, streams × length */
  positions: count,
  /** source positions that started tangents (sampled, or all positions) */
  sources: count,
  /** (source, step) pairs per delay τ = 0..D (also counts.npy) */
  pairs: z.array(num),
  /** per class / word: pairs per delay */
  classPairs: z.record(z.string(), z.array(num)),
  wordPairs: z.record(z.string(), z.array(num)),
  /** pairs per delay of each uncertainty group [K][D+1] */
  groupPairs: z.array(z.array(num)),
  /** groups left out of the standard errors because they had no pair at some delay */
  groupsDropped: z.array(count),
});

export const RunArrayInfoSchema = z.object({
  file: z.string(),
  dtype: z.enum(['<f4', '<f8', '<i4']),
  shape: z.array(count),
  description: z.string(),
});

/** What every run.json says of its run (a sweep's, an ablation's): its id, the model over which corpus split, and when. */
export const RunOriginSchema = z.object({
  id: ItemIdSchema,
  /** model and corpus ids (the project store reads these two loosely) */
  model: ItemIdSchema,
  corpus: ItemIdSchema,
  split: AnalysisSplitSchema,
  created: z.iso.datetime({ offset: true }),
});

/** runs/<id>/run.json, schema version 1. */
export const RunRecordSchema = z.object({
  schemaVersion: z.literal(RUN_SCHEMA_VERSION),
  ...RunOriginSchema.shape,
  /** the model's shape: vocabulary, embedding size, units and cell per layer (no cells: run.json written when every model was an LSTM) */
  modelShape: z.object({ vocabSize: count, embeddingDim: count, units: z.array(count), cells: z.array(CellSchema).optional() }),
  config: RunConfigSchema,
  software: RunSoftwareSchema,
  timings: RunTimingsSchema,
  flops: RunFlopsSchema,
  counts: RunCountsSchema,
  /** tangent values flushed to zero below 1e-30 (denormal guard); 0 means none */
  flushedValues: count,
  arrays: z.array(RunArrayInfoSchema),
  warnings: z.array(z.string()),
  summary: RunSummarySchema,
});

export type RunRecord = z.infer<typeof RunRecordSchema>;

/** The analyze options a shard was swept with (what every shard of a sweep shares; a merge checks them and sweeps nothing). */
export const ShardOptionsSchema = AnalyzeParamsSchema.omit({
  project: true,
  id: true,
  name: true,
  workers: true,
  shard: true,
  // how a shard was computed, not what: shards swept on different paths merge (their sums agree within float32 rounding)
  engine: true,
  backend: true,
  deviceMemory: true,
});
export type ShardOptions = z.output<typeof ShardOptionsSchema>;

/** What makes a run.json a partial run: one shard of a sweep, its exact sums, not yet merged. */
export const PartialRunInfoSchema = z.object({
  /** PARTIAL_RUN_VERSION of the writer */
  version: int.positive(),
  shard: ShardSchema,
  /** the shard's streams [firstStream, firstStream + streams) of config.streams */
  firstStream: count,
  streams: int.positive(),
  options: ShardOptionsSchema,
  /** sha256 of the model's model.json and weights files when the shard was swept */
  modelDigest: z.string(),
  /** sha256 of the whole sweep's tokens [config.streams, length] (int32 little-endian): same corpus, split and layout */
  tokensDigest: z.string(),
  /** classes summed per (class, group) (sums_class.npy [classes, groups, …]) or per class ([classes, 1, …]) */
  classesPerGroup: z.boolean(),
  /** what the accumulation said about itself (e.g. class SEs left out for memory); the merged run says it too */
  accumulationWarnings: z.array(z.string()),
});
export type PartialRunInfo = z.infer<typeof PartialRunInfoSchema>;

/**
 * runs/<id>/run.json of a partial run (`analyze --shard I/N`): a run record without the
 * summary (no SVD), with `partial`, and counts, timings and flops of this shard alone; its
 * arrays are the float64 sums of PARTIAL_ARRAY_FILES. A run.json without `partial` is a complete run.
 */
export const PartialRunRecordSchema = RunRecordSchema.omit({ summary: true }).extend({ partial: PartialRunInfoSchema });
export type PartialRunRecord = z.infer<typeof PartialRunRecordSchema>;

/** The array files of a partial run: the exact float64 sums ([H, E] blocks) a merge adds up. */
export const PARTIAL_ARRAY_FILES = {
  tokens: 'tokens.npy',
  groupSum: 'sums_group.npy',
  groupCount: 'counts_group.npy',
  classSum: 'sums_class.npy',
  classCount: 'counts_class.npy',
  wordSum: 'sums_word.npy',
  wordCount: 'counts_word.npy',
} as const;
export type PartialArrayName = keyof typeof PARTIAL_ARRAY_FILES;

export { partialRunMessage, shardLabel } from '../shard';

/** The cell of each layer of a run's model, bottom first (a run.json without cells is of an LSTM). */
export function runCells(shape: RunRecord['modelShape']): Cell[] {
  return shape.units.map((_, i) => shape.cells?.[i] ?? 'lstm');
}

/** The cell of the layer a run analysed. */
export function analysedCell(record: Pick<RunRecord, 'modelShape' | 'config'>): Cell {
  return runCells(record.modelShape)[record.config.layer - 1] ?? 'lstm';
}
export type RunConfig = z.infer<typeof RunConfigSchema>;
export type RunClass = z.infer<typeof RunClassSchema>;
export type RunArrayInfo = z.infer<typeof RunArrayInfoSchema>;

/** The array files of a run folder. G_class/G_word exist only when classes/words were accumulated. */
export const RUN_ARRAY_FILES = {
  tokens: 'tokens.npy',
  G: 'G.npy',
  classG: 'G_class.npy',
  wordG: 'G_word.npy',
  spectrum: 'spectrum.npy',
  V: 'V.npy',
  U: 'U.npy',
  counts: 'counts.npy',
} as const;
export type RunArrayName = keyof typeof RUN_ARRAY_FILES;
