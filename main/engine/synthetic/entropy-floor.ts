// The best cross-entropy any predictor can reach on the generated stream, in closed form.
// Episodes are i.i.d. and self-delimiting (a marker starts each one), so the entropy rate
// is H(episode) / E[episode length]:
//   H = ln 2M (marker) + (K−1) ln F (fillers) + ln T (target within the marker's class)
//     + ln(G+1) (gap length) + E[gap] ln F (gap fillers),   E[length] = K + 1 + G/2.
// A model that forgets the marker pays ln 2 more per target (it must guess the class).
import type { SyntheticSpec } from './spec';

export interface EntropyFloor {
  /** nats per token */
  crossEntropy: number;
  perplexity: number;
  /** the floor of a model that predicts everything right except the target's class */
  withoutMemory: { crossEntropy: number; perplexity: number };
  meanEpisodeLength: number;
}

export function entropyFloor(spec: SyntheticSpec): EntropyFloor {
  const { span: K, markersPerClass: M, targetsPerClass: T, fillers: F, maxGap: G } = spec;
  const meanGap = G / 2;
  const length = K + 1 + meanGap;
  const h = Math.log(2 * M) + (K - 1) * Math.log(F) + Math.log(T) + Math.log(G + 1) + meanGap * Math.log(F);
  // In the control corpus the target's class is a coin flip: memory cannot help.
  const ce = (spec.independentTargets ? h + Math.log(2) : h) / length;
  const ceNoMemory = (h + Math.log(2)) / length;
  return {
    crossEntropy: ce,
    perplexity: Math.exp(ce),
    withoutMemory: { crossEntropy: ceNoMemory, perplexity: Math.exp(ceNoMemory) },
    meanEpisodeLength: length,
  };
}

/**
 * The ideal predictor's cross-entropy on these episodes (nats per token): the same sum as
 * above with each episode's own gap, so it carries the sample's luck that a model sees too.
 */
export function empiricalFloor(spec: SyntheticSpec, episodes: readonly { words: readonly string[] }[]): number {
  const { span: K, markersPerClass: M, targetsPerClass: T, fillers: F, maxGap: G } = spec;
  let nats = 0;
  let tokens = 0;
  for (const e of episodes) {
    const gap = e.words.length - K - 1;
    nats += Math.log(2 * M) + (K - 1 + gap) * Math.log(F) + Math.log(T) + Math.log(G + 1) + (spec.independentTargets ? Math.log(2) : 0);
    tokens += e.words.length;
  }
  return tokens > 0 ? nats / tokens : NaN;
}
