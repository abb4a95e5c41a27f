// The model's vocabulary: the K most frequent training types plus <unk> (and <eos> when
// the corpus marks sentence ends), as in the PTB language-modelling setup.
// vocab.json = { "words": [...], "unk": "<unk>", "eos": "<eos>" | null }; a word's id is its index.

export const UNK = '<unk>';
export const EOS = '<eos>';

export interface Vocabulary {
  words: string[];
  unk: string;
  eos: string | null;
}

export interface VocabularyIndex {
  vocab: Vocabulary;
  id: Map<string, number>;
  unkId: number;
  eosId: number | null;
}

/**
 * Builds a vocabulary from training-token counts: the `maxSize` most frequent types
 * (ties broken alphabetically, so the result is deterministic), <unk>, and <eos> if used.
 * `maxSize` counts every entry, including <unk> and <eos>.
 */
export function buildVocabulary(counts: Map<string, number>, maxSize: number, withEos: boolean): Vocabulary {
  const reserved = withEos ? 2 : 1;
  if (maxSize <= reserved) throw new Error(`vocabulary size must exceed ${reserved}`);
  const ranked = [...counts.entries()]
    .filter(([w]) => w !== UNK && w !== EOS)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, maxSize - reserved)
    .map(([w]) => w);
  const words = withEos ? [EOS, UNK, ...ranked] : [UNK, ...ranked];
  return { words, unk: UNK, eos: withEos ? EOS : null };
}

export function indexVocabulary(vocab: Vocabulary): VocabularyIndex {
  const id = new Map<string, number>();
  vocab.words.forEach((w, i) => {
    if (id.has(w)) throw new Error(`vocabulary lists '${w}' twice`);
    id.set(w, i);
  });
  const unkId = id.get(vocab.unk);
  if (unkId === undefined) throw new Error(`vocabulary lacks its unknown-word token '${vocab.unk}'`);
  const eosId = vocab.eos === null ? null : id.get(vocab.eos);
  if (eosId === undefined) throw new Error(`vocabulary lacks its end-of-sentence token '${vocab.eos}'`);
  return { vocab, id, unkId, eosId };
}

/** Token ids of sentences laid end to end, with <eos> after each sentence when the vocabulary has one. */
export function encodeSentences(sentences: Iterable<string[]>, index: VocabularyIndex): Int32Array {
  const out: number[] = [];
  for (const s of sentences) {
    for (const w of s) out.push(index.id.get(w) ?? index.unkId);
    if (index.eosId !== null) out.push(index.eosId);
  }
  return Int32Array.from(out);
}
