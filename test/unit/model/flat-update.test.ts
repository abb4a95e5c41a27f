// The data-parallel update over flat shared arrays (data-parallel/flat-update.ts, SIMD
// kernels) against the tfjs optimizers of optimizer.ts on the cpu backend: the same
// gradients, split into worker slots and updated slice by slice as the workers do, give
// the same weights over several steps, for SGD and Adam, with and without clipping.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../main/engine/model/backend';
import { adam, sgd, type Optimizer } from '../../../main/engine/model/optimizer';
import { applyGradients } from '../../../main/engine/model/train-step';
import { FlatUpdater, flatRegions, flatViews, parameterSlice } from '../../../main/engine/model/data-parallel/flat-update';
import { mulberry32 } from '../../../main/engine/seeded-random';

// Odd sizes: every slice has a tail the SIMD loops do not cover.
const SHAPES = [[7, 5], [13], [3, 11], [2]];
const P = SHAPES.reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0);

beforeAll(async () => {
  await selectBackend('cpu');
});

function gaussian(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(rng() + 1e-12)) * Math.cos(2 * Math.PI * rng());
}

/** The largest |a - b| relative to max(|b|, floor), element by element. */
function worstRelative(a: Float32Array, b: Float32Array, floor: number): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), floor));
  return worst;
}

describe('parameter slices', () => {
  it('cover the parameters once, in order, sizes differing by at most one', () => {
    for (const [size, workers] of [[81, 3], [10, 4], [3, 5], [3_600_000, 2]]) {
      const slices = Array.from({ length: workers }, (_, w) => parameterSlice(size, workers, w));
      expect(slices[0].lo).toBe(0);
      expect(slices[workers - 1].hi).toBe(size);
      slices.slice(1).forEach((s, w) => expect(s.lo).toBe(slices[w].hi));
      const sizes = slices.map((s) => s.hi - s.lo);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });
});

describe('the shared memory', () => {
  it('is refused, naming the sizes, beyond what 32-bit wasm addresses reach', () => {
    // 2 slots + weights of 400 M parameters: 4.5 GiB.
    expect(() => flatRegions(2, 400_000_000, null)).toThrow(/4\.5 GiB .* 2 workers × 400000000 parameters \(at most 4 GiB\)/);
    const r = flatRegions(2, 1000, { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
    expect(r.memory.buffer.byteLength).toBeGreaterThanOrEqual(r.moments + 2 * 1000 * 4);
  });
});

describe.each([
  { name: 'SGD', make: sgd, lr: 0.7 },
  { name: 'Adam', make: () => adam(), lr: 0.01 },
])('$name over flat arrays', ({ make, lr }) => {
  it.each([
    { clip: 0, exact: true },
    { clip: 2, exact: false },
  ])('follows the tfjs optimizer over several steps (clip norm $clip)', ({ clip, exact }) => {
    const workers = 3;
    const rng = mulberry32(11);
    const optimizer: Optimizer = make();
    const variables = SHAPES.map((shape, i) =>
      tf.variable(tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => gaussian(rng)), shape), true, `v${i}`),
    );
    const regions = flatRegions(workers, P, optimizer.spec);
    const flat = flatViews(regions);
    const updater = new FlatUpdater(regions);
    let offset = 0;
    for (const v of variables) {
      flat.weights.set(v.dataSync() as Float32Array, offset);
      offset += v.size;
    }
    let clipped = 0;
    try {
      for (let t = 1; t <= 5; t++) {
        // Each worker's gradients, into its slot; the tfjs side sums them in the same order.
        const slots = Array.from({ length: workers }, () => Float32Array.from({ length: P }, () => 0.6 * gaussian(rng)));
        slots.forEach((s, w) => flat.slots.set(s, w * P));
        const expectedSum = slots[0].slice();
        for (let w = 1; w < workers; w++) for (let i = 0; i < P; i++) expectedSum[i] = Math.fround(expectedSum[i] + slots[w][i]);
        const grads: tf.NamedTensorMap = {};
        offset = 0;
        for (const v of variables) {
          grads[v.name] = tf.tensor(expectedSum.slice(offset, offset + v.size), v.shape);
          offset += v.size;
        }
        const tfNorm = applyGradients(variables, optimizer, grads, lr, clip);
        tf.dispose(grads);

        const slices = Array.from({ length: workers }, (_, w) => parameterSlice(P, workers, w));
        const squares = slices.map((s) => updater.sumSlots(s));
        const norm = Math.sqrt(squares.reduce((a, b) => a + b, 0));
        for (const s of slices) updater.update(optimizer.spec, s, { learningRate: lr, norm, clipNorm: clip, t });

        // The slots' sum is the float32 sum in worker order, bit for bit.
        expect(Buffer.from(flat.slots.slice(0, P).buffer).equals(Buffer.from(expectedSum.buffer))).toBe(true);
        expect(Math.abs(norm - tfNorm)).toBeLessThan(1e-6 * tfNorm);
        if (clip > 0 && tfNorm > clip) clipped++;
        const expected = new Float32Array(P);
        offset = 0;
        for (const v of variables) {
          expected.set(v.dataSync() as Float32Array, offset);
          offset += v.size;
        }
        // Without clipping every operation is the same float32 operation: equal bit for bit.
        if (exact) expect(Buffer.from(flat.weights.slice().buffer).equals(Buffer.from(expected.buffer))).toBe(true);
        // With clipping the norm's additions differ (float64 here, float32 in tfjs): a few
        // float32 ulps, relative to the weights' scale (they are ~N(0, 1)).
        else expect(worstRelative(flat.weights, expected, 0.1)).toBeLessThan(1e-6);
      }
      // The clipped case did clip (the gradients' norm is ~0.6·√(3P) ≈ 15 against 2).
      if (clip > 0) expect(clipped).toBe(5);
    } finally {
      optimizer.dispose();
      tf.dispose(variables);
    }
  });
});
