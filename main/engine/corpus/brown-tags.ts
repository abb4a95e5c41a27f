// Brown corpus tags: normalisation of the decorated tags in the files, and the
// mapping of every fine tag to the 12 universal tags of Petrov, Das & McDonald (2012).
// The table follows their en-brown.map (as distributed with NLTK); the few places
// where that map is odd are noted beside the entry.
import type { UniversalTag } from '../../../shared/schemas/corpus';

// Decorations: -tl (in a title), -hl (in a headline), -nc (cited word), and a few
// truncated forms of them that occur in the files (-t, -n, e.g. 'fw-in+at-t').
const DECORATION_SUFFIX = /-(tl|hl|nc|t|n)$/;

/**
 * The fine tag as Mnemoscope keeps it: lowercased, without -tl/-hl/-nc and fw-.
 * Possessive '$', negation '*' and compounds ('pps+bez') stay: they are part of the tag.
 */
export function normaliseBrownTag(raw: string): string {
  let tag = raw.toLowerCase();
  if (tag.startsWith('fw-')) tag = tag.slice(3);
  // Stripped repeatedly: 'nn-tl-hl', 'fw-nn-tl-nc'. '--' (dash) has no decoration to strip.
  for (;;) {
    const stripped = tag.replace(DECORATION_SUFFIX, '');
    if (stripped === tag || stripped === '') break;
    tag = stripped;
  }
  return tag;
}

/** Base tags (no '$', '*' or compound) to universal tags. */
const BASE = new Map<string, UniversalTag>(
  Object.entries({
    // punctuation
    '.': '.', ',': '.', ':': '.', '(': '.', ')': '.', '--': '.', '``': '.', "''": '.', "'": '.',
    // negator 'not', "n't"
    '*': 'ADV',
    // determiners, pre- and post-quantifiers: en-brown.map sends abl (quite, rather)
    // and abn (all, half) to PRT, abx (both) to DET, ap (many, other) to ADJ
    abl: 'PRT', abn: 'PRT', abx: 'DET', ap: 'ADJ', at: 'DET',
    dt: 'DET', dti: 'DET', dts: 'DET', dtx: 'DET', ex: 'DET', wdt: 'DET',
    // verbs: be, do, have, modals, lexical verbs
    be: 'VERB', bed: 'VERB', bedz: 'VERB', beg: 'VERB', bem: 'VERB', ben: 'VERB', ber: 'VERB', bez: 'VERB',
    do: 'VERB', dod: 'VERB', doz: 'VERB',
    hv: 'VERB', hvd: 'VERB', hvg: 'VERB', hvn: 'VERB', hvz: 'VERB',
    md: 'VERB', vb: 'VERB', vbd: 'VERB', vbg: 'VERB', vbn: 'VERB', vbz: 'VERB',
    // conjunctions: subordinating ones are adpositions in the universal tagset (as PTB IN)
    cc: 'CONJ', cs: 'ADP', in: 'ADP',
    cd: 'NUM', od: 'ADJ',
    jj: 'ADJ', jjr: 'ADJ', jjs: 'ADJ', jjt: 'ADJ',
    // nouns, proper nouns, adverbial nouns (home, Monday), nominal pronouns (anybody)
    nn: 'NOUN', nns: 'NOUN', np: 'NOUN', nps: 'NOUN', nr: 'NOUN', nrs: 'NOUN', pn: 'NOUN',
    // personal pronouns; pp$ (my, his) is a determiner, pp$$ (mine, hers) a pronoun
    'pp$': 'DET', 'pp$$': 'PRON', ppl: 'PRON', ppls: 'PRON', ppo: 'PRON', pps: 'PRON', ppss: 'PRON',
    wpo: 'PRON', wps: 'PRON', 'wp$': 'PRON',
    ql: 'ADV', qlp: 'ADV', rb: 'ADV', rbr: 'ADV', rbt: 'ADV', rn: 'ADV', wql: 'ADV', wrb: 'ADV',
    rp: 'PRT', to: 'PRT',
    uh: 'X', nil: 'X',
  } satisfies Record<string, UniversalTag>),
);

/** The part of a fine tag that decides its universal tag: a compound's first part. */
export function brownHeadTag(fine: string): string {
  const plus = fine.indexOf('+');
  return plus > 0 ? fine.slice(0, plus) : fine;
}

/**
 * Universal tag of a (normalised) fine Brown tag, or undefined if it is not a Brown tag.
 * Lookup order: the head as is (pp$, pp$$, wp$, *), then without negation '*' (md* → md),
 * then without possessive '$' (np$ → np, nns$ → nns).
 */
export function brownToUniversal(fine: string): UniversalTag | undefined {
  let head = brownHeadTag(normaliseBrownTag(fine));
  if (BASE.has(head)) return BASE.get(head);
  if (head.length > 1 && head.endsWith('*')) head = head.slice(0, -1);
  if (BASE.has(head)) return BASE.get(head);
  if (head.length > 1 && head.endsWith('$')) head = head.slice(0, -1);
  return BASE.get(head);
}

/** Fine Brown tags of the paper's noun classes (Verwimp et al. 2018, §3). */
export const BROWN_NOUN_TAGS = { singular: ['nn'], plural: ['nns'], proper: ['np', 'nps'] } as const;
