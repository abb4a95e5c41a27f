import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { importCorpus, ratioCounts } from '../../../main/engine/corpus/import-corpus';
import { readCorpusManifest, readSplitSentences, readSplitTagged, encodeSplit, trainTypeCounts } from '../../../main/engine/corpus/corpus-reader';
import { buildVocabulary, indexVocabulary } from '../../../main/engine/corpus/vocabulary';
import { JobCancelledError, UserError } from '../../../main/engine/errors';
import { inProcessContext } from '../../../main/engine/jobs/task-context';
import { importCorpusTask } from '../../../main/engine/corpus/import-task';
import type { ImportProgress } from '../../../main/engine/corpus/import-corpus';
import { FIXTURES, listTree, stagingDir, tempDir, writeFile } from './helpers';
import { CancelToken } from '../../../main/engine/cancel-token';

const NO_PREP = { lowercase: false, numbers: false, eos: false };

describe('importing user corpora', () => {
  it('imports three files, detects word/TAG with PTB tags, and writes parallel tags', async () => {
    const { out } = await stagingDir();
    const f = path.join(FIXTURES, 'ptb-tagged.txt');
    const m = await importCorpus({ kind: 'files', train: f, valid: f, test: f }, { id: 'ptb' }, out);
    expect(m.format).toBe('tagged');
    expect(m.tagset).toBe('ptb');
    expect(m.universalFrom).toBe('fine');
    expect(m.split).toEqual({ kind: 'files' });
    expect(m.preprocessing).toEqual({ lowercase: true, numbers: true, eos: true });
    const t = await readSplitTagged(out, 'valid');
    expect(t.sentences[3]).toEqual(['N', 'and/cc/or', 'at&t', 'rose', '.']);
    expect(t.tags[3]).toEqual(['CD', 'CC', 'NNP', 'VBD', '.']);
    expect(t.universal?.[3]).toEqual(['NUM', 'CONJ', 'NOUN', 'VERB', '.']);
    expect(await readCorpusManifest(out)).toEqual(m);
    expect(await listTree(out)).toEqual([
      'classes', 'classes/frequency.json', 'classes/paper.json', 'classes/upos.json', 'corpus.json', 'lexicon.tsv',
      'test.tags.txt', 'test.tokens.txt', 'test.utags.txt', 'train.tags.txt', 'train.tokens.txt', 'train.utags.txt',
      'valid.tags.txt', 'valid.tokens.txt', 'valid.utags.txt',
    ]);
  });

  it('cuts one file by ratio into contiguous runs of sentences', async () => {
    const dir = await tempDir();
    const lines = Array.from({ length: 20 }, (_, i) => `s${i} w`);
    const f = await writeFile(dir, 'c.txt', lines.join('\n') + '\n');
    const { out } = await stagingDir();
    const m = await importCorpus({ kind: 'file', path: f, ratio: [0.7, 0.2, 0.1] }, { id: 'c', preprocessing: NO_PREP }, out);
    expect(m.split).toEqual({ kind: 'ratio', train: 0.7, valid: 0.2, test: 0.1 });
    expect(m.tagged).toBe(false);
    const get = async (s: 'train' | 'valid' | 'test') => (await readSplitSentences(out, s)).map((x) => x[0]);
    expect(await get('train')).toEqual(lines.slice(0, 14).map((l) => l.split(' ')[0]));
    expect(await get('valid')).toEqual(['s14', 's15', 's16', 's17']);
    expect(await get('test')).toEqual(['s18', 's19']);
    expect(m.stats.splits.train.sentences).toBe(14);
    expect(await listTree(out)).not.toContain('train.tags.txt');
  });

  it('computes ratio counts with no split empty', () => {
    expect(ratioCounts(10, [0.8, 0.1, 0.1], 'f', 10)).toEqual([8, 1, 1]);
    expect(ratioCounts(3, [1, 1, 1], 'f', 3)).toEqual([1, 1, 1]);
    // 5 sentences: 4 train, 1 valid (0.5 rounds up), none left for test.
    expect(() => ratioCounts(5, [0.8, 0.1, 0.1], 'c.txt', 6)).toThrow('c.txt, line 6: 5 sentences cut 0.8:0.1:0.1 leave the test split empty');
    expect(() => ratioCounts(5, [1, 0, 1], 'f', 1)).toThrow(/valid split empty/);
    expect(() => ratioCounts(5, [-1, 1, 1], 'f', 1)).toThrow(UserError);
  });

  it('imports CoNLL-U with universal tags from UPOS', async () => {
    const { out } = await stagingDir();
    const f = path.join(FIXTURES, 'sample.conllu');
    const m = await importCorpus({ kind: 'files', train: f, valid: f, test: f }, { id: 'ud' }, out);
    expect([m.format, m.tagset, m.fineTagColumn, m.universalFrom]).toEqual(['conllu', 'ptb', 'XPOS', 'conllu-upos']);
    const t = await readSplitTagged(out, 'train');
    expect(t.sentences[1]).toEqual(['do', "n't", 'go', 'john', 'cat']);
    expect(t.universal?.[1]).toEqual(['VERB', 'PRT', 'VERB', 'NOUN', 'NOUN']);
    expect(m.stats.universalTags).toMatchObject({ VERB: 9, NOUN: 9 });
  });

  it('honours an explicit format', async () => {
    const { out } = await stagingDir();
    const f = path.join(FIXTURES, 'ptb-tagged.txt');
    const m = await importCorpus({ kind: 'files', train: f, valid: f, test: f }, { id: 'p', format: 'plain', preprocessing: NO_PREP }, out);
    expect(m.format).toBe('plain');
    expect((await readSplitSentences(out, 'train'))[0][0]).toBe('He/PRP');
  });

  it('refuses an empty split, naming the file and line', async () => {
    const dir = await tempDir();
    const good = await writeFile(dir, 'good.txt', 'a b\nc d\n');
    const empty = await writeFile(dir, 'empty.txt', '\n  \n\n');
    const { parent, out } = await stagingDir();
    await expect(importCorpus({ kind: 'files', train: good, valid: good, test: empty }, { id: 'e' }, out)).rejects.toThrow(
      `${empty}, line 3: no sentences in the file; the test split would be empty`,
    );
    expect(await listTree(parent)).toEqual(['staging']);
    const few = await writeFile(dir, 'few.txt', 'one\ntwo\n');
    await expect(importCorpus({ kind: 'file', path: few }, { id: 'e' }, out)).rejects.toThrow(
      `${few}, line 2: 2 sentences cut 0.8:0.1:0.1 leave the valid split empty`,
    );
  });

  it('refuses files whose formats differ', async () => {
    const dir = await tempDir();
    const plain = await writeFile(dir, 'p.txt', 'a b\n');
    const { out } = await stagingDir();
    const tagged = path.join(FIXTURES, 'ptb-tagged.txt');
    await expect(importCorpus({ kind: 'files', train: tagged, valid: plain, test: tagged }, { id: 'x' }, out)).rejects.toThrow(
      `${plain}: looks like plain but ${tagged} looks like tagged`,
    );
  });

  it('leaves nothing behind when the input is bad half-way, and writes nowhere but outDir', async () => {
    const dir = await tempDir();
    const lines = Array.from({ length: 5000 }, (_, i) => `w${i}/NN x/VB`);
    lines.push('broken-token x/VB');
    const bad = await writeFile(dir, 'bad.txt', lines.join('\n') + '\n');
    const { parent, out } = await stagingDir();
    const err = await importCorpus({ kind: 'file', path: bad }, { id: 'b' }, out).catch((e: Error) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(`${bad}, line 5001: token 'broken-token' is not word/TAG (expected a word, a slash and a tag)`);
    expect(await listTree(parent)).toEqual(['staging']);
    expect(await listTree(dir)).toEqual(['bad.txt']);
  });

  it('reports binary and non-UTF-8 input with file and line, leaving outDir empty', async () => {
    const dir = await tempDir();
    const bin = await writeFile(dir, 'bin.txt', Buffer.concat([Buffer.from('a b\nc d\n'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0])]));
    const latin = await writeFile(dir, 'latin.txt', Buffer.concat([Buffer.from('a b\nc d\ne f\n'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a])]));
    const { parent, out } = await stagingDir();
    await expect(importCorpus({ kind: 'file', path: bin }, { id: 'b' }, out)).rejects.toThrow(`${bin}, line 3: binary data`);
    await expect(importCorpus({ kind: 'file', path: latin, ratio: [1, 1, 1] }, { id: 'b' }, out)).rejects.toThrow(
      `${latin}, line 4: invalid UTF-8`,
    );
    expect(await listTree(parent)).toEqual(['staging']);
  });

  it('refuses a missing file by name', async () => {
    const { out } = await stagingDir();
    await expect(importCorpus({ kind: 'file', path: '/no/such/corpus.txt' }, { id: 'm' }, out)).rejects.toThrow(
      '/no/such/corpus.txt: no such file',
    );
  });

  it('stops when cancelled and cleans up', async () => {
    const dir = await tempDir();
    const f = await writeFile(dir, 'c.txt', 'a b c\n'.repeat(100_000));
    const { parent, out } = await stagingDir();
    let calls = 0;
    const cancel = CancelToken.create();
    const run = importCorpus({ kind: 'file', path: f }, { id: 'c', cancel }, out, () => {
      if (++calls > 3) cancel.cancel();
    });
    await expect(run).rejects.toBeInstanceOf(JobCancelledError);
    expect(await listTree(parent)).toEqual(['staging']);
  });

  it('runs as a job task: progress to the context, cancel through its signal', async () => {
    const dir = await tempDir();
    const f = await writeFile(dir, 't.txt', 'a b c\n'.repeat(100_000));
    const { out } = await stagingDir();
    const seen: ImportProgress[] = [];
    const m = await importCorpusTask({ source: { kind: 'file', path: f }, options: { id: 't' }, outDir: out }, inProcessContext((p) => seen.push(p)));
    expect(m.stats.splits.train.sentences).toBe(80_000);
    expect(seen.length).toBeGreaterThan(2);
    const cancelled = CancelToken.create();
    cancelled.cancel();
    const again = await stagingDir();
    await expect(
      importCorpusTask({ source: { kind: 'file', path: f }, options: { id: 't' }, outDir: again.out }, inProcessContext(undefined, cancelled)),
    ).rejects.toBeInstanceOf(JobCancelledError);
    expect(await listTree(again.out)).toEqual([]);
  });

  it('reports progress up to the total bytes', async () => {
    const dir = await tempDir();
    const f = await writeFile(dir, 'c.txt', 'a b c\n'.repeat(100_000));
    const size = (await fs.stat(f)).size;
    const { out } = await stagingDir();
    const seen: { phase: string; bytesRead: number; bytesTotal: number; linesRead: number }[] = [];
    await importCorpus({ kind: 'file', path: f }, { id: 'c' }, out, (p) => seen.push(p));
    expect(seen.every((p) => p.bytesTotal === 2 * size)).toBe(true);
    expect(seen.some((p) => p.phase === 'scan')).toBe(true);
    const last = seen[seen.length - 1];
    expect([last.phase, last.bytesRead, last.linesRead]).toEqual(['write', 2 * size, 100_000]);
    for (let i = 1; i < seen.length; i++) expect(seen[i].bytesRead).toBeGreaterThanOrEqual(seen[i - 1].bytesRead);
  });

  it('round-trips any token sequence without whitespace through plain text', async () => {
    const dir = await tempDir();
    const token = fc.stringMatching(/^\S{1,6}$/);
    const corpus = fc.array(fc.array(token, { minLength: 1, maxLength: 8 }), { minLength: 3, maxLength: 12 });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(corpus, async (sentences) => {
        run += 1;
        const f = await writeFile(dir, `rt${run}.txt`, sentences.map((s) => s.join(' ')).join('\n'));
        const out = path.join(dir, `out${run}`);
        await fs.mkdir(out);
        await importCorpus({ kind: 'file', path: f, ratio: [1, 1, 1] }, { id: 'rt', format: 'plain', preprocessing: NO_PREP }, out);
        const back = [
          ...(await readSplitSentences(out, 'train')),
          ...(await readSplitSentences(out, 'valid')),
          ...(await readSplitSentences(out, 'test')),
        ];
        expect(back).toEqual(sentences);
      }),
      { numRuns: 40 },
    );
  });

  it('encodes a split with <eos> exactly when the corpus says so', async () => {
    const dir = await tempDir();
    const f = await writeFile(dir, 'e.txt', 'a b\nb c\nc a\n');
    for (const eos of [true, false]) {
      const out = path.join(dir, `o${eos}`);
      await fs.mkdir(out);
      await importCorpus({ kind: 'file', path: f, ratio: [1, 1, 1] }, { id: 'e', preprocessing: { eos } }, out);
      const counts = await trainTypeCounts(out);
      expect([...counts]).toEqual([['a', 1], ['b', 1]]);
      const vocab = indexVocabulary(buildVocabulary(counts, 10, true));
      const ids = await encodeSplit(out, 'valid', vocab);
      const words = [...ids].map((i) => vocab.vocab.words[i]);
      expect(words).toEqual(eos ? ['b', '<unk>', '<eos>'] : ['b', '<unk>']);
      if (eos) {
        const noEos = indexVocabulary(buildVocabulary(counts, 10, false));
        await expect(encodeSplit(out, 'valid', noEos)).rejects.toThrow(/no end-of-sentence token/);
      }
    }
  });
});
