import { describe, it, expect } from 'vitest';
import { brownToUniversal, normaliseBrownTag, brownHeadTag } from '../../../main/engine/corpus/brown-tags';
import { ptbToUniversal } from '../../../main/engine/corpus/ptb-tags';
import { uposToUniversal, uposFineTag } from '../../../main/engine/corpus/upos-tags';
import { detectTagset, universalOf } from '../../../main/engine/corpus/tagsets';

describe('Brown tag normalisation', () => {
  it.each([
    ['NN', 'nn'],
    ['nn-tl', 'nn'],
    ['nns-hl', 'nns'],
    ['np$', 'np$'],
    ['np$-tl', 'np$'],
    ['nn-tl-hl', 'nn'],
    ['fw-nn', 'nn'],
    ['fw-nn-tl-nc', 'nn'],
    ['pps+bez', 'pps+bez'],
    ['ppss+ber-n', 'ppss+ber'],
    ['fw-in+at-t', 'in+at'],
    ['---hl', '--'],
    ['--', '--'],
    ['md*', 'md*'],
    ['.-hl', '.'],
    ['in', 'in'],
  ])('%s → %s', (raw, fine) => {
    expect(normaliseBrownTag(raw)).toBe(fine);
  });

  it('takes the first part of a compound as head', () => {
    expect(brownHeadTag('pps+bez')).toBe('pps');
    expect(brownHeadTag('wdt+ber+pp')).toBe('wdt');
    expect(brownHeadTag('nn')).toBe('nn');
  });
});

describe('Brown → universal', () => {
  it.each([
    ['nn', 'NOUN'], ['nns', 'NOUN'], ['np$', 'NOUN'], ['nps', 'NOUN'], ['nr', 'NOUN'],
    ['vbd', 'VERB'], ['md*', 'VERB'], ['bedz*', 'VERB'], ['hvz', 'VERB'],
    ['pps', 'PRON'], ['ppss', 'PRON'], ['ppo', 'PRON'], ['pp$$', 'PRON'], ['wps', 'PRON'],
    ['pp$', 'DET'], ['at', 'DET'], ['abx', 'DET'], ['wdt', 'DET'],
    ['in', 'ADP'], ['cs', 'ADP'], ['cc', 'CONJ'], ['cd', 'NUM'], ['od', 'ADJ'],
    ['jjt', 'ADJ'], ['ap', 'ADJ'], ['rb', 'ADV'], ['ql', 'ADV'], ['*', 'ADV'],
    ['rp', 'PRT'], ['to', 'PRT'], ['abn', 'PRT'],
    ['uh', 'X'], ['nil', 'X'],
    ['.', '.'], [',', '.'], ['``', '.'], ["''", '.'], ['(', '.'], ['--', '.'], [':', '.'],
    ['pps+bez', 'PRON'], ['ppss+md', 'PRON'], ['nn+bez', 'NOUN'], ['vb+ppo', 'VERB'],
    ['fw-nn', 'NOUN'], ['NP-TL', 'NOUN'],
  ])('%s → %s', (fine, u) => {
    expect(brownToUniversal(fine)).toBe(u);
  });

  it('knows no made-up tag, nor names of Object.prototype', () => {
    expect(brownToUniversal('xyz')).toBeUndefined();
    expect(brownToUniversal('constructor')).toBeUndefined();
    expect(brownToUniversal('toString')).toBeUndefined();
  });
});

describe('PTB and UPOS → universal', () => {
  it.each([
    ['NN', 'NOUN'], ['NNPS', 'NOUN'], ['PRP', 'PRON'], ['PRP$', 'PRON'], ['WP$', 'PRON'], ['DT', 'DET'],
    ['PDT', 'DET'], ['EX', 'DET'], ['WDT', 'DET'], ['IN', 'ADP'], ['CC', 'CONJ'], ['CD', 'NUM'], ['MD', 'VERB'],
    ['VBP', 'VERB'], ['RBS', 'ADV'], ['WRB', 'ADV'], ['RP', 'PRT'], ['TO', 'PRT'], ['POS', 'PRT'],
    ['FW', 'X'], ['UH', 'X'], ['SYM', 'X'], ['-LRB-', '.'], ['``', '.'], ['$', '.'], ['nn', 'NOUN'],
  ])('PTB %s → %s', (tag, u) => {
    expect(ptbToUniversal(tag)).toBe(u);
  });

  it.each([
    ['NOUN', 'NOUN'], ['PROPN', 'NOUN'], ['AUX', 'VERB'], ['VERB', 'VERB'], ['CCONJ', 'CONJ'], ['SCONJ', 'ADP'],
    ['PART', 'PRT'], ['INTJ', 'X'], ['SYM', 'X'], ['PUNCT', '.'], ['PRON', 'PRON'], ['DET', 'DET'],
    ['NUM', 'NUM'], ['ADJ', 'ADJ'], ['ADV', 'ADV'], ['ADP', 'ADP'], ['X', 'X'],
    ['CONJ', 'CONJ'], ['PRT', 'PRT'], ['.', '.'], ['NOUN|Number=Plur', 'NOUN'],
  ])('UPOS %s → %s', (tag, u) => {
    expect(uposToUniversal(tag)).toBe(u);
  });

  it('keeps number on UPOS nouns only', () => {
    expect(uposFineTag('NOUN', 'Number=Sing')).toBe('NOUN|Number=Sing');
    expect(uposFineTag('PROPN', 'Gender=Masc|Number=Plur')).toBe('PROPN|Number=Plur');
    expect(uposFineTag('NOUN', '_')).toBe('NOUN');
    expect(uposFineTag('PRON', 'Number=Sing')).toBe('PRON');
  });

  it('maps through the chosen tagset only', () => {
    expect(universalOf('brown', 'np$')).toBe('NOUN');
    expect(universalOf('ptb', 'np$')).toBeUndefined();
    expect(universalOf('none', 'NN')).toBeUndefined();
    expect(universalOf('unknown', 'NN')).toBeUndefined();
  });
});

describe('tagset detection', () => {
  const counts = (tags: string) => {
    const m = new Map<string, number>();
    for (const t of tags.split(' ')) m.set(t, (m.get(t) ?? 0) + 1);
    return m;
  };
  it('recognises each tagset', () => {
    expect(detectTagset(counts('at nn vbd in at np$ jj nn pps bez .'))).toBe('brown');
    expect(detectTagset(counts('DT NN VBD IN DT NNP POS JJ NN PRP VBZ .'))).toBe('ptb');
    expect(detectTagset(counts('DET NOUN VERB ADP DET PROPN PART ADJ NOUN PRON AUX PUNCT'))).toBe('upos');
    expect(detectTagset(counts('NN1 AT0 VVD PRP NP0'))).toBe('unknown');
  });
  it('breaks Brown/PTB ties by case', () => {
    expect(detectTagset(counts('NN JJ IN'))).toBe('ptb');
    expect(detectTagset(counts('nn jj in'))).toBe('brown');
  });
});
