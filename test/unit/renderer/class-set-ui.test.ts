// The frequency class set in the UI: the corpus view's band rows (rank edges and type counts)
// and the sweep form's class-set choice, which ticks every set of the corpus by default.
import { describe, expect, it } from 'vitest';
import { classRows } from '../../../renderer/src/lib/state/class-set-rows';
import { analyzeFormValues, checkAnalyzeForm, classSetChoice } from '../../../renderer/src/lib/state/analyze-form';
import { jobDefaults } from '../../../main/engine/handlers/job-handlers';
import { frequencyClassSet } from '../../../main/engine/corpus/frequency-class-set';
import { summariseClassSet } from '../../../main/engine/corpus/class-set-store';
import { addToken, type Lexicon } from '../../../main/engine/corpus/lexicon';
import { ClassSetSummarySchema, type ClassSetSummary } from '../../../shared/api/corpora';

function lexicon(types: number): Lexicon {
  const lex: Lexicon = new Map();
  for (let i = 1; i <= types; i++) addToken(lex, 'train', `w${i}`, null, null);
  return lex;
}

describe('the frequency set in the corpus view', () => {
  it('shows each band with its rank edges and word-type count, then freq-unk', () => {
    const summary = ClassSetSummarySchema.parse(summariseClassSet(frequencyClassSet(lexicon(12_345))));
    expect(classRows(summary)).toEqual([
      { name: 'freq-1-100', types: 100, ranks: 'ranks 1–100' },
      { name: 'freq-101-1000', types: 900, ranks: 'ranks 101–1,000' },
      { name: 'freq-1001-5000', types: 4000, ranks: 'ranks 1,001–5,000' },
      { name: 'freq-5001-10000', types: 5000, ranks: 'ranks 5,001–10,000' },
      { name: 'freq-10001+', types: 2345, ranks: 'ranks 10,001+' },
      { name: 'freq-unk', types: 1, ranks: null },
    ]);
  });

  it('leaves out empty bands and shows a set without bands as classes only', () => {
    const small = summariseClassSet(frequencyClassSet(lexicon(150)));
    expect(classRows(small).map((r) => [r.name, r.types])).toEqual([
      ['freq-1-100', 100],
      ['freq-101-1000', 50],
      ['freq-unk', 1],
    ]);
    expect(classRows({ sizes: { NOUN: 3, VERB: 2 } })).toEqual([
      { name: 'NOUN', types: 3, ranks: null },
      { name: 'VERB', types: 2, ranks: null },
    ]);
  });
});

describe('the sweep form’s class sets', () => {
  const sets: ClassSetSummary[] = [
    { id: 'frequency', name: 'Frequency', source: 'builtin:frequency', sizes: { 'freq-1-100': 100, 'freq-unk': 1 } },
    { id: 'paper', name: 'Paper', source: 'builtin:paper', sizes: { pronoun: 3 } },
    { id: 'upos', name: 'UPOS', source: 'builtin:upos', sizes: { NOUN: 20 } },
  ];

  it('ticks every set of the corpus, frequency included, until the user chooses', () => {
    expect(classSetChoice(sets, [])).toEqual(['frequency', 'paper', 'upos']);
    expect(classSetChoice(sets, ['upos'])).toEqual(['upos']);
    // Sets of another corpus are dropped; when none is left, all of this corpus's are ticked.
    expect(classSetChoice(sets, ['mine', 'paper'])).toEqual(['paper']);
    expect(classSetChoice(sets, ['mine'])).toEqual(['frequency', 'paper', 'upos']);
    expect(classSetChoice([], ['mine'])).toEqual([]);
  });

  it('sends the ticked sets, frequency among them, when switched to a choice', () => {
    const v = analyzeFormValues(jobDefaults().analyze, { id: 'run', model: 'm', corpus: 'c' });
    v.classSets = classSetChoice(sets, v.classSets);
    v.classSetsMode = 'chosen';
    const checked = checkAnalyzeForm(v, { project: '/p', takenRunIds: new Set(), modelLayers: 1, classSets: sets });
    expect(checked.ok && checked.params.classSets).toEqual(['frequency', 'paper', 'upos']);
  });
});
