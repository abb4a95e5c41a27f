// The `import-corpus` job: bring a corpus (built-in Brown or the user's files) into a project.
import { z } from 'zod';
import { ItemIdSchema, ItemNameSchema } from '../schemas/project';
import { CorpusManifestSchema, PreprocessingSchema, SplitNameSchema, TagsetSchema, UserFormatSchema } from '../schemas/corpus';

const FilePath = z.string().min(1, 'must not be empty');

export const CorpusImportSourceSchema = z.discriminatedUnion('kind', [
  /** The built-in POS-tagged Brown corpus; maxFiles takes a genre-balanced slice (at least 3 files: one per split). */
  z.strictObject({ kind: z.literal('builtin-brown'), maxFiles: z.number().int().min(3).max(500).optional() }),
  /** One file cut into train/valid/test by sentence, in this ratio (default 8:1:1). */
  z.strictObject({
    kind: z.literal('file'),
    path: FilePath,
    ratio: z.tuple([z.number().positive(), z.number().nonnegative(), z.number().nonnegative()]).optional(),
  }),
  /** One file per split. */
  z.strictObject({ kind: z.literal('files'), train: FilePath, valid: FilePath, test: FilePath }),
]);
export type CorpusImportSourceRequest = z.infer<typeof CorpusImportSourceSchema>;

export const ImportCorpusParamsSchema = z.strictObject({
  /** The project folder on the engine's machine. */
  project: FilePath,
  /** The new corpus's id in the project (its folder name). */
  id: ItemIdSchema,
  name: ItemNameSchema.optional(),
  source: CorpusImportSourceSchema,
  /** Format of user files; detected from the first lines when not given. */
  format: UserFormatSchema.optional(),
  /** Tagset of user files' tags ('none': ignore them); detected when not given. */
  tagset: TagsetSchema.optional(),
  /** Changes to the default preprocessing (lowercase, numbers → N, <eos>: all on). */
  preprocessing: PreprocessingSchema.partial().strict().optional(),
  /** K of the OOV rate stored in corpus.json (default 10 000). */
  statsVocabSize: z.number().int().positive().optional(),
});

export const ImportCorpusProgressSchema = z.object({
  phase: z.enum(['scan', 'write']),
  file: z.string(),
  split: SplitNameSchema.nullable(),
  linesRead: z.number().int().nonnegative(),
  bytesRead: z.number().nonnegative(),
  bytesTotal: z.number().nonnegative(),
});

export const importCorpusJob = {
  params: ImportCorpusParamsSchema,
  result: z.object({ corpus: CorpusManifestSchema }),
  progress: ImportCorpusProgressSchema,
};
