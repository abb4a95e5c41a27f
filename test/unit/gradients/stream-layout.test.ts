import { describe, expect, it } from 'vitest';
import { groupOf, layoutStreams, samplePositions, splitRange } from '../../../main/engine/gradients/stream-layout';
import { buildTokenIndex } from '../../../main/engine/gradients/class-index';

describe('stream layout', () => {
  it('cuts the first tokens into B contiguous streams of equal length, dropping the remainder', () => {
    const l = layoutStreams([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3);
    expect([l.streams, l.length]).toEqual([3, 3]);
    expect(Array.from(l.tokens)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const m = layoutStreams([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 2, 7);
    expect(Array.from(m.tokens)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(() => layoutStreams([1, 2], 3)).toThrow(/streams/);
  });

  it('samples distinct sorted positions reproducibly', () => {
    const a = samplePositions(1000, 50, 7);
    expect(a.length).toBe(50);
    expect(new Set(a).size).toBe(50);
    for (let i = 1; i < a.length; i++) expect(a[i]).toBeGreaterThan(a[i - 1]);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a)).toBeLessThan(1000);
    expect(Array.from(samplePositions(1000, 50, 7))).toEqual(Array.from(a));
    expect(Array.from(samplePositions(1000, 50, 8))).not.toEqual(Array.from(a));
    expect(Array.from(samplePositions(5, 9, 1))).toEqual([0, 1, 2, 3, 4]);
    // roughly uniform: the mean of a large sample is near the middle
    const big = samplePositions(100000, 20000, 3);
    const mean = big.reduce((s, v) => s + v, 0) / big.length;
    expect(Math.abs(mean - 50000)).toBeLessThan(1500);
  });

  it('splits streams into contiguous shares and steps into K time windows', () => {
    expect(splitRange(20, 2)).toEqual([[0, 10], [10, 20]]);
    expect(splitRange(3, 5)).toEqual([[0, 1], [1, 2], [2, 3]]);
    const g = Array.from({ length: 10 }, (_, s) => groupOf(s, 10, 4));
    expect(g).toEqual([0, 0, 0, 1, 1, 2, 2, 2, 3, 3]);
  });

  it('indexes classes (a token in several) and words, rejecting bad ids', () => {
    const idx = buildTokenIndex(5, [{ name: 'a', tokenIds: [1, 2, 2] }, { name: 'b', tokenIds: [2, 4] }], [4]);
    expect(Array.from(idx.members.subarray(idx.offsets[2], idx.offsets[3]))).toEqual([0, 1]);
    expect(idx.offsets[1] - idx.offsets[0]).toBe(0);
    expect(Array.from(idx.word)).toEqual([-1, -1, -1, -1, 0]);
    expect(() => buildTokenIndex(5, [{ name: 'a', tokenIds: [5] }], [])).toThrow(/vocabulary/);
    expect(() => buildTokenIndex(5, [], [1, 1])).toThrow(/twice/);
    expect(() => buildTokenIndex(100, [], Array.from({ length: 51 }, (_, i) => i))).toThrow(/50/);
  });
});
