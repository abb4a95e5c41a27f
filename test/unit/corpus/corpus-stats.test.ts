// Statistics against counts done by hand on test/fixtures/corpus/stats:
//   train: "The cat sat ." / "the dog sat 3 times ."  valid: "A cat ran ."
//   test:  "The bird sat 1,000 times ."
import { describe, it, expect } from 'vitest';
import path from 'node:path';
import { importCorpus } from '../../../main/engine/corpus/import-corpus';
import { recomputeCorpusStats } from '../../../main/engine/corpus/corpus-stats';
import { readLexicon } from '../../../main/engine/corpus/lexicon';
import { FIXTURES, stagingDir } from './helpers';

const f = (s: string) => path.join(FIXTURES, 'stats', `${s}.txt`);

describe('corpus statistics', () => {
  it('match a hand count', async () => {
    const { out } = await stagingDir();
    const m = await importCorpus({ kind: 'files', train: f('train'), valid: f('valid'), test: f('test') }, { id: 's', statsVocabSize: 5 }, out);
    const { train, valid, test } = m.stats.splits;
    // train after lowercase and numbers: the cat sat . | the dog sat N times .
    expect([train.sentences, train.tokens, train.types]).toEqual([2, 10, 7]);
    expect([valid.sentences, valid.tokens, valid.types]).toEqual([1, 4, 4]);
    // test has blank lines around its one sentence
    expect([test.sentences, test.tokens, test.types]).toEqual([1, 6, 6]);
    // OOV against train types: valid a, ran (2/4); test bird (1/6)
    expect(train.oovRateTrain).toBe(0);
    expect(valid.oovRateTrain).toBe(0.5);
    expect(test.oovRateTrain).toBeCloseTo(1 / 6, 12);
    // K = 5 is <eos>, <unk> and the 3 most frequent train types: '.', sat, the (2 each;
    // ties alphabetical). OOV: train cat dog N times (4/10), valid a cat ran (3/4), test bird N times (3/6).
    expect(m.stats.vocabSize).toBe(5);
    expect(train.oovRateTopK).toBe(0.4);
    expect(valid.oovRateTopK).toBe(0.75);
    expect(test.oovRateTopK).toBe(0.5);
    expect(train.files).toEqual([f('train')]);
    expect(m.stats.fineTags).toEqual({});

    // Recomputed for a larger K: every train type fits, so only unseen types are OOV.
    const again = await recomputeCorpusStats(out, 100);
    expect(again.splits.valid.oovRateTopK).toBe(0.5);
    expect(again.splits.test.oovRateTopK).toBeCloseTo(1 / 6, 12);
    expect((await recomputeCorpusStats(out, 5)).splits).toEqual(m.stats.splits);

    const lex = await readLexicon(path.join(out, 'lexicon.tsv'));
    expect(lex.get('the')?.counts).toEqual([2, 0, 1]);
    expect(lex.get('N')?.counts).toEqual([1, 0, 1]);
    expect(lex.has('The')).toBe(false);
  });

  it('count tag distributions, fine and universal', async () => {
    const { out } = await stagingDir();
    const b = path.join(FIXTURES, 'brown-tagged.txt');
    const m = await importCorpus({ kind: 'files', train: b, valid: b, test: b }, { id: 'b' }, out);
    expect(m.tagset).toBe('brown');
    // Per copy: nns 5 (dogs ×3, cats, Dogs-hl), nn 3, np 2 (John, Boston-tl), nps 1, pps 2,
    // pps+bez 1, ppo 1, '.' 6, ',' 1, cd 1; the file is used for all three splits.
    expect(m.stats.fineTags).toMatchObject({ nns: 15, nn: 9, np: 6, nps: 3, pps: 6, 'pps+bez': 3, ppo: 3, '.': 18, cd: 3 });
    expect(m.stats.fineTags).not.toHaveProperty('nns-hl');
    // NOUN 5+3+2+1, PRON 2+1+1, '.' 6+1, NUM 1; times three.
    expect(m.stats.universalTags).toMatchObject({ NOUN: 33, PRON: 12, NUM: 3, '.': 21 });
    expect(m.stats.unmappedTags).toEqual({});
  });
});
