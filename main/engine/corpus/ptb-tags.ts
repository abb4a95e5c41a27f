// Penn Treebank tags to the 12 universal tags, after Petrov, Das & McDonald's en-ptb.map.
import type { UniversalTag } from '../../../shared/schemas/corpus';

const PTB = new Map<string, UniversalTag>(
  Object.entries({
    '!': '.', '#': '.', $: '.', "''": '.', '``': '.', '(': '.', ')': '.', ',': '.', '.': '.', ':': '.', '?': '.',
    '-LRB-': '.', '-RRB-': '.', '-LCB-': '.', '-RCB-': '.', '-LSB-': '.', '-RSB-': '.', HYPH: '.', NFP: '.',
    CC: 'CONJ', CD: 'NUM', DT: 'DET', EX: 'DET', FW: 'X', IN: 'ADP',
    JJ: 'ADJ', JJR: 'ADJ', JJS: 'ADJ', LS: 'X', MD: 'VERB',
    NN: 'NOUN', NNS: 'NOUN', NNP: 'NOUN', NNPS: 'NOUN', PDT: 'DET', POS: 'PRT', PRP: 'PRON', PRP$: 'PRON',
    RB: 'ADV', RBR: 'ADV', RBS: 'ADV', RP: 'PRT', SYM: 'X', TO: 'PRT', UH: 'X',
    VB: 'VERB', VBD: 'VERB', VBG: 'VERB', VBN: 'VERB', VBP: 'VERB', VBZ: 'VERB',
    WDT: 'DET', WP: 'PRON', WP$: 'PRON', WRB: 'ADV',
    // OntoNotes / EWT additions
    ADD: 'X', AFX: 'X', GW: 'X', XX: 'X',
  } satisfies Record<string, UniversalTag>),
);

/** Universal tag of a PTB tag (case-insensitive), or undefined if it is not one. */
export function ptbToUniversal(tag: string): UniversalTag | undefined {
  return PTB.get(tag.toUpperCase());
}

/** PTB tags of the paper's noun classes. */
export const PTB_NOUN_TAGS = { singular: ['NN'], plural: ['NNS'], proper: ['NNP', 'NNPS'] } as const;
