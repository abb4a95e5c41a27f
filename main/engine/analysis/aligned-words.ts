// Best-remembered directions in words: for each leading right singular vector v_k (a direction
// in embedding space), the vocabulary words whose embedding rows point most along it, by
// cosine. Singular vectors have an arbitrary sign (spectrum.ts fixes one by convention), so
// BOTH ends are reported: the most positive cosines and the most negative ones.
import { type Mat, checkMat, norm2 } from './matrix';
import { type EqualVariance, normaliseVector } from './normalisation';

export interface AlignedWord {
  word: string;
  id: number;
  cos: number;
}

export interface AlignedDirection {
  /** 1-based index of v_k. */
  k: number;
  /** Largest cosines, descending. */
  positive: AlignedWord[];
  /** Most negative cosines, ascending (most negative first). */
  negative: AlignedWord[];
}

export interface AlignedWordsOptions {
  /** Words per end (default 10). */
  top?: number;
  /** Words to leave out (e.g. '<unk>', '<eos>'). */
  exclude?: Iterable<string>;
  /**
   * When the spectrum was computed on Ḡ·D, v_k lives in whitened coordinates: compare with
   * Z·e_w (the map applied to property vectors) instead of e_w.
   */
  normalisation?: EqualVariance;
}

/** One-shot form of `alignedWordsFinder`. */
export function alignedWords(
  directions: readonly Float64Array[],
  embeddings: Mat,
  vocab: readonly string[],
  options: AlignedWordsOptions = {},
): AlignedDirection[] {
  return alignedWordsFinder(embeddings, vocab, options)(directions);
}

/**
 * Prepares the (whitened) embedding rows and their norms once, and returns a function that
 * ranks the words for any list of directions (e.g. v_1..v_5 of every delay).
 */
export function alignedWordsFinder(
  embeddings: Mat,
  vocab: readonly string[],
  options: AlignedWordsOptions = {},
): (directions: readonly Float64Array[]) => AlignedDirection[] {
  checkMat(embeddings, 'embedding matrix');
  if (vocab.length !== embeddings.rows) {
    throw new Error(`the vocabulary has ${vocab.length} words but the embedding matrix ${embeddings.rows} rows`);
  }
  const rows = whitenedRows(embeddings, options.normalisation);
  const excluded = new Set(options.exclude ?? []);
  const top = options.top ?? 10;
  const E = embeddings.cols;
  return (directions) =>
    directions.map((v, k) => {
      if (v.length !== E) throw new Error(`direction ${k + 1} has length ${v.length}, expected ${E}`);
      const vn = norm2(v);
      const scored: AlignedWord[] = [];
      for (let w = 0; w < vocab.length; w++) {
        if (excluded.has(vocab[w]) || !(rows.norms[w] > 0)) continue; // a zero row has no direction
        let s = 0;
        const o = w * E;
        for (let j = 0; j < E; j++) s += rows.data[o + j] * v[j];
        scored.push({ word: vocab[w], id: w, cos: s / (rows.norms[w] * vn) });
      }
      // Ties broken by vocabulary id so the lists are deterministic.
      const positive = [...scored].sort((x, y) => y.cos - x.cos || x.id - y.id).slice(0, top).filter((x) => x.cos > 0);
      const negative = scored.sort((x, y) => x.cos - y.cos || x.id - y.id).slice(0, top).filter((x) => x.cos < 0);
      return { k: k + 1, positive, negative };
    });
}

function whitenedRows(emb: Mat, nm?: EqualVariance): { data: Float64Array; norms: Float64Array } {
  const E = emb.cols;
  const data = new Float64Array(emb.rows * E);
  const norms = new Float64Array(emb.rows);
  for (let w = 0; w < emb.rows; w++) {
    const row = emb.data.subarray(w * E, (w + 1) * E);
    const mapped = nm ? normaliseVector(row, nm) : row;
    data.set(mapped, w * E);
    norms[w] = norm2(mapped);
  }
  return { data, norms };
}
