// The built-in word class sets, computed from a tagged corpus's lexicon. A word type
// belongs to the class of its most frequent tag, so every word is in at most one class
// of a set (noun-common is the union of the two number classes).
//   upos:  the 12 universal classes (NOUN, VERB, ..., '.'), by most frequent universal tag.
//   paper: the classes of Verwimp et al. (2018):
//     pronoun      most frequent universal tag PRON
//     noun-sg      common singular nouns: Brown nn, PTB NN, UPOS 'NOUN|Number=Sing'
//     noun-pl      common plural nouns:  Brown nns, PTB NNS, UPOS 'NOUN|Number=Plur'
//     noun-common  noun-sg and noun-pl (for UPOS: every NOUN, with or without Number)
//     noun-proper  Brown np, nps; PTB NNP, NNPS; UPOS PROPN
//   For a UPOS corpus without the Number feature (word/NOUN files, CoNLL-U without FEATS)
//   number cannot be known: noun-sg and noun-pl stay empty; we do not guess from spelling.
// Every corpus, tagged or not, also gets `frequency` (train-split rank bands): see
// frequency-class-set.ts.
import { UNIVERSAL_TAGS, type ClassSet, type Tagset } from '../../../shared/schemas/corpus';
import { CLASS_SET_SCHEMA_VERSION } from '../../../shared/schemas/corpus';
import { BROWN_NOUN_TAGS } from './brown-tags';
import { PTB_NOUN_TAGS } from './ptb-tags';
import { UPOS_NOUN_TAGS, uposOf } from './upos-tags';
import { lexiconFile } from './corpus-files';
import { readLexicon, type Lexicon } from './lexicon';
import { readCorpusManifest } from './corpus-reader';
import { wordTagProfiles } from './word-tags';
import { frequencyClassSet } from './frequency-class-set';

export const UPOS_CLASS_SET_ID = 'upos';
export const PAPER_CLASS_SET_ID = 'paper';
export const PAPER_CLASSES = ['pronoun', 'noun-sg', 'noun-pl', 'noun-common', 'noun-proper'] as const;

function sortedClasses(classes: Record<string, string[]>): Record<string, string[]> {
  for (const list of Object.values(classes)) list.sort();
  return classes;
}

export function uposClassSet(lex: Lexicon): ClassSet {
  const classes: Record<string, string[]> = Object.fromEntries(UNIVERSAL_TAGS.map((t) => [t, [] as string[]]));
  for (const p of wordTagProfiles(lex)) if (p.topUniversal && classes[p.topUniversal]) classes[p.topUniversal].push(p.word);
  return {
    schemaVersion: CLASS_SET_SCHEMA_VERSION,
    id: UPOS_CLASS_SET_ID,
    name: 'Universal parts of speech',
    source: 'builtin:upos',
    description: 'The 12 universal POS classes of Petrov et al. (2012); a word type belongs to the class of its most frequent universal tag.',
    classes: sortedClasses(classes),
  };
}

type NounKind = 'sg' | 'pl' | 'common' | 'proper' | null;

function nounKind(tagset: Tagset, fine: string): NounKind {
  if (tagset === 'brown') {
    if ((BROWN_NOUN_TAGS.singular as readonly string[]).includes(fine)) return 'sg';
    if ((BROWN_NOUN_TAGS.plural as readonly string[]).includes(fine)) return 'pl';
    if ((BROWN_NOUN_TAGS.proper as readonly string[]).includes(fine)) return 'proper';
  } else if (tagset === 'ptb') {
    const t = fine.toUpperCase();
    if ((PTB_NOUN_TAGS.singular as readonly string[]).includes(t)) return 'sg';
    if ((PTB_NOUN_TAGS.plural as readonly string[]).includes(t)) return 'pl';
    if ((PTB_NOUN_TAGS.proper as readonly string[]).includes(t)) return 'proper';
  } else if (tagset === 'upos') {
    if ((UPOS_NOUN_TAGS.singular as readonly string[]).includes(fine)) return 'sg';
    if ((UPOS_NOUN_TAGS.plural as readonly string[]).includes(fine)) return 'pl';
    const upos = uposOf(fine);
    if (upos === 'NOUN') return 'common';
    if (upos === 'PROPN') return 'proper';
  }
  return null;
}

/** The paper's classes; null when the fine tags are not in a tagset we know. */
export function paperClassSet(lex: Lexicon, tagset: Tagset): ClassSet | null {
  if (tagset !== 'brown' && tagset !== 'ptb' && tagset !== 'upos') return null;
  const classes: Record<string, string[]> = Object.fromEntries(PAPER_CLASSES.map((c) => [c, [] as string[]]));
  for (const p of wordTagProfiles(lex)) {
    if (p.topUniversal === 'PRON') classes.pronoun.push(p.word);
    const kind = p.topFine === null ? null : nounKind(tagset, p.topFine);
    if (kind === 'sg') classes['noun-sg'].push(p.word);
    if (kind === 'pl') classes['noun-pl'].push(p.word);
    if (kind === 'sg' || kind === 'pl' || kind === 'common') classes['noun-common'].push(p.word);
    if (kind === 'proper') classes['noun-proper'].push(p.word);
  }
  return {
    schemaVersion: CLASS_SET_SCHEMA_VERSION,
    id: PAPER_CLASS_SET_ID,
    name: 'Classes of Verwimp et al. (2018)',
    source: 'builtin:paper',
    description:
      'pronoun; singular vs plural common nouns (noun-sg, noun-pl); common vs proper nouns (noun-common, noun-proper). ' +
      `A word type belongs to the class of its most frequent ${tagset} tag.`,
    classes: sortedClasses(classes),
  };
}

/** Built-in class sets for a lexicon: upos when universal tags are known, paper when the tagset is. */
export function builtinClassSetsFrom(lex: Lexicon, tagset: Tagset, hasUniversal: boolean): ClassSet[] {
  const sets: ClassSet[] = [];
  if (hasUniversal) sets.push(uposClassSet(lex));
  const paper = paperClassSet(lex, tagset);
  if (paper) sets.push(paper);
  return sets;
}

/**
 * The built-in class sets of the corpus in `dir`, computed from its lexicon: upos and paper
 * when tagged (see builtinClassSetsFrom), then `frequency` for every corpus.
 */
export async function builtinClassSets(dir: string): Promise<ClassSet[]> {
  const manifest = await readCorpusManifest(dir);
  const lex = await readLexicon(lexiconFile(dir));
  const tagged = manifest.tagged ? builtinClassSetsFrom(lex, manifest.tagset, manifest.universalFrom !== 'none') : [];
  return [...tagged, frequencyClassSet(lex)];
}
