// A small deterministic PRNG (mulberry32) for dropout masks: the same seed gives the same
// masks on every backend, so training runs are reproducible and comparable across backends.

export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Inverted-dropout mask: 0 with probability `rate`, else 1/(1−rate). */
export function dropoutMask(rng: Rng, size: number, rate: number): Float32Array {
  const keep = 1 / (1 - rate);
  const m = new Float32Array(size);
  for (let i = 0; i < size; i++) m[i] = rng() < rate ? 0 : keep;
  return m;
}
