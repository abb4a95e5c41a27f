// Every file the engine reads is opened so that it cannot block: a FIFO, a socket, a device
// or a folder is refused at once with a message naming it, a symlink to a regular file is
// read through, and whole-file reads stop at their size limit.
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readLineBatches } from '../../../main/engine/corpus/text-lines';
import { readTextFile } from '../../../main/engine/project/read-json';
import { openRegularFile, readRegularFile, readRegularTextFile } from '../../../main/engine/project/safe-open';
import { formatBytes } from '../../../shared/format';
import { readNpy } from '../../../main/engine/project/npy';
import { readVocabularyFile } from '../../../main/engine/model/vocab-file';
import { hasFifos, literal, makeFifo, releaseFifos, settlesWithin } from './fifo';

let dir: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mnemo-safe-open-'));
});
afterEach(releaseFifos);
afterAll(async () => {
  releaseFifos();
  await fs.rm(dir, { recursive: true, force: true });
});

describe.runIf(hasFifos)('opening files that are not regular files', () => {
  it('refuses a FIFO at once, in every reader, naming the path', async () => {
    const fifo = makeFifo(path.join(dir, 'pipe.json'));
    const fifoMessage = new RegExp(`^${literal(fifo)}: is a FIFO \\(named pipe\\), not a regular file`);
    await expect(settlesWithin(openRegularFile(fifo), 2000)).rejects.toThrow(fifoMessage);
    await expect(settlesWithin(readRegularFile(fifo), 2000)).rejects.toThrow(fifoMessage);
    await expect(settlesWithin(readTextFile(fifo, 'model.json'), 2000)).rejects.toThrow(/is a FIFO \(named pipe\), not a regular file; expected a model\.json/);
    await expect(settlesWithin(readVocabularyFile(fifo), 2000)).rejects.toThrow(fifoMessage);
    await expect(settlesWithin(readNpy(fifo), 2000)).rejects.toThrow(fifoMessage);
    const lines = (async () => {
      for await (const batch of readLineBatches(fifo)) void batch;
    })();
    await expect(settlesWithin(lines, 2000)).rejects.toThrow(fifoMessage);
  });

  it('four FIFO reads at once leave the thread pool free for other file calls', async () => {
    const pipes = [1, 2, 3, 4].map((i) => makeFifo(path.join(dir, `p${i}`)));
    const refused = Promise.allSettled(pipes.map((p) => readRegularTextFile(p)));
    const other = path.join(dir, 'other.txt');
    await fs.writeFile(other, 'still here\n');
    expect(await settlesWithin(readRegularTextFile(other), 2000)).toBe('still here\n');
    const results = await settlesWithin(refused, 2000);
    expect(results.every((r) => r.status === 'rejected' && /is a FIFO/.test(String(r.reason)))).toBe(true);
  });

  it('refuses a socket, a character device and a folder, saying which', async () => {
    const sock = path.join(dir, 's.sock');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(sock, resolve));
    try {
      await expect(settlesWithin(readRegularTextFile(sock), 2000)).rejects.toThrow(/s\.sock: is a socket/);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await expect(readRegularTextFile('/dev/null', { what: 'vocabulary file' })).rejects.toThrow(
      /^\/dev\/null: is a character device, not a regular file; expected a vocabulary file$/,
    );
    await expect(readRegularTextFile(dir)).rejects.toThrow(/: is a folder, not a regular file/);
  });

  it('reads through a symbolic link to a regular file, and refuses one to a FIFO', async () => {
    const target = path.join(dir, 'real.txt');
    await fs.writeFile(target, 'words\n');
    const link = path.join(dir, 'link.txt');
    await fs.symlink(target, link);
    expect(await readRegularTextFile(link)).toBe('words\n');
    const toFifo = path.join(dir, 'link-to-fifo');
    await fs.symlink(makeFifo(path.join(dir, 'linked-pipe')), toFifo);
    await expect(settlesWithin(readRegularTextFile(toFifo), 2000)).rejects.toThrow(/link-to-fifo: is a FIFO/);
  });
});

describe('whole-file reads', () => {
  it('refuse a file over the size limit, naming it and both sizes', async () => {
    const file = path.join(dir, 'big.json');
    await fs.writeFile(file, 'x'.repeat(200));
    await expect(readRegularTextFile(file, { what: 'model.json', maxBytes: 100 })).rejects.toThrow(
      `${file}: too large for a model.json (200 bytes; the limit is 100 bytes); is this the right file?`,
    );
    await expect(readTextFile(file, 'vocabulary file', 199)).rejects.toThrow(/too large for a vocabulary file/);
    expect(await readRegularTextFile(file, { maxBytes: 200 })).toHaveLength(200);
    expect((await readRegularFile(file)).byteLength).toBe(200);
  });

  it('name a missing file, with the caller’s message when it has one', async () => {
    const missing = path.join(dir, 'nope.json');
    await expect(readRegularTextFile(missing, { what: 'model.json' })).rejects.toThrow(`${missing}: model.json not found`);
    await expect(readRegularTextFile(missing, { missing: 'gone!' })).rejects.toMatchObject({ name: 'UserError', message: 'gone!', code: 'ENOENT' });
  });

  it('reads an empty file as empty', async () => {
    const file = path.join(dir, 'empty.txt');
    await fs.writeFile(file, '');
    expect(await readRegularTextFile(file)).toBe('');
  });

  it('formats sizes for people', () => {
    expect(formatBytes(17)).toBe('17 bytes');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(256 * 1024 ** 2)).toBe('256 MiB');
    expect(formatBytes(4 * 1024 ** 3)).toBe('4 GiB');
    expect(formatBytes(3e19)).toMatch(/EiB$/);
    expect(formatBytes(Infinity)).toBe('an unlimited number of bytes');
  });
});
