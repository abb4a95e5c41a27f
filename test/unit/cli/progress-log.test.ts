// Progress in logs (issue 11): with stderr not a terminal, a plain line at the first report, then
// at most one every 30 s, and one at each training epoch's end; --quiet silences it, a terminal
// still gets the bar. Run through runCommand with a stand-in stderr and a fake clock, so the
// 30 s are not waited for. The real `mnemoscope` with stderr piped: test/integration/cli-progress.test.ts.
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { acceptQuiet, runCommand, type CommandIO } from '../../../main/cli/command-runner';
import { progressLine, renderBar, type ProgressOptions } from '../../../main/cli/progress-bar';
import { trainProgress } from '../../../main/cli/commands/model';
import type { TrainProgress } from '../../../shared/schemas/model';
import { UserError } from '../../../main/engine/errors';

/** A stand-in for stderr that records what is written, a clock the test moves, and the first line's timer. */
function fakeStderr(terminal: boolean) {
  const chunks: string[] = [];
  let now = 1_000_000;
  const timers: { at: number; fn: () => void }[] = [];
  const options: ProgressOptions = {
    stream: { write: (c: string) => chunks.push(c), isTTY: terminal, columns: 120 },
    now: () => now,
    later: (fn, ms) => {
      const timer = { at: now + ms, fn };
      timers.push(timer);
      return () => timers.splice(timers.indexOf(timer), 1);
    },
  };
  return {
    options,
    chunks,
    timers,
    lines: () => chunks.join('').split('\n').filter((l) => l !== ''),
    /** Moves the clock, firing the timers that fall due. */
    advance: (seconds: number) => {
      now += seconds * 1000;
      for (const t of timers.filter((x) => x.at <= now)) {
        timers.splice(timers.indexOf(t), 1);
        t.fn();
      }
    },
  };
}

/** Runs a command body under runCommand with stdout and process.stderr captured (results and info lines). */
async function run(
  options: { json?: boolean; quiet?: boolean },
  body: (io: CommandIO) => Promise<void>,
  progress: ProgressOptions,
): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
    stdout += String(c);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await runCommand(options, async (io) => {
      await body(io);
      return { json: { done: true }, text: 'result' };
    }, progress);
    return { code, stdout };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

const ESC = '\u001b';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('progress lines when stderr is not a terminal', () => {
  it('a first line 5 s in, none before 30 s more of fake time, one after; plain text', async () => {
    const s = fakeStderr(false);
    const r = await run({}, async (io) => {
      io.progress({ fraction: 0, label: 'reading the model and the corpus', secondsLeft: null });
      s.advance(4.9);
      expect(s.chunks).toEqual([]);
      s.advance(0.1); // the timer prints the latest report, though no new one came
      expect(s.lines()).toEqual(['reading the model and the corpus — 0.0 %']);
      expect(s.timers).toEqual([]);
      for (let i = 1; i <= 29; i++) {
        s.advance(1);
        io.progress({ fraction: i / 100, label: `accumulating: ${i}/100 positions, 1.0/s`, secondsLeft: 100 - i });
      }
      expect(s.lines()).toHaveLength(1);
      s.advance(1);
      io.progress({ fraction: 0.3, label: 'accumulating: 30/100 positions, 1.0/s', secondsLeft: 70 });
      expect(s.lines()).toEqual([
        'reading the model and the corpus — 0.0 %',
        'accumulating: 30/100 positions, 1.0/s — 30.0 %, 1 min 10 s left',
      ]);
      // The interval counts from the last line.
      s.advance(29.9);
      io.progress({ fraction: 0.6, label: 'later', secondsLeft: 40 });
      expect(s.lines()).toHaveLength(2);
      s.advance(0.1);
      io.progress({ fraction: 0.6, label: 'later', secondsLeft: 40 });
      expect(s.lines()).toHaveLength(3);
    }, s.options);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('result\n'); // never on stdout
    const all = s.chunks.join('');
    expect(all.includes('\r') || all.includes(ESC)).toBe(false);
    expect(all.endsWith('\n')).toBe(true);
  });

  it('the first report after 5 s prints at once; a command over within 5 s prints no progress line', async () => {
    const slow = fakeStderr(false);
    await run({}, async (io) => {
      slow.advance(6);
      io.progress({ fraction: 0.1, label: 'prepared' });
    }, slow.options);
    expect(slow.lines()).toEqual(['prepared — 10.0 %']);

    const refused = fakeStderr(false);
    let stderr = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
      stderr += String(c);
      return true;
    });
    const code = await runCommand({}, async (io) => {
      io.progress({ fraction: 0, label: 'reading the model and the corpus' });
      refused.advance(1);
      throw new UserError('layer 3 does not exist');
    }, refused.options);
    refused.advance(10);
    expect(code).toBe(1);
    expect(refused.chunks).toEqual([]);
    expect(refused.timers).toEqual([]);
    expect(stderr).toBe('mnemoscope: layer 3 does not exist\n');
  });

  it('a line holds the label, the fraction, the rate and the time left in prose; control characters in the label are escaped', () => {
    expect(progressLine({ fraction: 0.23456, label: 'epoch 3/39 train 120/500', rate: { perSecond: 1460.4, unit: 'tokens' }, secondsLeft: 7500 })).toBe(
      'epoch 3/39 train 120/500 — 23.5 %, 1,460 tokens/s, 2 h 05 min left',
    );
    expect(progressLine({ fraction: 0.99999, label: 'x', rate: { perSecond: 12.345, unit: 'positions' } })).toBe('x — 99.9 %, 12.3 positions/s');
    expect(progressLine({ fraction: 2 / 3, label: 'x' })).toBe('x — 66.7 %');
    expect(progressLine({ fraction: 1, label: 'x', secondsLeft: 0 })).toBe('x — 100.0 %, < 1 s left');
    expect(progressLine({ fraction: null, label: 'counting' })).toBe('counting');
    const s = fakeStderr(false);
    return run({}, async (io) => {
      s.advance(5);
      io.progress({ fraction: 0.5, label: `a\nb${ESC}[31mred` });
    }, s.options).then(() => {
      expect(s.chunks.join('')).toBe('a\\nb\\e[31mred — 50.0 %\n');
    });
  });

  it('an epoch end forces a line with phase, fraction, rate and time left, within the 30 s', async () => {
    const s = fakeStderr(false);
    const base: TrainProgress = {
      phase: 'train', epoch: 1, epochs: 4, batch: 1, batchesPerEpoch: 100, tokensPerSecond: 1460,
      trainLoss: Math.log(300), learningRate: 1, secondsLeft: 400, bestEpoch: null,
    };
    await run({ json: true }, async (io) => {
      const report = trainProgress(io);
      report(base);
      s.advance(5);
      report({ ...base, batch: 50 });
      s.advance(5);
      report({ ...base, phase: 'valid', batch: 100, validPerplexity: 250.123, secondsLeft: 300, bestEpoch: 1 });
    }, s.options);
    expect(s.lines()).toEqual([
      'epoch 1/4 train 1/100, ppl 300.0 — 0.3 %, 1,460 tokens/s, 6 min 40 s left',
      'epoch 1/4 done: valid perplexity 250.12 (lr 1.00) — 25.0 %, 1,460 tokens/s, 5 min 00 s left',
    ]);
  });

  it('--quiet gives no line, the epoch end included, and no bar on a terminal; the result still prints', async () => {
    for (const terminal of [false, true]) {
      const s = fakeStderr(terminal);
      const r = await run({ quiet: true }, async (io) => {
        io.progress({ fraction: 0.1, label: 'working' });
        s.advance(60);
        io.progress({ fraction: 0.5, label: 'working' });
        io.milestone({ fraction: 0.5, label: 'epoch 1/2 done' });
      }, s.options);
      expect(s.chunks).toEqual([]);
      expect(r.stdout).toBe('result\n');
    }
  });

  it('--quiet is taken before the subcommand and after it', async () => {
    const seen: (boolean | undefined)[] = [];
    const program = acceptQuiet(new Command().name('mnemoscope').exitOverride());
    program
      .command('work')
      .option('--json')
      .action((opts: { quiet?: boolean }) => {
        seen.push(opts.quiet);
      });
    await program.parseAsync(['node', 'mnemoscope', '--quiet', 'work']);
    await program.parseAsync(['node', 'mnemoscope', 'work', '--json', '--quiet']);
    const plain = acceptQuiet(new Command().name('mnemoscope').exitOverride());
    plain.command('work').action((opts: { quiet?: boolean }) => {
      seen.push(opts.quiet);
    });
    await plain.parseAsync(['node', 'mnemoscope', 'work']);
    expect(seen).toEqual([true, true, undefined]);
  });
});

describe('on a terminal', () => {
  it('still draws the bar in place, and an epoch end as a line of its own', async () => {
    const s = fakeStderr(true);
    await run({}, async (io) => {
      io.progress({ fraction: 0.25, label: 'epoch 1/2 train 5/10', rate: { perSecond: 900, unit: 'tokens' }, secondsLeft: 65 });
      io.milestone({ fraction: 0.5, label: 'epoch 1/2 done', rate: { perSecond: 900, unit: 'tokens' }, secondsLeft: 60 });
    }, s.options);
    const bar = renderBar({ fraction: 0.25, label: 'epoch 1/2 train 5/10', rate: { perSecond: 900, unit: 'tokens' }, secondsLeft: 65 });
    expect(bar).toContain(' 25%  epoch 1/2 train 5/10, 900 tokens/s  01:05 left');
    expect(s.chunks[0]).toBe(`\r${bar}${ESC}[K`);
    expect(s.chunks.slice(1)).toEqual([`\r${ESC}[K`, 'epoch 1/2 done — 50.0 %, 900 tokens/s, 1 min 00 s left\n']);
  });
});
