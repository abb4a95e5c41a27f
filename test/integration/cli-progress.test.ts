// Progress in logs (issue 11) through the real `mnemoscope` command with stderr piped, as
// under nohup or in CI: `train` prints plain progress lines on stderr (one at each epoch's end
// with the fraction, tokens/s and the time left), stdout keeps its one JSON line, a command
// over within 5 s prints none, and --quiet silences them. The first line 5 s in and the 30 s
// interval are tested with a fake clock in test/unit/cli/progress-log.test.ts.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mnemoscope } from './cli-run';

let tmp: string;
let project: string;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'mnemoscope-progress-'));
  project = path.join(tmp, 'proj');
  // 400 sentences of 8 words from 40, from a fixed linear congruential sequence.
  let x = 7;
  const next = () => (x = (x * 1103515245 + 12345) % 2147483648);
  const words = Array.from({ length: 40 }, (_, i) => `w${i}`);
  const text = Array.from({ length: 400 }, () => Array.from({ length: 8 }, () => words[next() % 40]).join(' ') + ' .').join('\n');
  await fs.writeFile(path.join(tmp, 'corpus.txt'), text + '\n');
  expect(mnemoscope('project', 'create', '--project', project, '--name', 'Progress').code).toBe(0);
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

/** No carriage return and no ESC: plain text a log keeps. */
const plain = (text: string) => !text.includes('\r') && !text.includes('\u001b');

describe('progress lines on a piped stderr', () => {
  it('a command over within 5 s prints no progress line: corpus add, stdout its one JSON line', () => {
    const r = mnemoscope('corpus', 'add', '--project', project, '--id', 'c', '--file', path.join(tmp, 'corpus.txt'), '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(r.stdout).ok).toBe(true);
    expect(r.stderr).toBe('');
  });

  it('train prints a line at each epoch end with the fraction, tokens/s and the time left; stdout keeps its one JSON line', () => {
    const r = mnemoscope(
      'train', '--project', project, '--corpus', 'c', '--id', 'm', '--epochs', '2', '--emb', '8', '--hidden', '16',
      '--vocab', '50', '--batch', '4', '--bptt', '10', '--seed', '1', '--backend', 'wasm', '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).ok).toBe(true);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(plain(r.stderr), r.stderr).toBe(true);
    const lines = r.stderr.trimEnd().split('\n');
    // A line 5 s in, when training takes that long here, then one per epoch end.
    const ends = lines.filter((l) => / done: /.test(l));
    for (const l of lines.filter((x) => !ends.includes(x))) {
      expect(l).toMatch(/^epoch [12]\/2 train \d+\/\d+, ppl [\d.]+ — [\d.]+ %, [\d,.]+ tokens\/s, .+ left$/);
    }
    expect(ends).toHaveLength(2);
    expect(ends[0]).toMatch(/^epoch 1\/2 done: valid perplexity [\d.]+ \(lr [\d.e+-]+\) — 50\.0 %, [\d,.]+ tokens\/s, .+ left$/);
    expect(ends[1]).toMatch(/^epoch 2\/2 done: valid perplexity [\d.]+ \(lr [\d.e+-]+\) — 100\.0 %, [\d,.]+ tokens\/s, .+ left$/);
  });

  it('--quiet, before or after the subcommand, prints no progress; errors still print', () => {
    const args = ['--project', project, '--corpus', 'c', '--epochs', '1', '--emb', '8', '--hidden', '16', '--vocab', '50', '--batch', '4', '--bptt', '10', '--backend', 'wasm'];
    const before = mnemoscope('--quiet', 'train', ...args, '--id', 'q1');
    expect(before.code, before.stderr).toBe(0);
    expect(before.stderr).toBe('');
    expect(before.stdout).toMatch(/^trained model 'q1'/);
    const after = mnemoscope('train', ...args, '--id', 'q2', '--quiet', '--json');
    expect(after.code, after.stderr).toBe(0);
    expect(after.stderr).toBe('');
    const refused = mnemoscope('train', ...args, '--id', 'q2', '--quiet');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^mnemoscope: .*q2/);
  });
});
