// The project folder's own files: the project.json manifest (current and older
// schema versions), the write lock, and the loose view of run.json the store needs.
// Item metadata (corpus.json, training.json, run.json) belongs to the modules that write it.
import { z } from 'zod';

export const PROJECT_SCHEMA_VERSION = 1;
export const PROJECT_APP = 'mnemoscope';

/** Ids become folder names on every OS, so: ASCII letters, digits, '.', '_', '-', not starting with a dot. */
export const ITEM_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const ItemIdSchema = z
  .string()
  .regex(ITEM_ID_PATTERN, 'must be 1-64 characters of A-Z a-z 0-9 . _ - and start with a letter or digit');

export const ItemKindSchema = z.enum(['corpus', 'model', 'run']);
export type ItemKind = z.infer<typeof ItemKindSchema>;

/** Manifest list and folder name for each kind of item. */
export const ITEM_FOLDERS = { corpus: 'corpora', model: 'models', run: 'runs' } as const satisfies Record<
  ItemKind,
  string
>;
export type ItemFolder = (typeof ITEM_FOLDERS)[ItemKind];

/** ISO 8601 timestamp as written by Date.prototype.toISOString (with or without a UTC offset). */
const Timestamp = z.iso.datetime({ offset: true });

/** Longest display name of a project or an item (corpus, model, run). */
export const MAX_NAME_LENGTH = 200;

export const ProjectNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`);

/** The display name a job gives the item it creates. */
export const ItemNameSchema = z.string().max(MAX_NAME_LENGTH);

// Loose objects, here and in the manifest: fields someone added by hand (a `comment` on an
// entry, a top-level `notes`) are read, kept and written back, never dropped at the next write.
export const ManifestEntrySchema = z.looseObject({
  id: ItemIdSchema,
  name: z.string(),
  created: Timestamp,
});
export type ManifestEntry = z.infer<typeof ManifestEntrySchema>;

function uniqueIds(entries: ManifestEntry[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  entries.forEach((e, i) => {
    if (seen.has(e.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate id '${e.id}'` });
    seen.add(e.id);
  });
}
const EntryList = z.array(ManifestEntrySchema).superRefine(uniqueIds);

/** project.json, schema version 1 (current). Unknown fields are kept (see ManifestEntrySchema). */
export const ProjectManifestSchema = z.looseObject({
  schemaVersion: z.literal(PROJECT_SCHEMA_VERSION),
  app: z.literal(PROJECT_APP),
  name: ProjectNameSchema,
  created: Timestamp,
  modified: Timestamp,
  corpora: EntryList,
  models: EntryList,
  runs: EntryList,
});
export type ProjectManifest = z.infer<typeof ProjectManifestSchema>;

/**
 * project.json, schema version 0: the pre-release format of the early prototypes.
 * It had no `modified` time and called corpora `datasets`. Kept so the migration
 * path from older versions is real code with a real test, not a promise.
 */
export const ProjectManifestV0Schema = z.looseObject({
  schemaVersion: z.literal(0),
  app: z.literal(PROJECT_APP),
  name: ProjectNameSchema,
  created: Timestamp,
  datasets: EntryList,
  models: EntryList,
  runs: EntryList,
});
export type ProjectManifestV0 = z.infer<typeof ProjectManifestV0Schema>;

/** Only the part of any manifest needed to pick a reader: is it ours, and which version. */
export const ManifestHeaderSchema = z.object({
  app: z.literal(PROJECT_APP, { error: "is not 'mnemoscope' (this is not a Mnemoscope project file)" }),
  schemaVersion: z.number().int().nonnegative(),
});

/** project.lock: who holds the write lock. */
export const ProjectLockSchema = z.object({
  pid: z.number().int().positive(),
  hostname: z.string(),
  created: Timestamp,
  /** worker_threads threadId of the holder inside its process (0 = main thread). */
  threadId: z.number().int().nonnegative().optional(),
});
export type ProjectLock = z.infer<typeof ProjectLockSchema>;

/** The two fields of run.json the store reads to tell whether a run's inputs still exist. */
// Read loosely: an id string, or an object with an `id`; anything else counts as absent.
const LinkedId = z
  .union([z.string(), z.object({ id: z.string() }).transform((o) => o.id)])
  .optional()
  .catch(undefined);
export const RunLinksSchema = z.looseObject({ model: LinkedId, corpus: LinkedId });

export const RunListingSchema = ManifestEntrySchema.extend({
  /** Inputs the run names in run.json that are no longer in the project. */
  missing: z.object({ model: z.literal(true).optional(), corpus: z.literal(true).optional() }),
  model: z.string().optional(),
  corpus: z.string().optional(),
  /** Set when run.json could not be read; the run is still listed. */
  problem: z.string().optional(),
  /** Set for a partial run (`analyze --shard I/N`): shard `index` of `count`, to be merged; it has no results of its own. */
  shard: z.object({ index: z.number().int().positive(), count: z.number().int().positive() }).optional(),
  /** what the run is: a state-gradient sweep or a context ablation (shared/schemas/ablation.ts) */
  kind: z.enum(['sweep', 'ablation']),
});
export type RunListing = z.infer<typeof RunListingSchema>;
