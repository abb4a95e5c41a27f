import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import path from 'node:path';
import { detectFileFormat, detectFormat } from '../../../main/engine/corpus/format-detect';
import { parseTaggedLine, splitTokens } from '../../../main/engine/corpus/tagged-line';
import { ConlluSentenceReader, parseConlluRow } from '../../../main/engine/corpus/conllu-reader';
import { readUserFile } from '../../../main/engine/corpus/user-file-reader';
import { detectTagging, UNTAGGED } from '../../../main/engine/corpus/tagging';
import type { SourceSentence } from '../../../main/engine/corpus/source-sentence';
import { UserError } from '../../../main/engine/errors';
import { FIXTURES, tempDir, writeFile } from './helpers';

async function sentencesOf(...args: Parameters<typeof readUserFile>): Promise<SourceSentence[]> {
  const out: SourceSentence[] = [];
  for await (const b of readUserFile(...args)) out.push(...b);
  return out;
}

describe('word/TAG lines', () => {
  it('splits each token at its last slash', () => {
    expect(parseTaggedLine('1/2/CD and/CC/or/CC AT&T/NNP', 'f', 1)).toEqual({
      words: ['1/2', 'and/CC/or', 'AT&T'],
      tags: ['CD', 'CC', 'NNP'],
    });
    expect(parseTaggedLine('  \t ', 'f', 1)).toBeNull();
  });
  it.each(['word', '/NN', 'word/'])('refuses %s naming file and line', (tok) => {
    expect(() => parseTaggedLine(`ok/NN ${tok}`, 'corpus.txt', 7)).toThrow(UserError);
    expect(() => parseTaggedLine(`ok/NN ${tok}`, 'corpus.txt', 7)).toThrow(/^corpus\.txt, line 7: token/);
  });
  it('splits on any whitespace', () => {
    expect(splitTokens(' a  b\tc\u00a0d ')).toEqual(['a', 'b', 'c', 'd']);
    expect(splitTokens('a b c')).toEqual(['a', 'b', 'c']);
  });
});

describe('CoNLL-U', () => {
  it('reads FORM, UPOS, XPOS; skips comments, ranges and empty nodes', async () => {
    const file = path.join(FIXTURES, 'sample.conllu');
    const tagging = await detectTagging(file, 'conllu');
    expect(tagging).toEqual({ tagset: 'ptb', fineColumn: 'XPOS', universalFrom: 'conllu-upos' });
    const s = await sentencesOf(file, 'conllu', tagging);
    expect(s).toHaveLength(2);
    expect(s[0]).toEqual({
      words: ['He', 'saw', 'the', 'dogs', '.'],
      tags: ['PRP', 'VBD', 'DT', 'NNS', '.'],
      upos: ['PRON', 'VERB', 'DET', 'NOUN', 'PUNCT'],
    });
    expect(s[1].words).toEqual(['do', "n't", 'go', 'John', 'cat']);
  });

  it('uses UPOS with number when told to', async () => {
    const file = path.join(FIXTURES, 'sample.conllu');
    const tagging = await detectTagging(file, 'conllu', 'upos');
    const s = await sentencesOf(file, 'conllu', tagging);
    expect(s[0].tags).toEqual(['PRON', 'VERB', 'DET', 'NOUN|Number=Plur', 'PUNCT']);
    expect(s[1].tags).toEqual(['AUX', 'PART', 'VERB', 'PROPN|Number=Sing', 'NOUN|Number=Sing']);
  });

  it('refuses a row with the wrong number of columns, naming file and line', async () => {
    const dir = await tempDir();
    const rows = ['# sent_id = 1', '1\tA\ta\tDET\tDT\t_\t2\tdet\t_\t_', '2\tcat\tcat\tNOUN\tNN\t_\t0\troot\t_', ''];
    const f = await writeFile(dir, 'bad.conllu', rows.join('\n'));
    await expect(sentencesOf(f, 'conllu', UNTAGGED)).rejects.toThrow(
      `${f}, line 3: CoNLL-U row has 9 tab-separated columns, expected 10`,
    );
    expect(() => parseConlluRow('x\tA\ta\tDET\tDT\t_\t2\tdet\t_\t_', 'g.conllu', 4)).toThrow(/g\.conllu, line 4: CoNLL-U ID 'x'/);
  });

  it('ends a sentence at a blank line and at end of file', () => {
    const r = new ConlluSentenceReader('f');
    expect(r.push('1\ta\t_\t_\t_\t_\t_\t_\t_\t_', 1)).toBeNull();
    expect(r.push('', 2)?.map((t) => t.form)).toEqual(['a']);
    expect(r.push('', 3)).toBeNull();
    r.push('1\tb c\t_\t_\t_\t_\t_\t_\t_\t_', 4);
    expect(r.end()?.map((t) => t.form)).toEqual(['b_c']);
  });
});

describe('format detection', () => {
  it('detects the fixtures', async () => {
    expect(await detectFileFormat(path.join(FIXTURES, 'sample.conllu'))).toBe('conllu');
    expect(await detectFileFormat(path.join(FIXTURES, 'ptb-tagged.txt'))).toBe('tagged');
    expect(await detectFileFormat(path.join(FIXTURES, 'brown-tagged.txt'))).toBe('tagged');
    expect(await detectFileFormat(path.join(FIXTURES, 'stats/train.txt'))).toBe('plain');
    expect(detectFormat(['see 1/2 of it and/or more', 'a b c'])).toBe('plain');
  });

  // Generated files of each kind. Plain tokens have no slash (a file of nothing but
  // slashed tokens is word/TAG by any reading).
  const word = fc.stringMatching(/^[^\s/]{1,8}$/);
  const tag = fc.constantFrom('NN', 'VBD', 'DT', 'nn', 'np$', 'PRP$', 'NOUN', '.', ',', 'X');
  const sentence = <T>(tok: fc.Arbitrary<T>) => fc.array(tok, { minLength: 1, maxLength: 12 });
  const plainFile = fc.array(sentence(word), { minLength: 1, maxLength: 30 }).map((ss) => ss.map((s) => s.join(' ')));
  const taggedFile = fc
    .array(sentence(fc.tuple(fc.stringMatching(/^\S{1,8}$/), tag)), { minLength: 1, maxLength: 30 })
    .map((ss) => ss.map((s) => s.map(([w, t]) => `${w}/${t}`).join(' ')));
  const conlluFile = fc.array(sentence(fc.tuple(word, tag)), { minLength: 1, maxLength: 10 }).map((ss) =>
    ss.flatMap((s, k) => [
      `# sent_id = ${k + 1}`,
      ...s.map(([w, t], i) => [i + 1, w, w, 'X', t, '_', i, 'dep', '_', '_'].join('\t')),
      '',
    ]),
  );

  it("reads '#' as a comment only in CoNLL-U: a word/TAG file may start with '#/#'", () => {
    expect(detectFormat(['#/NN'])).toBe('tagged');
    expect(detectFormat(['#/# 1/CD dollars/NNS'])).toBe('tagged');
    expect(detectFormat(['# sent_id = 1', '1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\t_'])).toBe('conllu');
  });

  it('picks the right format for generated files of each kind', () => {
    fc.assert(fc.property(plainFile, (lines) => detectFormat(lines) === 'plain'), { numRuns: 200 });
    fc.assert(fc.property(taggedFile, (lines) => detectFormat(lines) === 'tagged'), { numRuns: 200 });
    fc.assert(fc.property(conlluFile, (lines) => detectFormat(lines) === 'conllu'), { numRuns: 200 });
  });
});
