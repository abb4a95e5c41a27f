// Corpora and their class sets. Importing one is a job (jobStart with kind 'import-corpus').
import { z } from 'zod';
import { DeletedSchema, FolderPathSchema, ItemRefSchema, ProjectRefSchema } from './common';
import { ClassSetSchema, CorpusManifestSchema, RankBandSchema, TagsetSchema, UserFormatSchema } from '../schemas/corpus';
import { ItemIdSchema, ManifestEntrySchema } from '../schemas/project';

export const ClassSetSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  /** 'builtin:upos', 'builtin:paper', 'builtin:frequency', or 'wordlist:<file name>'. */
  source: z.string(),
  /** Class name → number of word types. */
  sizes: z.record(z.string(), z.number().int().nonnegative()),
  /** Rank edges of frequency bands (the `frequency` set). */
  bands: z.array(RankBandSchema).optional(),
  /** Set when the set could not be stored with the corpus (read-only project): it was computed for this listing only. */
  note: z.string().optional(),
});
export type ClassSetSummary = z.infer<typeof ClassSetSummarySchema>;

export const CorpusListingSchema = ManifestEntrySchema.extend({
  /** corpus.json, or null when it could not be read (then `problem` says why). */
  corpus: CorpusManifestSchema.nullable(),
  problem: z.string().nullable(),
});
export type CorpusListing = z.infer<typeof CorpusListingSchema>;

/** The first lines of a user's corpus file and what an import would make of it. */
export const CorpusPreviewSchema = z.object({
  /** Absolute path of the file on the engine's machine. */
  path: z.string(),
  /** The first non-empty lines, each cut at 400 characters. */
  lines: z.array(z.string()),
  /** True when the file has more non-empty lines than shown. */
  more: z.boolean(),
  /** The format the import would detect, from the same first lines it looks at. */
  format: UserFormatSchema,
  /** The tagset of the fine tags the import would detect ('none': untagged). */
  tagset: TagsetSchema,
  bytes: z.number().int().nonnegative(),
});
export type CorpusPreview = z.infer<typeof CorpusPreviewSchema>;

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
  /**
   * Adds a class set to a corpus from a word list on the engine's machine (one word per line,
   * or word<TAB>class). An id the corpus already has is refused unless `replace` is true, and
   * the built-in sets (upos, paper, frequency) are never replaced.
   */
  classSetAdd: {
    input: z.strictObject({
      project: FolderPathSchema,
      corpus: ItemIdSchema,
      id: ItemIdSchema,
      /** the word list file */
      words: FolderPathSchema,
      /** class of one-column lines (default: the file name without its extension) */
      defaultClass: z.string().min(1, 'must not be empty').max(200).optional(),
      /** display name (default: the file name) */
      name: z.string().max(200).optional(),
      replace: z.boolean().default(false),
    }),
    output: z.object({ classSet: ClassSetSchema, replaced: z.boolean() }),
  },
  /** Reads the first lines of a file about to be imported and detects its format and tagset. */
  corpusPreview: {
    input: z.strictObject({ path: FolderPathSchema, lines: z.number().int().min(1).max(100).default(20) }),
    output: CorpusPreviewSchema,
  },
  /** Runs that used the corpus stay readable (runList marks the missing input). */
  corpusDelete: { input: ItemRefSchema, output: DeletedSchema },
};
