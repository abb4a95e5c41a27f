// The forms' checks and the params they produce: what the training, sweep and import forms
// send must pass the engine's own validation (the job kinds' zod schemas), and the training
// form prefilled with the engine's defaults must reproduce them exactly.
import { describe, expect, it } from 'vitest';
import { jobKinds } from '../../../shared/jobs';
import { TrainConfigSchema } from '../../../shared/schemas/model';
import { ITEM_ID_PATTERN as SHARED_ID_PATTERN } from '../../../shared/schemas/project';
import { jobDefaults } from '../../../main/engine/handlers/job-handlers';
import { checkItemId, freeId, ITEM_ID_PATTERN, parseNumberField } from '../../../renderer/src/lib/state/fields';
import { TRAIN_FIELDS, checkTrainForm, trainFormValues } from '../../../renderer/src/lib/state/train-form';
import {
  analyzeFormValues,
  checkAnalyzeForm,
  checkProperty,
  classNames,
  parsePropertyText,
  parseWords,
  propertyClassNames,
  suggestRunId,
} from '../../../renderer/src/lib/state/analyze-form';
import { checkImportForm, emptyImportValues, idFromPath, parseRatio } from '../../../renderer/src/lib/state/corpus-import-form';
import { OTHER_TAGS, tagBars } from '../../../renderer/src/lib/state/tag-bars';
import type { ClassSetSummary } from '../../../shared/api/corpora';
import type { CorpusStats } from '../../../shared/schemas/corpus';

const defaults = jobDefaults();

describe('number fields', () => {
  it('accept what the spec allows and say what is wrong otherwise', () => {
    const int = { kind: 'int' as const, min: 1, max: 8 };
    expect(parseNumberField(int, ' 3 ')).toEqual({ ok: true, value: 3 });
    expect(parseNumberField(int, '2.5')).toEqual({ ok: false, error: 'must be a whole number' });
    expect(parseNumberField(int, '9')).toEqual({ ok: false, error: 'must be at most 8' });
    expect(parseNumberField(int, '')).toEqual({ ok: false, error: 'required' });
    expect(parseNumberField({ ...int, optional: true }, '')).toEqual({ ok: true, value: null });
    expect(parseNumberField({ kind: 'float', min: 0, minExclusive: true }, '0')).toEqual({ ok: false, error: 'must be more than 0' });
    expect(parseNumberField({ kind: 'float', max: 1, maxExclusive: true }, '1e-3')).toEqual({ ok: true, value: 0.001 });
    expect(parseNumberField({ kind: 'float' }, 'abc')).toEqual({ ok: false, error: "'abc' is not a number" });
  });
  it('item ids follow the project store rule, and free ids count up', () => {
    expect(ITEM_ID_PATTERN.source).toBe(SHARED_ID_PATTERN.source);
    expect(checkItemId('small-1.b_2')).toBeNull();
    expect(checkItemId('-x')).toMatch(/start with a letter or digit/);
    expect(freeId('small', ['small', 'small-2'])).toBe('small-3');
    expect(freeId('my model!', [])).toBe('my-model-');
  });
});

describe('the training form', () => {
  it('has a field for every numeric TrainConfig field (optimizer, cell and recipe are selects)', () => {
    const keys = Object.keys(TrainConfigSchema.shape)
      .filter((k) => k !== 'optimizer' && k !== 'recipe' && k !== 'cell')
      .sort();
    expect(TRAIN_FIELDS.map((f) => f.key).sort()).toEqual(keys);
  });

  it("prefilled with the engine's defaults, sends exactly those defaults, in params the engine accepts", () => {
    const v = trainFormValues(defaults.train, { id: 'small', corpus: 'brown' });
    const checked = checkTrainForm(v, '/p', new Set());
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.params.config).toEqual(TrainConfigSchema.parse({}));
    const parsed = jobKinds.train.params.safeParse(checked.params);
    expect(parsed.success).toBe(true);
    expect(parsed.data?.config).toEqual(TrainConfigSchema.parse({}));
  });

  it('refuses bad values field by field, and an id the project has', () => {
    const v = trainFormValues(defaults.train, { id: 'small', corpus: '' });
    v.fields.dropout = '1';
    v.fields.layers = '0';
    v.fields.learningRate = '';
    v.fields.seed = '1.5';
    const checked = checkTrainForm(v, '/p', new Set(['small']));
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors).toEqual({
      id: "the project already has a model 'small'",
      corpus: 'choose the corpus to train on',
      dropout: 'must be less than 1',
      layers: 'must be at least 1',
      seed: 'must be a whole number',
    });
  });
});

const sets: ClassSetSummary[] = [
  { id: 'paper', name: 'Paper', source: 'builtin:paper', sizes: { 'noun-sg': 10, 'noun-pl': 5, pronoun: 3 } },
  { id: 'upos', name: 'UPOS', source: 'builtin:upos', sizes: { NOUN: 20, VERB: 10, pronoun: 2 } },
];

describe('the sweep form', () => {
  const ctx = { project: '/p', takenRunIds: new Set(['r1']), modelLayers: 2, classSets: sets };
  const base = () => analyzeFormValues(defaults.analyze, { id: 'run', model: 'small', corpus: 'brown' });

  it('names classes as the engine does: bare, or set/class when two sets share a name', () => {
    expect(classNames(sets)).toEqual(['noun-sg', 'noun-pl', 'paper/pronoun', 'NOUN', 'VERB', 'upos/pronoun']);
    expect(propertyClassNames(sets).has('paper/noun-sg')).toBe(true);
    expect(propertyClassNames(sets).has('pronoun')).toBe(false);
  });

  it('with the defaults, sends params the engine accepts and leaves the engine its own choices', () => {
    const checked = checkAnalyzeForm(base(), ctx);
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.params).toEqual({ project: '/p', model: 'small', corpus: 'brown', id: 'run', split: 'test', state: 'c', maxDelay: 30, streams: 20, seed: 1, normalize: 'none', groups: 10 });
    const parsed = jobKinds.analyze.params.safeParse(checked.params);
    expect(parsed.success).toBe(true);
  });

  it('sends every option that is set', () => {
    const v = { ...base(), state: 'h' as const, layer: '1', maxDelay: '8', maxTokens: '1500', sample: '300', workers: '0', normalize: 'equal-variance' as const, engine: 'tensor' as const, backend: 'cpu' as const };
    v.propertiesMode = 'custom';
    v.properties = [{ name: 'sg-pl', classA: 'noun-sg', classB: 'noun-pl' }, { name: 'nv', classA: 'NOUN', classB: 'upos/pronoun' }];
    v.classSetsMode = 'chosen';
    v.classSets = ['upos'];
    v.words = 'the, of  and,the';
    const checked = checkAnalyzeForm(v, ctx);
    expect(checked.ok && checked.params).toMatchObject({
      state: 'h',
      layer: 1,
      maxDelay: 8,
      maxTokens: 1500,
      sample: 300,
      workers: 0,
      normalize: 'equal-variance',
      engine: 'tensor',
      backend: 'cpu',
      properties: ['sg-pl=noun-sg:noun-pl', 'nv=NOUN:upos/pronoun'],
      classSets: ['upos'],
      words: ['the', 'of', 'and'],
    });
    expect(checked.ok && jobKinds.analyze.params.safeParse(checked.params).success).toBe(true);
  });

  it('says what is wrong: a layer the model lacks, unknown classes, a taken id, too many words', () => {
    const v = { ...base(), id: 'r1', layer: '3', maxDelay: '-1' };
    v.propertiesMode = 'custom';
    v.properties = [{ name: 'x', classA: 'noun-sg', classB: 'adjective' }, { name: 'x', classA: 'NOUN', classB: 'NOUN' }];
    v.words = Array.from({ length: 51 }, (_, i) => `w${i}`).join(' ');
    const checked = checkAnalyzeForm(v, ctx);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors).toMatchObject({
      id: "the project already has a run 'r1'",
      layer: 'must be at most 2 (the model has 2)',
      maxDelay: 'must be at least 0',
      words: 'at most 50 words (51 given)',
      propertyRows: { 0: "the corpus has no class 'adjective'", 1: 'a property needs two different classes' },
    });
  });

  it('reads NAME=A:B, checks property rows and words, and suggests a run id', () => {
    expect(parsePropertyText(' sg-pl = noun-sg : noun-pl ')).toEqual({ name: 'sg-pl', classA: 'noun-sg', classB: 'noun-pl' });
    expect(parsePropertyText('sg-pl')).toBeNull();
    expect(checkProperty({ name: 'a b', classA: 'x', classB: 'y' }, new Set())).toMatch(/not a valid name/);
    expect(checkProperty({ name: 'ab', classA: 'x', classB: '' }, new Set())).toBe('choose both classes');
    expect(parseWords(' a,b  c ,a')).toEqual(['a', 'b', 'c']);
    expect(suggestRunId({ model: 'small', state: 'c', layer: '', maxDelay: '30' }, 2)).toBe('small-c2-d30');
  });
});

describe('the corpus import form', () => {
  it('Brown with a slice, in params the engine accepts', () => {
    const v = { ...emptyImportValues(), id: 'brown60' };
    const checked = checkImportForm(v, '/p', new Set());
    expect(checked.ok && checked.params).toEqual({
      project: '/p',
      id: 'brown60',
      source: { kind: 'builtin-brown', maxFiles: 60 },
      preprocessing: { lowercase: true, numbers: true, eos: true },
    });
    expect(checked.ok && jobKinds['import-corpus'].params.safeParse(checked.params).success).toBe(true);
  });

  it('one file with a ratio, a chosen format and tagset, and K; three files', () => {
    const one = { ...emptyImportValues(), id: 'novels', source: 'file' as const, path: ' /d/novels.txt ', ratio: '90/5/5', format: 'tagged' as const, tagset: 'ptb' as const, statsVocabSize: '5000' };
    const checked = checkImportForm(one, '/p', new Set());
    expect(checked.ok && checked.params).toMatchObject({ source: { kind: 'file', path: '/d/novels.txt', ratio: [90, 5, 5] }, format: 'tagged', tagset: 'ptb', statsVocabSize: 5000 });
    expect(checked.ok && jobKinds['import-corpus'].params.safeParse(checked.params).success).toBe(true);
    const three = { ...emptyImportValues(), id: 'ud', source: 'files' as const, train: 'a', valid: 'b', test: '' };
    expect(checkImportForm(three, '/p', new Set())).toEqual({ ok: false, errors: { test: 'the test file' } });
  });

  it('refuses a slice under 3 files, a bad ratio and a taken id', () => {
    expect(checkImportForm({ ...emptyImportValues(), id: 'b', maxFiles: '2' }, '/p', new Set(['b']))).toEqual({
      ok: false,
      errors: { id: "the project already has a corpus 'b'", maxFiles: 'must be at least 3' },
    });
    expect(parseRatio('8:1')).toMatchObject({ ok: false });
    expect(parseRatio('0:1:1')).toEqual({ ok: false, error: 'the train part must be more than 0' });
    expect(idFromPath('/data/ud/en_ewt.train.conllu')).toBe('en_ewt');
    expect(idFromPath('C:\\corpora\\novels.txt')).toBe('novels');
  });
});

describe('tag bars', () => {
  const split = { sentences: 1, tokens: 1, types: 1, oovRateTrain: 0, oovRateTopK: 0, files: [] };
  const stats: CorpusStats = {
    vocabSize: 10,
    splits: { train: split, valid: split, test: split },
    fineTags: { nn: 50, vb: 30, jj: 10, rb: 6, at: 4 },
    universalTags: { NOUN: 50, VERB: 30, ADJ: 10, ADV: 6, DET: 4 },
    unmappedTags: {},
  };
  it('sorts tags by count with their share, and folds the rare fine tags into one bar', () => {
    expect(tagBars(stats, 'universal').map((b) => [b.tag, b.share])).toEqual([
      ['NOUN', 0.5],
      ['VERB', 0.3],
      ['ADJ', 0.1],
      ['ADV', 0.06],
      ['DET', 0.04],
    ]);
    expect(tagBars(stats, 'fine', 3).map((b) => [b.tag, b.count])).toEqual([
      ['nn', 50],
      ['vb', 30],
      ['jj', 10],
      [OTHER_TAGS, 10],
    ]);
  });
});
