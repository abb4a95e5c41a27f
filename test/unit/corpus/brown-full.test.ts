// Reads all 500 Brown files once: every tag that occurs must normalise and map.
import { describe, it, expect } from 'vitest';
import { loadBrown } from '../../../main/engine/corpus/brown-reader';
import { brownToUniversal } from '../../../main/engine/corpus/brown-tags';

describe('the full Brown corpus', () => {
  it('has 1,161,192 tokens, every one with a universal tag', async () => {
    const t0 = performance.now();
    const files = await loadBrown();
    const readMs = performance.now() - t0;
    const tagCounts = new Map<string, number>();
    let tokens = 0;
    let sentences = 0;
    let misaligned = 0;
    for (const f of files) {
      for (const s of f.sentences) {
        sentences += 1;
        tokens += s.words.length;
        if (s.tags.length !== s.words.length) misaligned += 1;
        for (const t of s.tags) tagCounts.set(t, (tagCounts.get(t) ?? 0) + 1);
      }
    }
    const unmapped = [...tagCounts.keys()].filter((t) => brownToUniversal(t) === undefined);
    console.log(
      `Brown: ${files.length} files, ${sentences} sentences, ${tokens} tokens, ${tagCounts.size} fine tags; ` +
        `read in ${readMs.toFixed(0)} ms, checked in ${(performance.now() - t0 - readMs).toFixed(0)} ms`,
    );
    expect(files).toHaveLength(500);
    expect(tokens).toBe(1_161_192);
    expect(unmapped).toEqual([]);
    expect(misaligned).toBe(0);
    // Decorations are gone, the fine distinctions stay.
    for (const t of tagCounts.keys()) expect(t).not.toMatch(/-(tl|hl|nc)$|^fw-/);
    expect(tagCounts.has('np$')).toBe(true);
    expect(tagCounts.has('pps+bez')).toBe(true);
    expect(tagCounts.get('nn')).toBeGreaterThan(150_000);
  });
});
