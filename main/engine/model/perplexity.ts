// Perplexity of a model on a token stream: exp of the mean cross-entropy over every
// predicted token, with the stream cut into B parallel streams and the state carried
// through each (the PTB convention, documented in batchify.ts). Dropout is off.
import * as tf from '@tensorflow/tfjs';
import type { Architecture, PerplexityResult } from '../../../shared/schemas/model';
import { JobCancelledError } from '../errors';
import { batchify, predictedTokens, windowAt, windowCount, type Batched } from './batchify';
import type { LmTensors, RnnState } from './lstm-forward';
import { windowLoss, zeroState } from './lstm-forward';
import type { RnnLmWeights } from './rnn-weights';
import { disposeTensors, tensorsFromWeights } from './extract-weights';
import { modelTensors } from './rnn-lm';
import { checkEvaluationFits, runningBackend } from './memory-budget';

export interface PerplexityOptions {
  batchSize: number;
  bptt: number;
  /** Names the stream in error messages. */
  what?: string;
  /** Called after each window; return true to stop (throws JobCancelledError). */
  onWindow?: (done: number, total: number) => boolean | void;
}

/** Perplexity with the given weight tensors. */
export function perplexityOf(p: LmTensors, tokens: Int32Array, opts: PerplexityOptions): PerplexityResult {
  const vocabSize = p.embedding.shape[0] as number;
  const b = batchify(tokens, opts.batchSize, vocabSize, opts.what ?? 'the token stream');
  const arch: Architecture = {
    vocabSize,
    embeddingDim: p.embedding.shape[1] as number,
    layers: p.layers.map((l) => ({ units: l.recurrentKernel.shape[0] as number, cell: l.cell, recurrentActivation: l.recurrentActivation })),
    outputActivation: 'softmax',
  };
  // A window's activations live until its loss is read: refuse windows that cannot fit.
  checkEvaluationFits(arch, b.batch, Math.min(opts.bptt, b.length - 1), runningBackend());
  return perplexityResult(b, streamLoss(p, b, opts.bptt, opts.onWindow).nllSum, opts.bptt);
}

/** The result for a batch of streams whose predictions' cross-entropy sums to nllSum. */
export function perplexityResult(b: Batched, nllSum: number, bptt: number): PerplexityResult {
  const predicted = predictedTokens(b);
  const crossEntropy = nllSum / predicted;
  return {
    perplexity: Math.exp(crossEntropy),
    crossEntropy,
    predicted,
    used: b.data.length,
    dropped: b.dropped,
    batchSize: b.batch,
    bptt,
  };
}

/**
 * Summed cross-entropy (nats) over every predicted token of a batch of streams, the state
 * carried from a zero state through each stream, dropout off. `onWindow` returning true
 * stops with JobCancelledError. Also what each worker of data-parallel training computes
 * over its own streams.
 */
export function streamLoss(
  p: LmTensors,
  b: Batched,
  bptt: number,
  onWindow?: (done: number, total: number) => boolean | void,
): { nllSum: number; predicted: number } {
  const total = windowCount(b, bptt);
  let state: RnnState = zeroState(p, b.batch);
  let nllSum = 0;
  for (let k = 0; k < total; k++) {
    const w = windowAt(b, bptt, k);
    const loss = tf.tidy(() => {
      const r = windowLoss(p, w, state, null, false);
      state = r.state;
      return r.loss.dataSync()[0] as number;
    });
    nllSum += loss * w.targets.length;
    if (onWindow?.(k + 1, total)) throw new JobCancelledError();
  }
  return { nllSum, predicted: predictedTokens(b) };
}

/** Perplexity of a Layers model (canonical architecture) on a token stream. */
export function evaluatePerplexity(model: tf.LayersModel, tokens: Int32Array, opts: PerplexityOptions): PerplexityResult {
  return perplexityOf(modelTensors(model), tokens, opts);
}

/** Perplexity of plain weights (e.g. from extractWeights) on a token stream. */
export function weightsPerplexity(w: RnnLmWeights, tokens: Int32Array, opts: PerplexityOptions): PerplexityResult {
  const t = tensorsFromWeights(w);
  try {
    return perplexityOf(t, tokens, opts);
  } finally {
    disposeTensors(t);
  }
}
