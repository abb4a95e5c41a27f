import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi, afterEach } from 'vitest';
import { isAtomicTempName, writeFileAtomic, writeJsonAtomic } from '../../../main/engine/project/atomic-write';
import { tempDir } from './helpers/temp-dirs';
import { spawnHelper } from './helpers/child';

afterEach(() => {
  vi.restoreAllMocks();
});

async function leftovers(dir: string): Promise<string[]> {
  return (await fs.readdir(dir)).filter((n) => n.endsWith('.tmp'));
}

describe('writeFileAtomic', () => {
  it('writes strings, bytes and chunked data, replacing the old file', async () => {
    const dir = await tempDir();
    const f = path.join(dir, 'a.txt');
    await writeFileAtomic(f, 'old');
    await writeFileAtomic(f, new Uint8Array([104, 105]));
    expect(await fs.readFile(f, 'utf8')).toBe('hi');
    async function* parts() {
      yield 'one ';
      yield new TextEncoder().encode('two');
    }
    await writeFileAtomic(f, parts());
    expect(await fs.readFile(f, 'utf8')).toBe('one two');
    await writeJsonAtomic(f, { a: 1 });
    expect(JSON.parse(await fs.readFile(f, 'utf8'))).toEqual({ a: 1 });
    expect(await leftovers(dir)).toEqual([]);
  });

  it('leaves the old file intact when the data source fails half-way', async () => {
    const dir = await tempDir();
    const f = path.join(dir, 'data.bin');
    await writeFileAtomic(f, 'the old contents');
    async function* failing() {
      yield new Uint8Array(1 << 16).fill(7);
      throw new Error('source broke');
    }
    await expect(writeFileAtomic(f, failing())).rejects.toThrow('source broke');
    expect(await fs.readFile(f, 'utf8')).toBe('the old contents');
    expect(await leftovers(dir)).toEqual([]);
  });

  it('leaves the old file intact when the rename after a complete temp file fails', async () => {
    const dir = await tempDir();
    const f = path.join(dir, 'project.json');
    await writeFileAtomic(f, '{"v":1}');
    const rename = vi.spyOn(fs, 'rename').mockRejectedValueOnce(Object.assign(new Error('EIO: disk gone'), { code: 'EIO' }));
    await expect(writeFileAtomic(f, '{"v":2}')).rejects.toThrow('disk gone');
    expect(rename).toHaveBeenCalledTimes(1);
    expect(await fs.readFile(f, 'utf8')).toBe('{"v":1}');
    expect(await leftovers(dir)).toEqual([]);
  });

  it('recognises its own temporary file names', () => {
    expect(isAtomicTempName('.project.json.1234.0a1b2c3d.tmp', 'project.json')).toBe(true);
    expect(isAtomicTempName('.G.npy.1.ffffffff.tmp')).toBe(true);
    expect(isAtomicTempName('project.json', 'project.json')).toBe(false);
    expect(isAtomicTempName('.other.json.1234.0a1b2c3d.tmp', 'project.json')).toBe(false);
  });

  it('a process killed (SIGKILL) during a large write leaves the old or the new complete file', async () => {
    const dir = await tempDir();
    const f = path.join(dir, 'big.bin');
    const chunks = 8;
    const oldData = Buffer.alloc(3 << 20, 'A');
    // Kill right after the first chunk, a little later, and after the child says it is done.
    const outcomes: string[] = [];
    for (const when of ['writing', 'writing+40ms', 'done']) {
      await fs.writeFile(f, oldData);
      const child = spawnHelper('slow-write.ts', [f, String(chunks), 'B']);
      await child.waitFor(when === 'done' ? 'done' : 'writing');
      if (when === 'writing+40ms') await new Promise((r) => setTimeout(r, 40));
      child.proc.kill('SIGKILL');
      await child.exited;
      const got = await fs.readFile(f);
      const isOld = got.equals(oldData);
      const isNew = got.length === chunks << 20 && got.every((b) => b === 0x42);
      expect(isOld || isNew, `after kill at ${when}: ${got.length} bytes, neither old nor new`).toBe(true);
      outcomes.push(isOld ? 'old' : 'new');
    }
    expect(outcomes[0]).toBe('old');
    expect(outcomes[2]).toBe('new');
  });
});
