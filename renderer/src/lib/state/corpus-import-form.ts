// The corpus import form: built-in Brown (optionally a slice), one file cut by a ratio, or
// three files; format and tagset detected unless chosen; preprocessing switches.
import type { JobParamsInput } from '../../../../shared/jobs';
import type { Preprocessing, Tagset, UserFormat } from '../../../../shared/schemas/corpus';
import { checkItemId, parseNumberField } from './fields';

export type SourceKind = 'builtin-brown' | 'file' | 'files';

export interface CorpusImportValues {
  id: string;
  name: string;
  source: SourceKind;
  /** Brown: files to take round-robin across genres; empty: all 500. */
  maxFiles: string;
  path: string;
  /** train:valid:test, e.g. "8:1:1"; empty: the engine's default 80:10:10. */
  ratio: string;
  train: string;
  valid: string;
  test: string;
  format: UserFormat | 'auto';
  tagset: Exclude<Tagset, 'unknown'> | 'auto';
  preprocessing: Preprocessing;
  /** K of the stored OOV rate; empty: 10 000. */
  statsVocabSize: string;
}

export const FORMAT_CHOICES: readonly { value: CorpusImportValues['format']; label: string }[] = [
  { value: 'auto', label: 'Detect from the first lines' },
  { value: 'plain', label: 'Plain: one sentence per line' },
  { value: 'tagged', label: 'Tagged: word/TAG tokens' },
  { value: 'conllu', label: 'CoNLL-U' },
];

export const TAGSET_CHOICES: readonly { value: CorpusImportValues['tagset']; label: string }[] = [
  { value: 'auto', label: 'Detect' },
  { value: 'brown', label: 'Brown' },
  { value: 'ptb', label: 'Penn Treebank' },
  { value: 'upos', label: 'Universal Dependencies' },
  { value: 'none', label: 'Ignore the tags' },
];

export function emptyImportValues(): CorpusImportValues {
  return {
    id: '',
    name: '',
    source: 'builtin-brown',
    maxFiles: '60',
    path: '',
    ratio: '',
    train: '',
    valid: '',
    test: '',
    format: 'auto',
    tagset: 'auto',
    preprocessing: { lowercase: true, numbers: true, eos: true },
    statsVocabSize: '',
  };
}

/** 'novels', from '/data/novels.train.txt' or 'C:\\data\\novels.txt'. */
export function idFromPath(path: string): string {
  const base = path.split(/[\\/]/).filter((p) => p !== '').pop() ?? '';
  return base.replace(/\.[^.]*$/, '').replace(/\.(train|valid|test)$/i, '');
}

/** "8:1:1" or "80/10/10" → [8, 1, 1]; a message when it is not three numbers with a positive train part. */
export function parseRatio(text: string): { ok: true; value: [number, number, number] } | { ok: false; error: string } {
  const parts = text.split(/[:/,\s]+/).filter((p) => p !== '');
  const nums = parts.map(Number);
  if (nums.length !== 3 || nums.some((n) => !Number.isFinite(n) || n < 0)) {
    return { ok: false, error: 'three numbers train:valid:test, e.g. 8:1:1' };
  }
  if (nums[0] <= 0) return { ok: false, error: 'the train part must be more than 0' };
  return { ok: true, value: [nums[0], nums[1], nums[2]] };
}

export type CorpusImportErrors = Partial<Record<'id' | 'maxFiles' | 'path' | 'ratio' | 'train' | 'valid' | 'test' | 'statsVocabSize', string>>;

/** The import job's params, or what is wrong by field. */
export function checkImportForm(
  v: CorpusImportValues,
  project: string,
  takenIds: ReadonlySet<string>,
): { ok: true; params: JobParamsInput<'import-corpus'> } | { ok: false; errors: CorpusImportErrors } {
  const errors: CorpusImportErrors = {};
  const idError = checkItemId(v.id) ?? (takenIds.has(v.id) ? `the project already has a corpus '${v.id}'` : null);
  if (idError) errors.id = idError;

  let source: JobParamsInput<'import-corpus'>['source'] | null = null;
  if (v.source === 'builtin-brown') {
    const max = parseNumberField({ kind: 'int', min: 3, max: 500, optional: true }, v.maxFiles);
    if (max.ok) source = { kind: 'builtin-brown', ...(max.value !== null && { maxFiles: max.value }) };
    else errors.maxFiles = max.error;
  } else if (v.source === 'file') {
    if (v.path.trim() === '') errors.path = 'the file to import';
    let ratio: [number, number, number] | undefined;
    if (v.ratio.trim() !== '') {
      const r = parseRatio(v.ratio);
      if (r.ok) ratio = r.value;
      else errors.ratio = r.error;
    }
    if (!errors.path && !errors.ratio) source = { kind: 'file', path: v.path.trim(), ...(ratio && { ratio }) };
  } else {
    for (const split of ['train', 'valid', 'test'] as const) if (v[split].trim() === '') errors[split] = `the ${split} file`;
    if (!errors.train && !errors.valid && !errors.test) source = { kind: 'files', train: v.train.trim(), valid: v.valid.trim(), test: v.test.trim() };
  }

  const k = parseNumberField({ kind: 'int', min: 1, optional: true }, v.statsVocabSize);
  if (!k.ok) errors.statsVocabSize = k.error;

  if (Object.keys(errors).length > 0 || !source || !k.ok) return { ok: false, errors };
  const user = v.source !== 'builtin-brown';
  const name = v.name.trim();
  return {
    ok: true,
    params: {
      project,
      id: v.id,
      ...(name && { name }),
      source,
      ...(user && v.format !== 'auto' && { format: v.format }),
      ...(user && v.tagset !== 'auto' && { tagset: v.tagset }),
      preprocessing: { ...v.preprocessing },
      ...(k.value !== null && { statsVocabSize: k.value }),
    },
  };
}
