// The worker path: streams divided between 2 worker threads (wasm backend each), partial
// sums merged; equals the in-process reference run; progress is reported; cancel stops it.
import { describe, expect, it } from 'vitest';
import { JobCancelledError } from '../../../main/engine/errors';
import { accumulateStateGradients, groupBlocks, meanGradients, type GradientProgress } from '../../../main/engine/gradients/parallel-driver';
import { randomModel, randomTokens, relError } from './reference-lstm';
import { CancelToken } from '../../../main/engine/cancel-token';

describe('accumulateStateGradients in worker threads', () => {
  it('2 workers give the same Ḡ, class and word sums as one in-process run', async () => {
    const w = randomModel(61, 11, 5, [4, 6], 'sigmoid', 0.5);
    const tokens = randomTokens(62, 123, 11);
    const opts = { layer: 2, maxDelay: 6, streams: 5, groups: 4, classes: { a: [1, 2, 3], b: [3, 4] }, words: [5, 9] };
    const ref = await accumulateStateGradients(w, tokens, { ...opts, backend: 'cpu', engine: 'js' }, { workers: 0 });
    const progress: GradientProgress[] = [];
    const par = await accumulateStateGradients(w, tokens, { ...opts, backend: 'wasm' }, {
      workers: 2,
      onProgress: (p) => progress.push(p),
    });
    expect(par.workers).toBe(2);
    expect(par.backend).toMatch(/wasm/);
    expect(par.kernels).toBe('wasm SIMD');
    expect([par.streams, par.length]).toEqual([5, 24]);
    expect(Array.from(par.tokens)).toEqual(Array.from(tokens.subarray(0, 120)));
    expect(Array.from(par.count)).toEqual(Array.from(ref.count));
    expect(relError(meanGradients(par, 6, 5), meanGradients(ref, 6, 5))).toBeLessThan(1e-5);
    par.classes.forEach((c, i) => {
      expect(Array.from(c.count)).toEqual(Array.from(ref.classes[i].count));
      expect(relError(c.sum, ref.classes[i].sum)).toBeLessThan(1e-5);
    });
    par.words.forEach((x, i) => expect(relError(x.sum, ref.words[i].sum)).toBeLessThan(1e-5));
    const groups = groupBlocks(par);
    expect(groups.length).toBe(4);
    expect(relError(groups[2].sum, groupBlocks(ref)[2].sum)).toBeLessThan(1e-5);
    const last = progress.at(-1)!;
    expect([last.phase, last.fraction, last.secondsLeft]).toEqual(['accumulate', 1, 0]);
    expect(last.label).toMatch(/^accumulating: 120\/120 positions, [\d.]+\/s$/);
    expect(par.flops).toBe(ref.flops);
    expect(par.gflops).toBeGreaterThan(0);
  });

  it('cancel stops the workers with JobCancelledError', async () => {
    const w = randomModel(63, 50, 32, [32], 'sigmoid', 0.2);
    const tokens = randomTokens(64, 40000, 50);
    const cancel = CancelToken.create();
    const started = performance.now();
    const run = accumulateStateGradients(w, tokens, { streams: 4, backend: 'wasm' }, {
      workers: 2,
      cancel,
      onProgress: () => cancel.cancel(),
    });
    await expect(run).rejects.toBeInstanceOf(JobCancelledError);
    expect(performance.now() - started).toBeLessThan(60_000);
  });
});
