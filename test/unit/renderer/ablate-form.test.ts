// The context-ablation form's checks and the params it produces: what it sends must pass the
// `ablate` job's own validation (jobKinds.ablate.params), and its prefilled values are the
// schema's defaults.
import { describe, expect, it } from 'vitest';
import { jobKinds } from '../../../shared/jobs';
import type { ClassSetSummary } from '../../../shared/api/corpora';
import { ablateFormValues, checkAblateForm, suggestAblationId } from '../../../renderer/src/lib/state/ablate-form';

const sets: ClassSetSummary[] = [
  { id: 'paper', name: 'Paper', source: 'builtin:paper', sizes: { 'noun-sg': 10, 'noun-pl': 5 } },
  { id: 'frequency', name: 'Frequency', source: 'builtin:frequency', sizes: { frequent: 100, rare: 900 } },
];
const ctx = { project: '/p', takenRunIds: new Set(['taken']), classSets: sets };

describe('ablation form', () => {
  it('starts from the schema defaults, and those pass the job schema unchanged', () => {
    const v = ablateFormValues({ id: 'r1', model: 'small', corpus: 'ptb' });
    expect([v.split, v.mode, v.maxDelay, v.streams, v.groups, v.seed, v.maxTokens, v.workers]).toEqual(['test', 'unk', '30', '20', '10', '1', '', '']);
    const checked = checkAblateForm(v, ctx);
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.params).toEqual({ project: '/p', model: 'small', corpus: 'ptb', id: 'r1', split: 'test', mode: 'unk', maxDelay: 30, streams: 20, groups: 10, seed: 1 });
    expect(jobKinds.ablate.params.safeParse(checked.params).success).toBe(true);
  });

  it('sends every option that is set, and the job schema accepts them', () => {
    const v = {
      ...ablateFormValues({ id: 'r2', model: 'small', corpus: 'ptb' }),
      name: '  Shuffled  ',
      split: 'valid' as const,
      mode: 'shuffle' as const,
      maxDelay: '5',
      streams: '4',
      maxTokens: '2000',
      classSetsMode: 'chosen' as const,
      classSets: ['frequency'],
      groups: '5',
      seed: '9',
      workers: '0',
    };
    const checked = checkAblateForm(v, ctx);
    expect(checked.ok && checked.params).toEqual({
      project: '/p',
      model: 'small',
      corpus: 'ptb',
      id: 'r2',
      name: 'Shuffled',
      split: 'valid',
      mode: 'shuffle',
      maxDelay: 5,
      streams: 4,
      maxTokens: 2000,
      classSets: ['frequency'],
      groups: 5,
      seed: 9,
      workers: 0,
    });
    expect(checked.ok && jobKinds.ablate.params.parse(checked.params).maxTokens).toBe(2000);
  });

  it('says what is wrong, field by field', () => {
    const v = {
      ...ablateFormValues({ id: 'taken', model: '', corpus: '' }),
      maxDelay: '201',
      streams: '0',
      maxTokens: '1.5',
      groups: 'x',
      workers: '-1',
      classSetsMode: 'chosen' as const,
      classSets: ['upos'],
    };
    const checked = checkAblateForm(v, ctx);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors).toEqual({
      id: "the project already has a run 'taken'",
      model: 'choose the model to ablate',
      corpus: 'choose the corpus whose split is used',
      maxDelay: 'must be at most 200',
      streams: 'must be at least 1',
      maxTokens: 'must be a whole number',
      groups: "'x' is not a number",
      workers: 'must be at least 0',
      classSets: 'the corpus has no class set upos',
    });
  });

  it('suggests an id from the model, mode and delay', () => {
    expect(suggestAblationId({ model: 'small', mode: 'random', maxDelay: ' 12 ' })).toBe('small-ablate-random-d12');
    expect(suggestAblationId({ model: '', mode: 'unk', maxDelay: '' })).toBe('run-ablate-unk-d30');
  });
});
