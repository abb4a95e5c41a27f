// Perplexity with the streams shared out over worker threads, as data-parallel training
// validates (data-parallel/shard-pool.ts): each worker evaluates its contiguous share of
// the B streams with the state carried; the summed cross-entropy is the single thread's
// up to the order of the additions.
import type * as tf from '@tensorflow/tfjs';
import type { PerplexityResult } from '../../../shared/schemas/model';
import { JobCancelledError } from '../errors';
import type { BackendPreference } from './backend';
import { batchify, windowCount } from './batchify';
import { checkEvaluationFits, runningBackend } from './memory-budget';
import { perplexityResult, type PerplexityOptions } from './perplexity';
import { architectureOf, modelTensors } from './rnn-lm';
import { ShardPool } from './data-parallel/shard-pool';
import { streamShares } from './data-parallel/stream-shares';

export async function parallelPerplexity(
  model: tf.LayersModel,
  tokens: Int32Array,
  opts: PerplexityOptions & { workers: number; backend: BackendPreference },
): Promise<PerplexityResult> {
  const arch = architectureOf(model);
  const b = batchify(tokens, opts.batchSize, arch.vocabSize, opts.what ?? 'the token stream');
  checkEvaluationFits(arch, b.batch, Math.min(opts.bptt, b.length - 1), runningBackend());
  const total = windowCount(b, opts.bptt) * streamShares(b.batch, opts.workers).length;
  let cancelled = false;
  const pool = new ShardPool({
    workers: opts.workers,
    backend: opts.backend,
    arch,
    // The workers' initial weights are replaced by the model's before they evaluate.
    init: { initScale: 0.05, seed: 1, dropout: 0 },
    variables: modelTensors(model).variables,
    train: null,
    valid: b,
    bptt: opts.bptt,
    dropout: { seed: 1, embedding: 0, output: 0 },
  });
  try {
    const r = await pool.evaluate(
      () => cancelled,
      (done) => {
        if (opts.onWindow?.(done, total)) cancelled = true;
      },
    );
    if (r === null) throw new JobCancelledError();
    return perplexityResult(b, r.nllSum, opts.bptt);
  } finally {
    await pool.close();
  }
}
