import { describe, expect, it } from 'vitest';
import { alignedExtent, alignedPanels, alignedToCsv } from './aligned-words';
import { makeRecord, sigma1At } from './test-record';

describe('(f) aligned words', () => {
  const r = makeRecord();

  it('per direction, the strongest words first on each side, with σ_k', () => {
    const panels = alignedPanels(r, 2, 2, 8);
    expect(panels.map((p) => p.k)).toEqual([1, 2]);
    expect(panels[0].positive.map((w) => w.word)).toEqual(['p1b', 'p1a']);
    expect(panels[0].negative.map((w) => w.word)).toEqual(['n1b', 'n1a']);
    expect(panels[1].sigma).toBeCloseTo(0.8 * sigma1At(2), 15);
    expect(alignedPanels(r, 2, 5, 1)[2].positive).toEqual([{ word: 'p3b', cos: 0.7 }]);
    expect(alignedPanels(r, 42)).toEqual([]);
  });

  it('a symmetric extent and a CSV row per word', () => {
    const panels = alignedPanels(r, 0, 1);
    expect(alignedExtent(panels)).toBe(0.7);
    expect(alignedToCsv(panels, 0).split('\n').slice(0, 2)).toEqual(['delay,k,sigma_k,side,rank,word,cos', '0,1,0.1,positive,1,p1b,0.7']);
  });
});
