// On-disk formats of an imported corpus: corpus.json (the manifest with source,
// format, tagset, preprocessing, split rule and statistics) and classes/<id>.json
// (word class sets). Token data lives beside them as plain text; see
// main/engine/corpus/corpus-files.ts for the file layout.
import { z } from 'zod';
import { ItemIdSchema } from './project';

export const CORPUS_SCHEMA_VERSION = 1;
export const CLASS_SET_SCHEMA_VERSION = 1;

/** The 12 universal part-of-speech tags of Petrov, Das & McDonald (2012). */
export const UNIVERSAL_TAGS = ['NOUN', 'VERB', 'ADJ', 'ADV', 'PRON', 'DET', 'ADP', 'NUM', 'CONJ', 'PRT', 'X', '.'] as const;
export const UniversalTagSchema = z.enum(UNIVERSAL_TAGS);
export type UniversalTag = z.infer<typeof UniversalTagSchema>;

export const SPLIT_NAMES = ['train', 'valid', 'test'] as const;
export const SplitNameSchema = z.enum(SPLIT_NAMES);
export type SplitName = z.infer<typeof SplitNameSchema>;

/** How the source text is laid out. 'brown' is the built-in corpus's own word/tag form. */
export const CorpusFormatSchema = z.enum(['brown', 'plain', 'tagged', 'conllu']);
export type CorpusFormat = z.infer<typeof CorpusFormatSchema>;
/** The formats a user file can have (auto-detected unless given). */
export const UserFormatSchema = z.enum(['plain', 'tagged', 'conllu']);
export type UserFormat = z.infer<typeof UserFormatSchema>;

/** The tagset of the fine tags in <split>.tags.txt ('none': untagged; 'unknown': tags we cannot map). */
export const TagsetSchema = z.enum(['brown', 'ptb', 'upos', 'none', 'unknown']);
export type Tagset = z.infer<typeof TagsetSchema>;
export type KnownTagset = 'brown' | 'ptb' | 'upos';

export const PreprocessingSchema = z.object({
  lowercase: z.boolean(),
  /** Tokens that are numbers (3, 3.5, 1,000, 1/2, -4) become 'N'. */
  numbers: z.boolean(),
  /** An end-of-sentence token follows every sentence when the text is encoded. */
  eos: z.boolean(),
});
export type Preprocessing = z.infer<typeof PreprocessingSchema>;
export const DEFAULT_PREPROCESSING: Preprocessing = { lowercase: true, numbers: true, eos: true };

export const CorpusSourceSchema = z.object({
  kind: z.enum(['builtin-brown', 'file', 'files']),
  /** Source files as given: one for 'file', train/valid/test for 'files', none for Brown. */
  paths: z.array(z.string()),
  maxFiles: z.number().int().positive().nullable(),
});
export type CorpusSource = z.infer<typeof CorpusSourceSchema>;

export const SplitRuleSchema = z.discriminatedUnion('kind', [
  /** The fixed Brown split by file; `rule` quotes it in words. */
  z.object({ kind: z.literal('brown-files'), rule: z.string() }),
  /** One file per split, as given. */
  z.object({ kind: z.literal('files') }),
  /** One file cut into contiguous runs of sentences: first train, then valid, then test. */
  z.object({
    kind: z.literal('ratio'),
    train: z.number().min(0),
    valid: z.number().min(0),
    test: z.number().min(0),
  }),
]);
export type SplitRule = z.infer<typeof SplitRuleSchema>;

const Count = z.number().int().nonnegative();
const Rate = z.number().min(0).max(1);
const CountsByTag = z.record(z.string(), Count);

export const SplitStatsSchema = z.object({
  sentences: Count,
  /** Word tokens, not counting end-of-sentence tokens. */
  tokens: Count,
  types: Count,
  /** Share of word tokens whose type never occurs in the train split. */
  oovRateTrain: Rate,
  /** Share of word tokens outside the vocabulary of the K most frequent train types (K = stats.vocabSize). */
  oovRateTopK: Rate,
  /** Source files that went into this split (Brown file ids, or the user file). */
  files: z.array(z.string()),
});
export type SplitStats = z.infer<typeof SplitStatsSchema>;

export const CorpusStatsSchema = z.object({
  /** K of oovRateTopK; counts <unk> and <eos> as buildVocabulary does. */
  vocabSize: z.number().int().positive(),
  splits: z.object({ train: SplitStatsSchema, valid: SplitStatsSchema, test: SplitStatsSchema }),
  /** Token counts per fine tag and per universal tag over all splits (empty when untagged). */
  fineTags: CountsByTag,
  universalTags: CountsByTag,
  /** Fine tags that the tagset's table does not know (counted as X), with their token counts. */
  unmappedTags: CountsByTag,
});
export type CorpusStats = z.infer<typeof CorpusStatsSchema>;

/** corpus.json, schema version 1. */
export const CorpusManifestSchema = z.object({
  schemaVersion: z.literal(CORPUS_SCHEMA_VERSION),
  id: ItemIdSchema,
  name: z.string(),
  source: CorpusSourceSchema,
  format: CorpusFormatSchema,
  tagset: TagsetSchema,
  /** Where universal tags come from: mapped from the fine tags, or the CoNLL-U UPOS column. */
  universalFrom: z.enum(['fine', 'conllu-upos', 'none']),
  /** For CoNLL-U: the column that gave the fine tags. */
  fineTagColumn: z.enum(['XPOS', 'UPOS']).nullable(),
  tagged: z.boolean(),
  preprocessing: PreprocessingSchema,
  split: SplitRuleSchema,
  stats: CorpusStatsSchema,
  created: z.iso.datetime({ offset: true }),
});
export type CorpusManifest = z.infer<typeof CorpusManifestSchema>;

/** Only what is needed to pick a reader or refuse a newer file. */
export const VersionProbeSchema = z.object({ schemaVersion: z.number().int() });

/**
 * One band of a class set by frequency rank (the built-in `frequency` set): the class holds
 * the train-split word types of rank fromRank..toRank (1-based; toRank null: no upper edge).
 * The edges are the band's nominal ones, also when fewer types exist.
 */
export const RankBandSchema = z.object({
  class: z.string().min(1),
  fromRank: z.number().int().positive(),
  toRank: z.number().int().positive().nullable(),
});
export type RankBand = z.infer<typeof RankBandSchema>;

/** classes/<id>.json: named sets of word types (preprocessed forms), each list sorted. */
export const ClassSetSchema = z.object({
  schemaVersion: z.literal(CLASS_SET_SCHEMA_VERSION),
  id: ItemIdSchema,
  name: z.string(),
  /** 'builtin:upos', 'builtin:paper', 'builtin:frequency', or 'wordlist:<file name>'. */
  source: z.string(),
  description: z.string(),
  classes: z.record(z.string().min(1), z.array(z.string())),
  /** Rank edges of the classes that are frequency bands (optional; only the `frequency` set has them). */
  bands: z.array(RankBandSchema).optional(),
});
export type ClassSet = z.infer<typeof ClassSetSchema>;
