import { describe, expect, it } from 'vitest';
import { batchify, predictedTokens, windowAt, windowCount } from '../../../main/engine/model/batchify';

describe('batchify (PTB convention)', () => {
  it('cuts B contiguous streams, drops the remainder, and windows predict the next token, time-major', () => {
    const tokens = Int32Array.from({ length: 11 }, (_, i) => i);
    const b = batchify(tokens, 2, 100, 'x');
    expect(b.length).toBe(5);
    expect(b.dropped).toBe(1);
    expect(Array.from(b.data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(predictedTokens(b)).toBe(8);
    expect(windowCount(b, 3)).toBe(2);
    const w0 = windowAt(b, 3, 0);
    expect(w0.steps).toBe(3);
    expect(Array.from(w0.inputs)).toEqual([0, 5, 1, 6, 2, 7]);
    expect(Array.from(w0.targets)).toEqual([1, 6, 2, 7, 3, 8]);
    const w1 = windowAt(b, 3, 1);
    expect(w1.steps).toBe(1);
    expect(Array.from(w1.inputs)).toEqual([3, 8]);
    expect(Array.from(w1.targets)).toEqual([4, 9]);
  });
});
