// Dropout masks from the engine's seeded PRNG (../seeded-random.ts): the same seed gives the
// same masks on every backend, so training runs are reproducible and comparable across backends.
import type { Rng } from '../seeded-random';

/** Inverted-dropout mask: 0 with probability `rate`, else 1/(1−rate). */
export function dropoutMask(rng: Rng, size: number, rate: number): Float32Array {
  const keep = 1 / (1 - rate);
  const m = new Float32Array(size);
  for (let i = 0; i < size; i++) m[i] = rng() < rate ? 0 : keep;
  return m;
}
