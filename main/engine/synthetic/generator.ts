// Seeded generation of synthetic episodes (see spec.ts for the layout). Every choice is
// uniform and independent, except that the target's class is the marker's class: the
// marker is the only information about the target, and it is K tokens back (unless the
// spec asks for the control corpus, where the target's class is a fresh coin flip).
import type { SplitName } from '../../../shared/schemas/corpus';
import { mulberry32, type Rng } from '../seeded-random';
import { type SyntheticSpec, type SyntheticWords, checkSpec, syntheticWords } from './spec';

export type MarkerClass = 'a' | 'b';

export interface Episode {
  cls: MarkerClass;
  /** words[0] is the marker, words[span] the target, the rest fillers. */
  words: string[];
}

const pick = (rng: Rng, list: readonly string[]): string => list[Math.floor(rng() * list.length)];

export function generateEpisode(spec: SyntheticSpec, words: SyntheticWords, rng: Rng): Episode {
  const cls: MarkerClass = rng() < 0.5 ? 'a' : 'b';
  const out = [pick(rng, cls === 'a' ? words.markerA : words.markerB)];
  for (let i = 1; i < spec.span; i++) out.push(pick(rng, words.fillers));
  const targetCls = spec.independentTargets ? (rng() < 0.5 ? 'a' : 'b') : cls;
  out.push(pick(rng, targetCls === 'a' ? words.targetA : words.targetB));
  const gap = Math.floor(rng() * (spec.maxGap + 1));
  for (let i = 0; i < gap; i++) out.push(pick(rng, words.fillers));
  return { cls, words: out };
}

// Each split has its own stream, so changing one split's size leaves the others as they were.
const SPLIT_SALT: Record<SplitName, number> = { train: 0x1b873593, valid: 0x68e31da4, test: 0x3c6ef372 };

/** `count` episodes of one split; the same (spec, seed, split, count) always gives the same episodes. */
export function generateSplit(spec: SyntheticSpec, split: SplitName, count: number, seed: number): Episode[] {
  checkSpec(spec);
  const words = syntheticWords(spec);
  const rng = mulberry32((Math.imul(seed, 0x9e3779b1) ^ SPLIT_SALT[split]) >>> 0);
  return Array.from({ length: count }, () => generateEpisode(spec, words, rng));
}

/** One episode per line: the corpus is imported without <eos>, so the lines form one stream. */
export function episodesText(episodes: readonly Episode[]): string {
  return episodes.map((e) => e.words.join(' ')).join('\n') + '\n';
}
