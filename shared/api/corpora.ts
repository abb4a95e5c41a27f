// Corpora and their class sets. Importing one is a job (jobStart with kind 'import-corpus').
import { z } from 'zod';
import { DeletedSchema, FolderPathSchema, ItemRefSchema, ProjectRefSchema } from './common';
import { CorpusManifestSchema } from '../schemas/corpus';
import { ItemIdSchema, ManifestEntrySchema } from '../schemas/project';

export const ClassSetSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  /** 'builtin:upos', 'builtin:paper', or 'wordlist:<file name>'. */
  source: z.string(),
  /** Class name → number of word types. */
  sizes: z.record(z.string(), z.number().int().nonnegative()),
});
export type ClassSetSummary = z.infer<typeof ClassSetSummarySchema>;

export const CorpusListingSchema = ManifestEntrySchema.extend({
  /** corpus.json, or null when it could not be read (then `problem` says why). */
  corpus: CorpusManifestSchema.nullable(),
  problem: z.string().nullable(),
});
export type CorpusListing = z.infer<typeof CorpusListingSchema>;

export const corpusProcedures = {
  corpusList: { input: ProjectRefSchema, output: z.array(CorpusListingSchema) },
  /** Statistics (tokens, types, OOV per split, tag counts) and the class sets. */
  corpusShow: {
    input: ItemRefSchema,
    output: z.object({ corpus: CorpusManifestSchema, classSets: z.array(ClassSetSummarySchema) }),
  },
  classSetList: {
    input: z.strictObject({ project: FolderPathSchema, corpus: ItemIdSchema }),
    output: z.array(ClassSetSummarySchema),
  },
  /** Runs that used the corpus stay readable (runList marks the missing input). */
  corpusDelete: { input: ItemRefSchema, output: DeletedSchema },
};
