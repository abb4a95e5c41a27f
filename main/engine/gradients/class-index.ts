// Token id → the classes and chosen word it belongs to, for accumulating by source word.
// A token may sit in several classes (e.g. one per class set), so classes are a CSR list.
import { MAX_WORDS } from '../../../shared/schemas/run';
import { UserError } from '../errors';

export interface ClassSpec {
  name: string;
  tokenIds: ArrayLike<number>;
}

export interface TokenIndex {
  /** classes of token v: members[offsets[v] .. offsets[v+1]) */
  offsets: Int32Array;
  members: Int32Array;
  /** index into the chosen words, or -1 */
  word: Int32Array;
}

export function buildTokenIndex(vocabSize: number, classes: ClassSpec[], words: ArrayLike<number>): TokenIndex {
  if (words.length > MAX_WORDS) throw new UserError(`at most ${MAX_WORDS} words can be tracked, got ${words.length}`);
  const lists: number[][] = Array.from({ length: vocabSize }, () => []);
  classes.forEach((cls, ci) => {
    const seen = new Set<number>();
    for (let j = 0; j < cls.tokenIds.length; j++) {
      const v = cls.tokenIds[j];
      checkToken(v, vocabSize, `class '${cls.name}'`);
      if (seen.has(v)) continue;
      seen.add(v);
      lists[v].push(ci);
    }
  });
  const offsets = new Int32Array(vocabSize + 1);
  for (let v = 0; v < vocabSize; v++) offsets[v + 1] = offsets[v] + lists[v].length;
  const members = new Int32Array(offsets[vocabSize]);
  for (let v = 0; v < vocabSize; v++) members.set(lists[v], offsets[v]);
  const word = new Int32Array(vocabSize).fill(-1);
  for (let j = 0; j < words.length; j++) {
    const v = words[j];
    checkToken(v, vocabSize, 'word list');
    if (word[v] !== -1) throw new UserError(`word id ${v} is listed twice`);
    word[v] = j;
  }
  return { offsets, members, word };
}

function checkToken(v: number, vocabSize: number, where: string): void {
  if (!Number.isInteger(v) || v < 0 || v >= vocabSize) {
    throw new UserError(`token id ${v} in ${where} is outside the vocabulary (0..${vocabSize - 1})`);
  }
}
