// Deterministic pseudo-random numbers for the analysis (probe splits): same seed, same split,
// on every platform.
import { mulberry32 } from '../seeded-random';

/** Uniform in [0, 1); the seed is mixed first so that seed 0 and 1 do not start alike. */
export function seededRandom(seed: number): () => number {
  return mulberry32((Math.trunc(seed) ^ 0x9e3779b9) >>> 0);
}

/** Fisher–Yates shuffle driven by `rand`. */
export function shuffleInPlace<T>(items: T[], rand: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
