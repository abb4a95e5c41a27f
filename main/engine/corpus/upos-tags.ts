// Universal Dependencies UPOS (17 tags) to the 12 universal tags of Petrov et al.
// The 12 tags themselves are accepted too, so a corpus tagged with them maps to itself.
// A fine tag may carry a number feature ('NOUN|Number=Sing'): only the part before '|' counts here.
import type { UniversalTag } from '../../../shared/schemas/corpus';

const UPOS = new Map<string, UniversalTag>(
  Object.entries({
    ADJ: 'ADJ', ADP: 'ADP', ADV: 'ADV', AUX: 'VERB', CCONJ: 'CONJ', DET: 'DET', INTJ: 'X', NOUN: 'NOUN',
    NUM: 'NUM', PART: 'PRT', PRON: 'PRON', PROPN: 'NOUN', PUNCT: '.', SYM: 'X', VERB: 'VERB', X: 'X',
    // Subordinating conjunctions are adpositions in the 12-tag set (PTB IN, Brown cs).
    SCONJ: 'ADP',
    // Petrov et al.'s own tags.
    CONJ: 'CONJ', PRT: 'PRT', '.': '.',
  } satisfies Record<string, UniversalTag>),
);

/** The UPOS part of a fine tag written as UPOS or 'UPOS|Feature=Value'. */
export function uposOf(tag: string): string {
  const bar = tag.indexOf('|');
  return (bar >= 0 ? tag.slice(0, bar) : tag).toUpperCase();
}

export function uposToUniversal(tag: string): UniversalTag | undefined {
  return UPOS.get(uposOf(tag));
}

/** Fine tag for a UPOS-tagged token: number is kept for nouns, so singular and plural can be told apart. */
export function uposFineTag(upos: string, feats: string): string {
  if (upos !== 'NOUN' && upos !== 'PROPN') return upos;
  const m = /(?:^|\|)Number=(Sing|Plur)(?:\||$)/.exec(feats);
  return m ? `${upos}|Number=${m[1]}` : upos;
}

/** UPOS fine tags of the paper's noun classes; without a Number feature a noun is in neither number class. */
export const UPOS_NOUN_TAGS = {
  singular: ['NOUN|Number=Sing'],
  plural: ['NOUN|Number=Plur'],
  proper: ['PROPN', 'PROPN|Number=Sing', 'PROPN|Number=Plur'],
} as const;
