// A sentence as a reader hands it on: original word forms, and tags when the source has them.

export interface SourceSentence {
  words: string[];
  /** Fine tags as stored (Brown tags normalised), parallel to words; null when untagged. */
  tags: string[] | null;
  /** CoNLL-U UPOS column, parallel to words ('_' where empty); null for other formats. */
  upos: string[] | null;
}
