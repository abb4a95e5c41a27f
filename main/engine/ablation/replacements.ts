// The token that replaces the input at each source position (b, s), drawn once for the whole
// layout (so it does not depend on how streams are split over workers) and used for every τ:
//   unk      the model's <unk>;
//   random   a word drawn from the unigram distribution of the corpus's training split;
//   shuffle  the token at a uniformly drawn other position s' ≠ s of the same stream.
// random and shuffle draw from mulberry32(seed), position by position in the order b·L + s.
import { UserError } from '../errors';
import { mulberry32 } from '../seeded-random';
import type { AblationMode } from '../../../shared/schemas/ablation';

export interface ReplacementSource {
  mode: AblationMode;
  unkId: number;
  /** unigram counts per vocabulary id (random mode) */
  unigram?: ArrayLike<number>;
  seed: number;
}

/** Unigram counts of a token sequence over a vocabulary of V ids. */
export function unigramCounts(tokens: ArrayLike<number>, V: number): Float64Array {
  const counts = new Float64Array(V);
  for (let i = 0; i < tokens.length; i++) counts[tokens[i]] += 1;
  return counts;
}

/** Draws ids with probability ∝ counts (inverse CDF by binary search). */
export function unigramSampler(counts: ArrayLike<number>, rand: () => number): () => number {
  const cdf = new Float64Array(counts.length);
  let total = 0;
  for (let v = 0; v < counts.length; v++) {
    total += counts[v];
    cdf[v] = total;
  }
  if (!(total > 0)) throw new UserError('the training split has no tokens to draw random replacements from: use --mode unk or shuffle');
  return () => {
    const x = rand() * total;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

/** [B, L] replacements for the tokens [B, L]. */
export function drawReplacements(tokens: Int32Array, streams: number, length: number, src: ReplacementSource): Int32Array {
  const out = new Int32Array(tokens.length);
  if (src.mode === 'unk') return out.fill(src.unkId);
  const rand = mulberry32(src.seed);
  if (src.mode === 'random') {
    if (!src.unigram) throw new Error('random replacements need the unigram counts');
    const draw = unigramSampler(src.unigram, rand);
    for (let p = 0; p < out.length; p++) out[p] = draw();
    return out;
  }
  if (length < 2) throw new UserError(`shuffle needs streams of at least 2 tokens (they have ${length}): use fewer streams`);
  for (let b = 0; b < streams; b++) {
    for (let s = 0; s < length; s++) {
      let other = Math.floor(rand() * (length - 1));
      if (other >= s) other += 1;
      out[b * length + s] = tokens[b * length + other];
    }
  }
  return out;
}
