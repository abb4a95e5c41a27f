// Reading a vocabulary given with an imported model. Two forms:
// - vocab.json: { "words": [...], "unk": "<unk>", "eos": "<eos>" | null } (Mnemoscope's own);
// - a plain UTF-8 text file, one word per line, line n (from 1) being id n − 1. The
//   unknown-word token is the first of <unk>, <UNK>, UNK, [UNK] found in it (one is
//   required); the end-of-sentence token is <eos> or </s> if present, else none.
import path from 'node:path';
import { VocabularySchema } from '../../../shared/schemas/model';
import type { Vocabulary } from '../corpus/vocabulary';
import { UserError } from '../errors';
import { readJsonFile, readTextFile } from '../project/read-json';

export const UNK_CANDIDATES = ['<unk>', '<UNK>', 'UNK', '[UNK]'];
export const EOS_CANDIDATES = ['<eos>', '</s>'];

export function parseVocabularyText(file: string, text: string): Vocabulary {
  if (text.includes('\u0000')) throw new UserError(`${file}: binary data, expected a text file with one word per line`);
  if (text.includes('\ufffd')) throw new UserError(`${file}: not valid UTF-8 text`);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const seen = new Map<string, number>();
  lines.forEach((w, i) => {
    if (w.trim() === '') throw new UserError(`${file}, line ${i + 1}: empty line; every line must hold one word`);
    if (/\s/.test(w)) throw new UserError(`${file}, line ${i + 1}: '${w}' contains white space; expected one word per line`);
    const first = seen.get(w);
    if (first !== undefined) throw new UserError(`${file}, line ${i + 1}: '${w}' already listed on line ${first}`);
    seen.set(w, i + 1);
  });
  if (lines.length < 2) throw new UserError(`${file}: ${lines.length} word(s); a vocabulary needs at least 2`);
  const unk = UNK_CANDIDATES.find((w) => seen.has(w));
  if (!unk) {
    throw new UserError(
      `${file}: no unknown-word token (one of ${UNK_CANDIDATES.join(', ')}); add one, or give a vocab.json that names it`,
    );
  }
  return { words: lines, unk, eos: EOS_CANDIDATES.find((w) => seen.has(w)) ?? null };
}

/** Reads vocab.json (by its .json extension) or a one-word-per-line text file. */
export async function readVocabularyFile(file: string): Promise<Vocabulary> {
  if (path.extname(file).toLowerCase() === '.json') return readJsonFile(file, VocabularySchema, 'vocabulary');
  return parseVocabularyText(file, await readTextFile(file, 'vocabulary file'));
}
