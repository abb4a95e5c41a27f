import { describe, it, expect } from 'vitest';
import { SPLIT_NAMES } from '../../../shared/schemas/corpus';
import { assignBrownSplits, brownSplitOf } from '../../../main/engine/corpus/brown-split';
import { brownGenres, listBrownFiles, selectBrownFiles } from '../../../main/engine/corpus/brown-files';

describe('Brown split by file', () => {
  it('follows the documented rule on small genres', () => {
    // humor has 9 files: the last is test, the one before valid.
    expect([...Array(9).keys()].map((i) => brownSplitOf(i, 9))).toEqual([
      'train', 'train', 'train', 'train', 'train', 'train', 'train', 'valid', 'test',
    ]);
    expect(brownSplitOf(0, 11)).toBe('test'); // r = 10
    expect(brownSplitOf(1, 12)).toBe('test');
    expect(brownSplitOf(0, 12)).toBe('valid');
  });

  it('is about 80/10/10, covers every genre in every split, and is deterministic', async () => {
    const files = await listBrownFiles();
    expect(files).toHaveLength(500);
    const genres = brownGenres(files);
    expect(genres).toHaveLength(15);
    const n = (s: string) => files.filter((f) => f.split === s).length;
    expect([n('train'), n('valid'), n('test')]).toEqual([392, 54, 54]);
    for (const g of genres) {
      for (const s of SPLIT_NAMES) expect(files.some((f) => f.genre === g && f.split === s), `${g} ${s}`).toBe(true);
    }
    // Same answer from shuffled input.
    const shuffled = [...files].reverse().map((f) => ({ id: f.id, genre: f.genre }));
    const again = assignBrownSplits(shuffled);
    for (const f of files) expect(again.get(f.id)).toBe(f.split);
    // Spot checks: the last news file is test, the one before it valid.
    expect(files.find((f) => f.id === 'ca44')?.split).toBe('test');
    expect(files.find((f) => f.id === 'ca43')?.split).toBe('valid');
    expect(files.find((f) => f.id === 'ca01')?.split).toBe('train');
  });

  it('selects balanced slices that keep each file in its split', async () => {
    const files = await listBrownFiles();
    const slice = selectBrownFiles(files, 30);
    expect(slice).toHaveLength(30);
    const bySplit = (s: string) => slice.filter((f) => f.split === s);
    expect(bySplit('valid').length).toBeGreaterThanOrEqual(1);
    expect(bySplit('test').length).toBeGreaterThanOrEqual(1);
    // Train takes one file of each of the 15 genres before any genre gets a second.
    const trainGenres = new Set(bySplit('train').map((f) => f.genre));
    expect(trainGenres.size).toBe(15);
    const full = new Map(files.map((f) => [f.id, f.split]));
    for (const f of slice) expect(f.split).toBe(full.get(f.id));
    expect(selectBrownFiles(files, 3).map((f) => f.split).sort()).toEqual(['test', 'train', 'valid']);
    expect(selectBrownFiles(files, 1000)).toHaveLength(500);
    expect(() => selectBrownFiles(files, 2)).toThrow(/at least 3/);
  });
});
