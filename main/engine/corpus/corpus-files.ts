// Layout of an imported corpus folder (<project>/corpora/<id>/):
//   corpus.json            manifest (shared/schemas/corpus.ts: CorpusManifest)
//   <split>.tokens.txt     one sentence per line, preprocessed tokens joined by single spaces
//   <split>.tags.txt       fine tags, parallel to the tokens line by line (tagged corpora only)
//   <split>.utags.txt      universal tags (12), parallel likewise (when they are known)
//   lexicon.tsv            per word type: counts per split and tag counts (see lexicon.ts)
//   classes/<id>.json      word class sets (shared/schemas/corpus.ts: ClassSet)
// <split> is train, valid or test. <eos> is not written: it is added at encoding time
// when corpus.json says preprocessing.eos.
import path from 'node:path';
import type { SplitName } from '../../../shared/schemas/corpus';

export const MANIFEST_FILE = 'corpus.json';
export const LEXICON_FILE = 'lexicon.tsv';
export const CLASSES_DIR = 'classes';

export const tokensFile = (dir: string, split: SplitName): string => path.join(dir, `${split}.tokens.txt`);
export const tagsFile = (dir: string, split: SplitName): string => path.join(dir, `${split}.tags.txt`);
export const utagsFile = (dir: string, split: SplitName): string => path.join(dir, `${split}.utags.txt`);
export const manifestFile = (dir: string): string => path.join(dir, MANIFEST_FILE);
export const lexiconFile = (dir: string): string => path.join(dir, LEXICON_FILE);
export const classSetFile = (dir: string, id: string): string => path.join(dir, CLASSES_DIR, `${id}.json`);
