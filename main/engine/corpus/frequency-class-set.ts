// The built-in `frequency` class set, on every corpus (tagged or not): word types in bands of
// their frequency rank in the train split.
//   Rank: 1-based position in the train-split types ordered by count (descending), ties
//   broken by the code-unit order of the word (JavaScript string order), exactly the order in
//   which buildVocabulary picks a model's K most frequent types. So a vocabulary of K entries
//   with <unk> and <eos> holds the types of rank 1..K−2.
//   Counted: word tokens of the train split (lexicon.tsv). <eos> is not a counted token (it
//   is added at encoding time) and is in no band; a literal '<unk>' or '<eos>' in the text is
//   not ranked either. Types that never occur in the train split have no rank and are in no
//   band (every model sees them as <unk>).
//   Bands: freq-1-100, freq-101-1000, freq-1001-5000, freq-5001-10000, freq-10001+; a band
//   without any type is left out. `freq-unk` holds the unknown-word token <unk>: a sweep
//   accumulates it at every source position the model reads as <unk>.
//   The class set file stores the edges (`bands`), so views can show them.
// Corpora imported before this set existed get it when next opened (ensureFrequencyClassSet).
import { promises as fs } from 'node:fs';
import { CLASS_SET_SCHEMA_VERSION, type ClassSet, type RankBand } from '../../../shared/schemas/corpus';
import { isUserError } from '../errors';
import { listClassSets, summariseClassSet, writeClassSet, type ClassSetSummary } from './class-set-store';
import { classSetFile, lexiconFile } from './corpus-files';
import { readLexicon, type Lexicon } from './lexicon';
import { EOS, UNK } from './vocabulary';

export const FREQUENCY_CLASS_SET_ID = 'frequency';
export const FREQUENCY_UNK_CLASS = 'freq-unk';

/** The bands' nominal edges, most frequent first. */
export const FREQUENCY_BANDS: readonly RankBand[] = [
  { class: 'freq-1-100', fromRank: 1, toRank: 100 },
  { class: 'freq-101-1000', fromRank: 101, toRank: 1000 },
  { class: 'freq-1001-5000', fromRank: 1001, toRank: 5000 },
  { class: 'freq-5001-10000', fromRank: 5001, toRank: 10_000 },
  { class: 'freq-10001+', fromRank: 10_001, toRank: null },
];

/** Train-split word types by rank (index 0 = rank 1): count descending, then code-unit order; without <unk> and <eos>. */
export function rankedTrainTypes(lex: Lexicon): string[] {
  const counted: [string, number][] = [];
  for (const [w, e] of lex) if (e.counts[0] > 0 && w !== UNK && w !== EOS) counted.push([w, e.counts[0]]);
  counted.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return counted.map(([w]) => w);
}

const rankText = (band: RankBand) => (band.toRank === null ? `${band.fromRank}+` : `${band.fromRank}–${band.toRank}`);

export function frequencyClassSet(lex: Lexicon): ClassSet {
  const ranked = rankedTrainTypes(lex);
  const classes: Record<string, string[]> = {};
  const bands: RankBand[] = [];
  for (const band of FREQUENCY_BANDS) {
    const words = ranked.slice(band.fromRank - 1, band.toRank ?? ranked.length);
    if (words.length === 0) continue;
    classes[band.class] = words.sort();
    bands.push({ ...band });
  }
  classes[FREQUENCY_UNK_CLASS] = [UNK];
  return {
    schemaVersion: CLASS_SET_SCHEMA_VERSION,
    id: FREQUENCY_CLASS_SET_ID,
    name: 'Frequency bands (train-split rank)',
    source: 'builtin:frequency',
    description:
      `Word types by their frequency rank in the train split (${ranked.length} ranked types): ` +
      `${bands.map((b) => `${b.class} ranks ${rankText(b)}`).join(', ')}; bands without types are left out. ` +
      'Rank = position by train count, descending, ties in code-unit order of the word (as the vocabulary is chosen). ' +
      `${FREQUENCY_UNK_CLASS} is the unknown-word token ${UNK}. ${EOS} and types absent from the train split are in no band.`,
    classes,
    bands,
  };
}

export interface FrequencyUpgrade {
  /**
   * 'present': the corpus already had it (nothing read or written); 'written': added now;
   * 'in-memory': computed but not stored (`note` says why); 'unavailable': could not be
   * computed (damaged corpus; `note` says why).
   */
  state: 'present' | 'written' | 'in-memory' | 'unavailable';
  /** The set computed by this call ('written', 'in-memory'). */
  set: ClassSet | null;
  note: string | null;
}

export interface EnsureFrequencyOptions {
  /** Runs the write as the project's only writer (ProjectStore.withWriteLock). */
  withWriteLock: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Throw instead of returning 'in-memory' / 'unavailable' (for jobs that write to the project anyway). */
  strict?: boolean;
}

const exists = (file: string) =>
  fs.stat(file).then(
    () => true,
    () => false,
  );

const reasonOf = (err: unknown): string => {
  const code = (err as NodeJS.ErrnoException).code;
  const msg = err instanceof Error ? err.message : String(err);
  return isUserError(err) || !code ? msg : `${code}: ${msg}`;
};

/**
 * The upgrade step for a corpus imported before the `frequency` set existed: when
 * classes/frequency.json is missing, computes it from lexicon.tsv and writes it atomically
 * under the project's write lock (checking again under the lock, so two openers write it once).
 * Idempotent: a corpus that has the file is left untouched. If the project cannot be written
 * (opened read-only, read-only media, no permission) the set is returned in memory with a note.
 */
export async function ensureFrequencyClassSet(corpusDir: string, options: EnsureFrequencyOptions): Promise<FrequencyUpgrade> {
  const file = classSetFile(corpusDir, FREQUENCY_CLASS_SET_ID);
  if (await exists(file)) return { state: 'present', set: null, note: null };
  let set: ClassSet;
  try {
    set = frequencyClassSet(await readLexicon(lexiconFile(corpusDir)));
  } catch (err) {
    if (options.strict) throw err;
    return { state: 'unavailable', set: null, note: `the frequency class set cannot be computed: ${reasonOf(err)}` };
  }
  try {
    const wrote = await options.withWriteLock(async () => {
      if (await exists(file)) return false;
      await writeClassSet(corpusDir, set);
      return true;
    });
    return wrote ? { state: 'written', set, note: null } : { state: 'present', set: null, note: null };
  } catch (err) {
    if (options.strict) throw err;
    return {
      state: 'in-memory',
      set,
      note: `computed for this view only, not saved with the corpus (${reasonOf(err)})`,
    };
  }
}

/**
 * The class sets of a corpus as it is opened (corpus view, sweep form, `corpus show`): the
 * upgrade step first, then the stored sets; a set that could not be stored is listed from
 * memory with its note, and a set that could not be computed is reported in `notes`.
 */
export async function openCorpusClassSets(
  corpusDir: string,
  options: EnsureFrequencyOptions,
): Promise<{ classSets: ClassSetSummary[]; notes: string[] }> {
  const upgrade = await ensureFrequencyClassSet(corpusDir, options);
  const classSets = await listClassSets(corpusDir);
  const notes: string[] = [];
  if (upgrade.state === 'in-memory' && upgrade.set && !classSets.some((s) => s.id === FREQUENCY_CLASS_SET_ID)) {
    classSets.push(summariseClassSet(upgrade.set, upgrade.note ?? undefined));
    classSets.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
  if (upgrade.note) notes.push(`${FREQUENCY_CLASS_SET_ID}: ${upgrade.note}`);
  return { classSets, notes };
}
