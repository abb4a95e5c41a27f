import { describe, it, expect } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { importCorpus } from '../../../main/engine/corpus/import-corpus';
import { builtinClassSets } from '../../../main/engine/corpus/builtin-class-sets';
import { listClassSets, readClassSet, writeClassSet } from '../../../main/engine/corpus/class-set-store';
import { classSetFromWordList } from '../../../main/engine/corpus/word-list-classes';
import { readWordTagProfiles } from '../../../main/engine/corpus/word-tags';
import { UserError } from '../../../main/engine/errors';
import { FIXTURES, stagingDir, tempDir, writeFile } from './helpers';

async function importTriple(file: string, extra: { tagset?: 'upos' } = {}): Promise<string> {
  const { out } = await stagingDir();
  await importCorpus({ kind: 'files', train: file, valid: file, test: file }, { id: 'c', ...extra }, out);
  return out;
}

describe('word classes', () => {
  it('gives each word type its tag counts and most frequent tag', async () => {
    const dir = await importTriple(path.join(FIXTURES, 'brown-tagged.txt'));
    const profiles = new Map((await readWordTagProfiles(dir)).map((p) => [p.word, p]));
    const dogs = profiles.get('dogs')!;
    expect(dogs.total).toBe(12); // dogs ×3 and Dogs ×1, in three splits
    expect(dogs.topFine).toBe('nns');
    expect(Object.fromEntries(dogs.fine)).toEqual({ nns: 12 });
    expect(profiles.get('saw')?.topUniversal).toBe('VERB');
    expect(profiles.get('N')?.topFine).toBe('cd');
  });

  it('builds the paper and UPOS classes from Brown tags', async () => {
    const dir = await importTriple(path.join(FIXTURES, 'brown-tagged.txt'));
    const [upos, paper] = await builtinClassSets(dir);
    expect(paper.id).toBe('paper');
    expect(paper.classes).toEqual({
      pronoun: ['he', 'him', "it's", 'she'],
      'noun-sg': ['cat', 'dog'],
      'noun-pl': ['cats', 'dogs'],
      'noun-common': ['cat', 'cats', 'dog', 'dogs'],
      'noun-proper': ['boston', 'john', 'smiths'],
    });
    expect(upos.id).toBe('upos');
    expect(Object.keys(upos.classes)).toHaveLength(12);
    expect(upos.classes.NOUN).toEqual(['boston', 'cat', 'cats', 'dog', 'dogs', 'john', 'smiths']);
    expect(upos.classes.VERB).toEqual(['are', 'likes', 'saw']);
    expect(upos.classes.NUM).toEqual(['N']);
    // The import stored the same sets in the corpus folder.
    expect(await readClassSet(dir, 'paper')).toEqual(paper);
    expect((await listClassSets(dir)).map((s) => [s.id, s.sizes['noun-proper'] ?? s.sizes.NOUN ?? s.sizes['freq-unk']])).toEqual([
      ['frequency', 1],
      ['paper', 3],
      ['upos', 7],
    ]);
  });

  it('builds the paper classes from PTB tags and from CoNLL-U UPOS with Number', async () => {
    const ptb = await importTriple(path.join(FIXTURES, 'ptb-tagged.txt'));
    const [, paperPtb] = await builtinClassSets(ptb);
    expect(paperPtb.classes['noun-proper']).toEqual(['at&t', 'boston', 'john']);
    expect(paperPtb.classes['noun-pl']).toEqual(['cats', 'dogs']);
    expect(paperPtb.classes.pronoun).toEqual(['he', 'him', 'she']);

    const ud = await importTriple(path.join(FIXTURES, 'sample.conllu'), { tagset: 'upos' });
    const [, paperUd] = await builtinClassSets(ud);
    expect(paperUd.classes).toEqual({
      pronoun: ['he'],
      'noun-sg': ['cat'],
      'noun-pl': ['dogs'],
      'noun-common': ['cat', 'dogs'],
      'noun-proper': ['john'],
    });
  });

  it('leaves the number classes empty for UPOS tags without features', async () => {
    const dir = await tempDir();
    const f = await writeFile(dir, 'u.txt', 'The/DET dogs/NOUN saw/VERB John/PROPN ./PUNCT\nShe/PRON ran/VERB ./PUNCT\n');
    const out = await importTriple(f);
    const [, paper] = await builtinClassSets(out);
    expect(paper.classes['noun-sg']).toEqual([]);
    expect(paper.classes['noun-pl']).toEqual([]);
    expect(paper.classes['noun-common']).toEqual(['dogs']);
    expect(paper.classes['noun-proper']).toEqual(['john']);
    expect(paper.classes.pronoun).toEqual(['she']);
  });

  it('has only the frequency bands for an untagged corpus', async () => {
    const out = await importTriple(path.join(FIXTURES, 'stats', 'train.txt'));
    const sets = await builtinClassSets(out);
    expect(sets.map((s) => s.id)).toEqual(['frequency']);
    expect((await listClassSets(out)).map((s) => s.id)).toEqual(['frequency']);
  });

  it('reads user classes from word lists, preprocessed like the corpus', async () => {
    const prep = { lowercase: true, numbers: true, eos: true };
    const set = await classSetFromWordList(path.join(FIXTURES, 'classes.tsv'), { id: 'mine', preprocessing: prep });
    expect(set.classes).toEqual({ noun: ['dog', 'dogs'], pronoun: ['he', 'she'] });
    expect(set.source).toBe('wordlist:classes.tsv');
    const single = await classSetFromWordList(path.join(FIXTURES, 'animals.txt'), {
      id: 'animals',
      preprocessing: { ...prep, lowercase: false },
    });
    expect(single.classes).toEqual({ animals: ['Beta', 'alpha'] });

    const dir = await tempDir();
    const bad = await writeFile(dir, 'bad.tsv', 'a\tx\nb\tx\ty\n');
    await expect(classSetFromWordList(bad, { id: 'b', preprocessing: prep })).rejects.toThrow(
      `${bad}, line 2: expected 'word' or 'word<TAB>class', found 3 columns`,
    );
    const spaced = await writeFile(dir, 'spaced.txt', 'new york\n');
    await expect(classSetFromWordList(spaced, { id: 'b', preprocessing: prep })).rejects.toThrow(`${spaced}, line 1:`);
  });

  it('stores, lists and validates class sets', async () => {
    const dir = await tempDir();
    await writeClassSet(dir, {
      schemaVersion: 1, id: 'x', name: 'X', source: 'test', description: '', classes: { b: ['z', 'a', 'a'] },
    });
    expect((await readClassSet(dir, 'x')).classes).toEqual({ b: ['a', 'z'] });
    await expect(
      writeClassSet(dir, { schemaVersion: 1, id: '../evil', name: '', source: '', description: '', classes: {} }),
    ).rejects.toBeInstanceOf(UserError);
    const file = path.join(dir, 'classes', 'x.json');
    await fs.writeFile(file, '{"schemaVersion": 7}');
    await expect(readClassSet(dir, 'x')).rejects.toThrow(`${file}: class set has schema version 7, newer than`);
    await fs.writeFile(file, '{"schemaVersion": 1, "id": "x"');
    await expect(readClassSet(dir, 'x')).rejects.toThrow(`${file}: broken class set, not valid JSON`);
    await fs.writeFile(file, '{"schemaVersion": 1, "id": "x"}');
    await expect(readClassSet(dir, 'x')).rejects.toThrow(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: invalid class set: name`));
  });
});
