// One entry point over the three tag tables, and a guess of which tagset a sample of
// tags is written in.
import type { KnownTagset, Tagset, UniversalTag } from '../../../shared/schemas/corpus';
import { brownToUniversal, normaliseBrownTag } from './brown-tags';
import { ptbToUniversal } from './ptb-tags';
import { uposToUniversal } from './upos-tags';

const MAPPERS: Record<KnownTagset, (tag: string) => UniversalTag | undefined> = {
  brown: brownToUniversal,
  ptb: ptbToUniversal,
  upos: uposToUniversal,
};

export function isKnownTagset(tagset: Tagset): tagset is KnownTagset {
  return tagset === 'brown' || tagset === 'ptb' || tagset === 'upos';
}

/** Universal tag of a fine tag, or undefined if the tagset has no entry for it (or is not known). */
export function universalOf(tagset: Tagset, fine: string): UniversalTag | undefined {
  return isKnownTagset(tagset) ? MAPPERS[tagset](fine) : undefined;
}

/** The fine tag as it is stored: Brown tags are normalised, others kept as written. */
export function fineTagFor(tagset: Tagset, raw: string): string {
  return tagset === 'brown' ? normaliseBrownTag(raw) : raw;
}

/** A tagset is accepted when its table knows at least this share of the sample's tag tokens. */
export const TAGSET_MIN_COVERAGE = 0.9;

/**
 * Which tagset the tags (with token counts) are most likely in: the one whose table knows
 * the largest share of tokens, 'unknown' if none reaches TAGSET_MIN_COVERAGE. Ties (tags
 * such as NN, JJ, IN exist in Brown and PTB) go to PTB when the tags are upper case, else Brown.
 */
export function detectTagset(tagCounts: Map<string, number>): Tagset {
  let total = 0;
  let upper = 0;
  const known: Record<KnownTagset, number> = { brown: 0, ptb: 0, upos: 0 };
  for (const [tag, n] of tagCounts) {
    total += n;
    if (tag !== tag.toLowerCase()) upper += n;
    for (const ts of ['brown', 'ptb', 'upos'] as const) if (MAPPERS[ts](tag) !== undefined) known[ts] += n;
  }
  if (total === 0) return 'unknown';
  const preferUpper = upper * 2 >= total;
  const order: KnownTagset[] = preferUpper ? ['upos', 'ptb', 'brown'] : ['brown', 'ptb', 'upos'];
  let best: KnownTagset = order[0];
  for (const ts of order) if (known[ts] > known[best]) best = ts;
  return known[best] / total >= TAGSET_MIN_COVERAGE ? best : 'unknown';
}
