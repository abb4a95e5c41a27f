// The built-in `frequency` class set: train-split rank bands on every corpus, added on open
// to corpora imported before it existed.
import { describe, it, expect, afterEach } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { importCorpus } from '../../../main/engine/corpus/import-corpus';
import { readClassSet, listClassSets } from '../../../main/engine/corpus/class-set-store';
import {
  FREQUENCY_BANDS,
  ensureFrequencyClassSet,
  frequencyClassSet,
  openCorpusClassSets,
  rankedTrainTypes,
} from '../../../main/engine/corpus/frequency-class-set';
import { trainTypeCounts, readSplitSentences } from '../../../main/engine/corpus/corpus-reader';
import { addToken, type Lexicon } from '../../../main/engine/corpus/lexicon';
import { buildVocabulary } from '../../../main/engine/corpus/vocabulary';
import { createProject, openProject, type ProjectStore } from '../../../main/engine/project';
import type { Engine } from '../../../main/engine/handlers/create-engine';
import { inProcessContext } from '../../../main/engine/jobs/task-context';
import { sweepTask, parseAnalyzeParams } from '../../../main/engine/runs';
import { testEngine } from '../contract/helpers';
import { makeRunProject } from '../runs/helpers';
import { stagingDir, tempDir, writeFile } from './helpers';

const lockOf = (store: ProjectStore) => ({ withWriteLock: <T>(fn: () => Promise<T>) => store.withWriteLock(fn) });

/**
 * Train text with known counts (no lowercasing, so code-unit order is visible):
 *   top    ×200                                  rank 1
 *   w01..w97 ×(103 − i)  i.e. 102..6, all distinct  ranks 2..98
 *   Zed, apple ×5: tie; 'Z' (U+005A) < 'a' (U+0061) ranks 99 (Zed), 100 (apple)
 *   mango, kiwi ×4: tie                         ranks 101 (kiwi), 102 (mango)
 *   r001..r010 ×1                                ranks 103..112
 *   <unk> ×7 and <eos> ×9 written literally: not ranked
 * One word per line (sentence). valid/test add 'onlyvalid', which is not in the train split.
 */
function trainText(): string {
  const lines: string[] = [];
  const say = (w: string, n: number) => {
    for (let i = 0; i < n; i++) lines.push(w);
  };
  say('top', 200);
  for (let i = 1; i <= 97; i++) say(`w${String(i).padStart(2, '0')}`, 103 - i);
  say('Zed', 5);
  say('apple', 5);
  say('mango', 4);
  say('kiwi', 4);
  for (let i = 1; i <= 10; i++) say(`r${String(i).padStart(3, '0')}`, 1);
  say('<unk>', 7);
  say('<eos>', 9);
  return lines.join('\n') + '\n';
}

async function importSmall(): Promise<string> {
  const dir = await tempDir();
  const train = await writeFile(dir, 'train.txt', trainText());
  const other = await writeFile(dir, 'other.txt', 'top onlyvalid\napple\n');
  const { out } = await stagingDir();
  await importCorpus({ kind: 'files', train, valid: other, test: other }, { id: 'small', preprocessing: { lowercase: false } }, out);
  return out;
}

function lexiconOf(counts: [string, number][]): Lexicon {
  const lex: Lexicon = new Map();
  for (const [w, n] of counts) for (let i = 0; i < n; i++) addToken(lex, 'train', w, null, null);
  return lex;
}

const engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

describe('the frequency class set', () => {
  it('puts each train type in the band of its rank, ties in code-unit order, <unk> apart, <eos> nowhere', async () => {
    const dir = await importSmall();
    const set = await readClassSet(dir, 'frequency');
    expect(set.source).toBe('builtin:frequency');
    // Only two bands have types: the three rarer bands are left out.
    expect(Object.keys(set.classes)).toEqual(['freq-1-100', 'freq-101-1000', 'freq-unk']);
    expect(set.bands).toEqual([
      { class: 'freq-1-100', fromRank: 1, toRank: 100 },
      { class: 'freq-101-1000', fromRank: 101, toRank: 1000 },
    ]);
    const top = set.classes['freq-1-100'];
    expect(top).toHaveLength(100);
    expect(top).toContain('top');
    expect(top).toContain('w97');
    expect(top).toContain('Zed'); // rank 99
    expect(top).toContain('apple'); // rank 100: ties with Zed, after it in code-unit order
    expect(top).not.toContain('kiwi');
    expect(set.classes['freq-101-1000']).toEqual([
      'kiwi', 'mango', 'r001', 'r002', 'r003', 'r004', 'r005', 'r006', 'r007', 'r008', 'r009', 'r010',
    ]);
    expect(set.classes['freq-unk']).toEqual(['<unk>']);
    const all = Object.values(set.classes).flat();
    expect(all).not.toContain('<eos>');
    expect(all).not.toContain('onlyvalid'); // no train count, no rank
    expect(all.filter((w) => w === '<unk>')).toHaveLength(1);

    // The rank order is the vocabulary's: a K = 102 vocabulary (with <unk> and <eos>) is exactly freq-1-100.
    const vocab = buildVocabulary(await trainTypeCounts(dir), 102, true);
    expect(vocab.words.slice(2).sort()).toEqual(top);
    const ranked = rankedTrainTypes(lexiconOf([...(await trainTypeCounts(dir)).entries()]));
    expect(ranked.slice(97, 102)).toEqual(['w97', 'Zed', 'apple', 'kiwi', 'mango']);
    expect(ranked).toHaveLength(112);
  });

  it('fills every band and its edges exactly with enough types', () => {
    // 10,050 types with distinct counts: rank r has count 20000 − r.
    const lex = lexiconOf(Array.from({ length: 10_050 }, (_, i) => [`t${i + 1}`, 1]));
    for (const [w, e] of lex) e.counts[0] = 20_000 - Number(w.slice(1));
    const set = frequencyClassSet(lex);
    expect(set.bands).toEqual(FREQUENCY_BANDS);
    expect(Object.fromEntries(Object.entries(set.classes).map(([c, ws]) => [c, ws.length]))).toEqual({
      'freq-1-100': 100,
      'freq-101-1000': 900,
      'freq-1001-5000': 4000,
      'freq-5001-10000': 5000,
      'freq-10001+': 50,
      'freq-unk': 1,
    });
    expect(set.classes['freq-1-100']).toContain('t100');
    expect(set.classes['freq-101-1000']).toContain('t101');
    expect(set.classes['freq-5001-10000']).toContain('t10000');
    expect(set.classes['freq-10001+']).toContain('t10001');
  });

  it('is built for an untagged corpus', async () => {
    const dir = await tempDir();
    const file = await writeFile(dir, 'plain.txt', 'the cat sat\nthe dog sat\na cat ran\nthe end\n'.repeat(5));
    const { out } = await stagingDir();
    const m = await importCorpus({ kind: 'file', path: file, ratio: [2, 1, 1] }, { id: 'plain' }, out);
    expect(m.tagged).toBe(false);
    expect((await listClassSets(out)).map((s) => s.id)).toEqual(['frequency']);
    const set = await readClassSet(out, 'frequency');
    // train = the first 10 sentences: 7 types, all in the first band.
    expect(set.classes['freq-1-100']).toEqual(['a', 'cat', 'dog', 'end', 'ran', 'sat', 'the']);
    expect(set.bands).toEqual([{ class: 'freq-1-100', fromRank: 1, toRank: 100 }]);
  });

  it('is added to a corpus imported before it existed when the corpus is opened, once', async () => {
    const root = await tempDir();
    const projectDir = path.join(root, 'p');
    const store = await createProject(projectDir, 'old');
    const text = await writeFile(root, 'plain.txt', 'one two two three three three\n'.repeat(4));
    await store.stageItem('corpus', 'old', (out) => importCorpus({ kind: 'file', path: text, ratio: [2, 1, 1] }, { id: 'old' }, out));
    const corpusDir = store.itemDir('corpus', 'old');
    const file = path.join(corpusDir, 'classes', 'frequency.json');
    // What a corpus imported before this change looks like: no classes/ folder at all.
    await fs.rm(path.join(corpusDir, 'classes'), { recursive: true });

    // A read-only project: computed for the listing, with a note, and not written.
    const ro = await openProject(projectDir, { readOnly: true });
    const readOnly = await openCorpusClassSets(corpusDir, lockOf(ro));
    expect(readOnly.classSets.map((s) => [s.id, s.sizes])).toEqual([['frequency', { 'freq-1-100': 3, 'freq-unk': 1 }]]);
    expect(readOnly.classSets[0].note).toMatch(/not saved with the corpus.*read-only/);
    expect(readOnly.notes).toHaveLength(1);
    await expect(fs.stat(file)).rejects.toThrow();
    await expect(ensureFrequencyClassSet(corpusDir, { ...lockOf(ro), strict: true })).rejects.toThrow(/read-only/);

    // Opened through the engine (the corpus view's call): written.
    const { engine } = await testEngine();
    engines.push(engine);
    const listed = await engine.api.classSetList({ project: projectDir, corpus: 'old' });
    expect(listed).toEqual([
      {
        id: 'frequency',
        name: 'Frequency bands (train-split rank)',
        source: 'builtin:frequency',
        sizes: { 'freq-1-100': 3, 'freq-unk': 1 },
        bands: [{ class: 'freq-1-100', fromRank: 1, toRank: 100 }],
      },
    ]);
    const written = await fs.stat(file);
    const set = await readClassSet(corpusDir, 'frequency');
    expect(set.classes['freq-1-100']).toEqual(['one', 'three', 'two']);

    // Opened again: left as it is.
    const again = await ensureFrequencyClassSet(corpusDir, lockOf(store));
    expect(again.state).toBe('present');
    const shown = await engine.api.corpusShow({ project: projectDir, id: 'old' });
    expect(shown.classSets).toEqual(listed);
    const after = await fs.stat(file);
    expect([after.ino, after.mtimeMs]).toEqual([written.ino, written.mtimeMs]);
    expect((await fs.readdir(path.join(corpusDir, 'classes'))).sort()).toEqual(['frequency.json']);
  });

  it('reports a corpus whose lexicon is unreadable instead of failing the listing', async () => {
    const root = await tempDir();
    const store = await createProject(path.join(root, 'p'), 'damaged');
    const text = await writeFile(root, 'plain.txt', 'a b\n'.repeat(4));
    await store.stageItem('corpus', 'd', (out) => importCorpus({ kind: 'file', path: text, ratio: [2, 1, 1] }, { id: 'd' }, out));
    const corpusDir = store.itemDir('corpus', 'd');
    await fs.rm(path.join(corpusDir, 'classes'), { recursive: true });
    await fs.rm(path.join(corpusDir, 'lexicon.tsv'));
    const opened = await openCorpusClassSets(corpusDir, lockOf(store));
    expect(opened.classSets).toEqual([]);
    expect(opened.notes[0]).toMatch(/^frequency: the frequency class set cannot be computed: .*lexicon\.tsv/);
    await expect(ensureFrequencyClassSet(corpusDir, { ...lockOf(store), strict: true })).rejects.toThrow(/lexicon\.tsv/);
  });
});

describe('the frequency bands of the built-in Brown corpus', () => {
  it('hold exactly the number of types their edges imply, ranked by train counts read from the token file', async () => {
    const { out } = await stagingDir();
    await importCorpus({ kind: 'builtin-brown' }, { id: 'brown' }, out);
    const set = await readClassSet(out, 'frequency');
    // Counted independently of the lexicon: from train.tokens.txt.
    const counts = new Map<string, number>();
    for (const s of await readSplitSentences(out, 'train')) for (const w of s) counts.set(w, (counts.get(w) ?? 0) + 1);
    const types = counts.size;
    expect(types).toBeGreaterThan(10_000);
    const sizes = Object.fromEntries(Object.entries(set.classes).map(([c, ws]) => [c, ws.length]));
    expect(sizes).toEqual({
      'freq-1-100': 100,
      'freq-101-1000': 900,
      'freq-1001-5000': 4000,
      'freq-5001-10000': 5000,
      'freq-10001+': types - 10_000,
      'freq-unk': 1,
    });
    expect(set.bands).toEqual(FREQUENCY_BANDS);
    // Every band's rarest type is at least as frequent as the next band's most frequent one.
    const bandClasses = FREQUENCY_BANDS.map((b) => b.class);
    for (let k = 0; k + 1 < bandClasses.length; k++) {
      const lo = Math.min(...set.classes[bandClasses[k]].map((w) => counts.get(w)!));
      const hi = Math.max(...set.classes[bandClasses[k + 1]].map((w) => counts.get(w)!));
      expect(lo).toBeGreaterThanOrEqual(hi);
    }
    // The top band is the 100 most frequent types: 'the' first.
    const byCount = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    expect(new Set(set.classes['freq-1-100'])).toEqual(new Set(byCount.slice(0, 100).map(([w]) => w)));
    expect(set.classes['freq-1-100']).toContain('the');
    // Every train type is in exactly one band.
    const banded = bandClasses.flatMap((c) => set.classes[c]);
    expect(banded).toHaveLength(types);
    expect(new Set(banded).size).toBe(types);
  }, 120_000);
});

describe('a sweep on a corpus imported before the frequency set existed', () => {
  it('adds the set, accumulates it by default, and finds freq-unk under the vocabulary’s own unknown-word token', async () => {
    const p = await makeRunProject({ sentences: 60 });
    try {
      const store = await openProject(p.dir);
      const corpusDir = store.itemDir('corpus', 'c');
      await fs.rm(path.join(corpusDir, 'classes', 'frequency.json'));
      // An imported model whose vocabulary calls the unknown word '<UNK>'.
      const vocabFile = path.join(store.itemDir('model', 'm'), 'vocab.json');
      const vocab = JSON.parse(await fs.readFile(vocabFile, 'utf8')) as { words: string[]; unk: string; eos: string | null };
      vocab.words = vocab.words.map((w) => (w === '<unk>' ? '<UNK>' : w));
      vocab.unk = '<UNK>';
      await fs.writeFile(vocabFile, JSON.stringify(vocab));

      const { record } = await sweepTask(
        parseAnalyzeParams({ project: p.dir, model: 'm', corpus: 'c', id: 'r', streams: 2, maxTokens: 40, maxDelay: 2, groups: 2, workers: 0 }),
        inProcessContext(() => {}),
      );
      expect(record.config.classSets).toEqual(['frequency', 'paper', 'upos']);
      expect(record.config.classes.filter((c) => c.set === 'frequency').map((c) => [c.name, c.types])).toEqual([
        ['freq-1-100', p.vocab.length - 2],
        ['freq-unk', 1],
      ]);
      expect((await readClassSet(corpusDir, 'frequency')).classes['freq-unk']).toEqual(['<unk>']);
    } finally {
      await p.cleanup();
    }
  });
});
