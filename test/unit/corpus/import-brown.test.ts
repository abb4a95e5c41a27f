import { describe, it, expect } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { importCorpus } from '../../../main/engine/corpus/import-corpus';
import {
  encodeSplit,
  readCorpusManifest,
  readSplitSentences,
  readSplitTagged,
  trainTypeCounts,
} from '../../../main/engine/corpus/corpus-reader';
import { loadBrown } from '../../../main/engine/corpus/brown-reader';
import { BROWN_SPLIT_RULE } from '../../../main/engine/corpus/brown-split';
import { buildVocabulary, indexVocabulary } from '../../../main/engine/corpus/vocabulary';
import { UserError } from '../../../main/engine/errors';
import { listTree, stagingDir } from './helpers';

describe('importing a Brown slice', () => {
  it('writes a complete, readable corpus folder', async () => {
    const { parent, out } = await stagingDir();
    const progress: number[] = [];
    const m = await importCorpus({ kind: 'builtin-brown', maxFiles: 20 }, { id: 'brown-20', name: 'Brown (20 files)' }, out, (p) =>
      progress.push(p.bytesRead / p.bytesTotal),
    );
    expect(progress[progress.length - 1]).toBe(1);
    expect(await listTree(parent)).toContain('staging/corpus.json');
    expect(m.source).toEqual({ kind: 'builtin-brown', paths: [], maxFiles: 20 });
    expect(m.split).toEqual({ kind: 'brown-files', rule: BROWN_SPLIT_RULE });
    expect([m.format, m.tagset, m.tagged, m.universalFrom]).toEqual(['brown', 'brown', true, 'fine']);
    const files = m.stats.splits;
    expect(files.train.files.length + files.valid.files.length + files.test.files.length).toBe(20);
    expect(files.valid.files.length).toBeGreaterThanOrEqual(1);
    expect(m.stats.unmappedTags).toEqual({});

    // The readers give back what loadBrown reads, preprocessed.
    const brown = await loadBrown({ maxFiles: 20 });
    const validRaw = brown.filter((f) => f.split === 'valid').flatMap((f) => f.sentences);
    const valid = await readSplitTagged(out, 'valid');
    expect(valid.sentences).toHaveLength(validRaw.length);
    expect(valid.tags).toEqual(validRaw.map((s) => s.tags));
    expect(valid.sentences[0]).toEqual(validRaw[0].words.map((w) => (/^\d+$/.test(w) ? 'N' : w.toLowerCase())));
    expect(m.stats.splits.valid.tokens).toBe(validRaw.reduce((n, s) => n + s.words.length, 0));

    // The trainer's path: counts → vocabulary → ids with <eos>.
    const counts = await trainTypeCounts(out);
    const vocab = indexVocabulary(buildVocabulary(counts, 2000, true));
    const ids = await encodeSplit(out, 'valid', vocab);
    expect(ids.length).toBe(m.stats.splits.valid.tokens + m.stats.splits.valid.sentences);
    const unk = [...ids].filter((i) => i === vocab.unkId).length;
    const train = await readSplitSentences(out, 'train');
    expect(train.length).toBe(m.stats.splits.train.sentences);
    expect(unk).toBeGreaterThan(0);
    expect(await readCorpusManifest(out)).toEqual(m);
  });

  it('refuses a slice too small for three splits', async () => {
    const { out } = await stagingDir();
    await expect(importCorpus({ kind: 'builtin-brown', maxFiles: 2 }, { id: 'b' }, out)).rejects.toBeInstanceOf(UserError);
    expect(await fs.readdir(out)).toEqual([]);
  });
});

describe('reading a corpus folder back', () => {
  it('names the file when the manifest is broken, invalid or too new', async () => {
    const { out } = await stagingDir();
    await importCorpus({ kind: 'builtin-brown', maxFiles: 3 }, { id: 'b3' }, out);
    const file = path.join(out, 'corpus.json');
    const good = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, good.slice(0, 100));
    await expect(readCorpusManifest(out)).rejects.toThrow(`${file}: broken corpus manifest, not valid JSON`);
    await fs.writeFile(file, JSON.stringify({ ...JSON.parse(good), schemaVersion: 2 }));
    await expect(readCorpusManifest(out)).rejects.toThrow(`${file}: corpus manifest has schema version 2, newer than this Mnemoscope reads (1)`);
    await fs.writeFile(file, JSON.stringify({ ...JSON.parse(good), tagset: 'claws' }));
    await expect(readCorpusManifest(out)).rejects.toThrow(`${file}: invalid corpus manifest: tagset`);
    await fs.rm(file);
    await expect(readCorpusManifest(out)).rejects.toThrow(`${file}: no corpus manifest here`);
  });

  it('names file and line when token and tag files disagree', async () => {
    const { out } = await stagingDir();
    await importCorpus({ kind: 'builtin-brown', maxFiles: 3 }, { id: 'b3' }, out);
    const tags = path.join(out, 'test.tags.txt');
    const lines = (await fs.readFile(tags, 'utf8')).split('\n');
    lines[1] = lines[1] + ' nn';
    await fs.writeFile(tags, lines.join('\n'));
    await expect(readSplitTagged(out, 'test')).rejects.toThrow(`${tags}, line 2: `);
  });
});
