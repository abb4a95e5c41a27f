import { describe, it, expect } from 'vitest';
import { readLineBatches, firstNonEmptyLines } from '../../../main/engine/corpus/text-lines';
import { UserError } from '../../../main/engine/errors';
import { tempDir, writeFile } from './helpers';

async function allLines(file: string): Promise<string[]> {
  const out: string[] = [];
  for await (const b of readLineBatches(file)) out.push(...b.lines);
  return out;
}

async function errorOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

describe('streaming text lines', () => {
  it('reads LF and CRLF lines, drops a BOM, keeps a last line without newline', async () => {
    const dir = await tempDir();
    const f = await writeFile(dir, 'a.txt', '\uFEFFone two\r\nthree\n\nfour');
    expect(await allLines(f)).toEqual(['one two', 'three', '', 'four']);
    expect(await firstNonEmptyLines(f, 2)).toEqual(['one two', 'three']);
  });

  it('joins lines that cross chunk boundaries, including a split multi-byte character', async () => {
    const dir = await tempDir();
    const long = 'é'.repeat(200_000); // 400 kB, longer than a chunk
    const f = await writeFile(dir, 'b.txt', `x\n${long}\ny\n`);
    const lines = await allLines(f);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe(long);
  });

  it('reports binary data with file and line', async () => {
    const dir = await tempDir();
    const f = await writeFile(dir, 'bin.txt', Buffer.concat([Buffer.from('ok\nfine\nbad'), Buffer.from([0, 1, 2]), Buffer.from('\n')]));
    const err = await errorOf(allLines(f));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toContain(f);
    expect(err.message).toMatch(/line 3: binary data/);
  });

  it('reports binary data without line breaks before buffering it all', async () => {
    const dir = await tempDir();
    const f = await writeFile(dir, 'blob.bin', Buffer.alloc(3 << 20, 0));
    const err = await errorOf(allLines(f));
    expect(err.message).toMatch(/line 1: binary data/);
  });

  it('reports invalid UTF-8 with file and line', async () => {
    const dir = await tempDir();
    const f = await writeFile(dir, 'latin1.txt', Buffer.concat([Buffer.from('a b\nc d\ncaf'), Buffer.from([0xe9]), Buffer.from(' au lait\n')]));
    const err = await errorOf(allLines(f));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe(`${f}, line 3: invalid UTF-8; save the file as UTF-8 text`);
  });

  it('names a missing file', async () => {
    const err = await errorOf(allLines('/nonexistent/corpus.txt'));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toContain('/nonexistent/corpus.txt');
  });
});
