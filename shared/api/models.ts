// Language models in a project. Training, importing and evaluating are jobs.
import { z } from 'zod';
import { DeletedSchema, FolderPathSchema, ItemRefSchema, ProjectRefSchema } from './common';
import { ImportModelJobParamsSchema } from '../job-kinds/import-model';
import { ArchitectureSchema, DetectedModelSchema, ModelMetaSchema } from '../schemas/model';
import { ManifestEntrySchema } from '../schemas/project';

/** What a list of models shows, from training.json and the size of weights.bin. */
export const ModelSummarySchema = z.object({
  origin: z.enum(['trained', 'imported']),
  architecture: ArchitectureSchema,
  /** The corpus it was trained on (project id), when known. */
  corpus: z.string().nullable(),
  epochsRun: z.number().int().nonnegative().nullable(),
  bestEpoch: z.number().int().positive().nullable(),
  bestValidPerplexity: z.number().nullable(),
  /** False while training is still writing it, or for a cancelled run. */
  complete: z.boolean(),
  cancelled: z.boolean(),
  backend: z.string().nullable(),
  /** Training throughput over the whole run (trained models; null for imported ones). */
  tokensPerSecond: z.number().nonnegative().nullable().default(null),
  weightsBytes: z.number().int().nonnegative().nullable(),
});
export type ModelSummary = z.infer<typeof ModelSummarySchema>;

export const ModelListingSchema = ManifestEntrySchema.extend({
  summary: ModelSummarySchema.nullable(),
  /** Why training.json could not be read, when it could not. */
  problem: z.string().nullable(),
});
export type ModelListing = z.infer<typeof ModelListingSchema>;

/** A model file on the engine's machine, with the PyTorch hints an import of it would take. */
export const ModelInspectInputSchema = z.strictObject({
  /** .pt/.pth, .safetensors, .onnx or a tfjs model.json (or the folder holding it); told apart by the first bytes. */
  path: FolderPathSchema,
  keys: ImportModelJobParamsSchema.shape.keys,
  nonlinearity: ImportModelJobParamsSchema.shape.nonlinearity,
});
export type ModelInspectInput = z.input<typeof ModelInspectInputSchema>;

export const modelProcedures = {
  modelList: { input: ProjectRefSchema, output: z.array(ModelListingSchema) },
  /** training.json in full (configuration and per-epoch history) with the summary. */
  modelShow: { input: ItemRefSchema, output: z.object({ summary: ModelSummarySchema, meta: ModelMetaSchema }) },
  modelDelete: { input: ItemRefSchema, output: DeletedSchema },
  /**
   * What importing a model file would bring in (format, architecture with its cells, tied or
   * not, dtype, notes), read and checked without writing anything; a user error names the
   * file and the problem. The import form shows it before its Import button is enabled.
   */
  modelInspect: { input: ModelInspectInputSchema, output: DetectedModelSchema },
};
