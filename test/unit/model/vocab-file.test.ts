import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseVocabularyText, readVocabularyFile } from '../../../main/engine/model/vocab-file';

describe('vocabulary files', () => {
  it('reads one word per line: id = line − 1, <unk>/<eos> recognised, CRLF and a final newline tolerated', () => {
    expect(parseVocabularyText('v.txt', 'the\r\n<unk>\r\n<eos>\r\ncat\r\n')).toEqual({
      words: ['the', '<unk>', '<eos>', 'cat'],
      unk: '<unk>',
      eos: '<eos>',
    });
    expect(parseVocabularyText('v.txt', '[UNK]\nx')).toEqual({ words: ['[UNK]', 'x'], unk: '[UNK]', eos: null });
  });

  it('refuses what cannot be a vocabulary, naming the line', () => {
    expect(() => parseVocabularyText('v.txt', 'a\n\nb\n<unk>\n')).toThrow(/v\.txt, line 2: empty line/);
    expect(() => parseVocabularyText('v.txt', 'a\nb\na\n')).toThrow(/v\.txt, line 3: 'a' already listed on line 1/);
    expect(() => parseVocabularyText('v.txt', 'a\nb c\n')).toThrow(/line 2: 'b c' contains white space/);
    expect(() => parseVocabularyText('v.txt', 'a\nb\n')).toThrow(/v\.txt: no unknown-word token/);
    expect(() => parseVocabularyText('v.bin', 'a\u0000b')).toThrow(/binary data/);
  });

  it('reads vocab.json by extension and validates it', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mnemo-vocab-'));
    try {
      const good = path.join(dir, 'vocab.json');
      await fs.writeFile(good, JSON.stringify({ words: ['<unk>', 'a'], unk: '<unk>', eos: null }));
      expect(await readVocabularyFile(good)).toEqual({ words: ['<unk>', 'a'], unk: '<unk>', eos: null });
      const bad = path.join(dir, 'bad.json');
      await fs.writeFile(bad, JSON.stringify({ words: ['a', 'b', 'a'], unk: '<unk>', eos: null }));
      await expect(readVocabularyFile(bad)).rejects.toThrow(/bad\.json: invalid vocabulary: words\[2\]: 'a' listed twice; unk: '<unk>' is not in words/);
      await expect(readVocabularyFile(path.join(dir, 'missing.txt'))).rejects.toThrow(/missing\.txt: vocabulary file not found/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
