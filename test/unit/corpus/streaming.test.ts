// A large plain-text corpus imports in constant memory: text is written out as it is read.
import { describe, it, expect } from 'vitest';
import { promises as fs, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { importCorpus } from '../../../main/engine/corpus/import-corpus';
import { stagingDir, tempDir } from './helpers';

// Forced collections make the heap measure what is retained, not what is garbage yet.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const FILE_BYTES = 50 << 20;

async function writeBigCorpus(file: string): Promise<number> {
  const words = Array.from({ length: 5000 }, (_, i) => `w${(i * 7919).toString(36)}`);
  const out = createWriteStream(file);
  let bytes = 0;
  let seed = 1;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  while (bytes < FILE_BYTES) {
    const lines: string[] = [];
    for (let l = 0; l < 2000; l++) {
      const n = 5 + (next() % 25);
      const s: string[] = [];
      for (let k = 0; k < n; k++) s.push(words[next() % words.length]);
      lines.push(s.join(' '));
    }
    const chunk = lines.join('\n') + '\n';
    bytes += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
  return bytes;
}

describe('streaming import', () => {
  it('imports a ~50 MB plain-text file with bounded heap growth', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'big.txt');
    const size = await writeBigCorpus(file);
    const { out } = await stagingDir();
    gc();
    const base = process.memoryUsage().heapUsed;
    let retained = 0;
    let calls = 0;
    const t0 = performance.now();
    const m = await importCorpus({ kind: 'file', path: file }, { id: 'big' }, out, () => {
      if (++calls % 25 === 0) {
        gc();
        retained = Math.max(retained, process.memoryUsage().heapUsed - base);
      }
    });
    const seconds = (performance.now() - t0) / 1000;
    const tokens = m.stats.splits.train.tokens + m.stats.splits.valid.tokens + m.stats.splits.test.tokens;
    console.log(
      `streaming import: ${(size / 2 ** 20).toFixed(0)} MB, ${tokens} tokens in ${seconds.toFixed(1)} s; ` +
        `largest retained heap growth ${(retained / 2 ** 20).toFixed(1)} MB over ${calls} progress reports`,
    );
    expect(calls).toBeGreaterThan(100);
    expect(retained).toBeLessThan(size / 4);
    const written = await fs.stat(path.join(out, 'train.tokens.txt'));
    expect(written.size).toBeGreaterThan(size * 0.75);
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rm(path.dirname(out), { recursive: true, force: true });
  });
});
