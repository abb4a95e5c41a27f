// What every CLI command shares: --json output (one JSON object on stdout at the end),
// progress on stderr (a bar on a terminal; in a log a plain line 5 s in, then at most one
// every 30 s; nothing with --quiet: progress-bar.ts), cancel on Ctrl-C, and the exit codes
//   0 success, 1 user error (one-line reason), 2 internal error.
// Everything printed as text goes through printable() (terminal-text.ts): control characters
// in names, paths or messages are shown escaped, never sent raw to the terminal.
import { InvalidArgumentError, type Command } from 'commander';
import { progressSink, type ProgressOptions, type ProgressState } from './progress-bar';
import { isUserError, JobCancelledError } from '../engine/errors';
import { CallFailedError } from '../../shared/call-error';
import { printable, shown } from './terminal-text';

export interface CommandIO {
  progress(state: ProgressState): void;
  /** Progress that stays on its own line, in a log whatever the interval: a training epoch's end. Silenced by --quiet only. */
  milestone(state: ProgressState): void;
  /** A line for people; suppressed under --json. Goes to stderr so stdout stays machine-readable. */
  info(line: string): void;
  signal: AbortSignal;
}

export interface CommandOutcome {
  /** What --json prints. */
  json: Record<string, unknown>;
  /** What a person sees on stdout without --json. */
  text: string;
}

export const EXIT_OK = 0;
export const EXIT_USER = 1;
export const EXIT_INTERNAL = 2;

/**
 * --json changes stdout only; progress goes to stderr with or without it (the bar on a terminal,
 * lines in a log) unless --quiet (the program's option, copied onto the command's by index.ts).
 * `progress` is for tests: a stand-in stream, terminal or not, and a fake clock.
 */
export async function runCommand(
  options: { json?: boolean; quiet?: boolean },
  body: (io: CommandIO) => Promise<CommandOutcome>,
  progress: Omit<ProgressOptions, 'quiet'> = {},
): Promise<number> {
  const bar = progressSink({ ...progress, quiet: options.quiet });
  const abort = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    bar.done();
    process.stderr.write('cancelling… (press Ctrl-C again to quit at once)\n');
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  const io: CommandIO = {
    progress: (s) => bar.update({ ...s, label: shown(s.label) }),
    milestone: (s) => bar.milestone({ ...s, label: shown(s.label) }),
    info: (line) => {
      if (options.json) return;
      bar.done();
      process.stderr.write(printable(line) + '\n');
    },
    signal: abort.signal,
  };
  try {
    const outcome = await body(io);
    bar.end();
    if (options.json) process.stdout.write(JSON.stringify({ ok: true, ...outcome.json }) + '\n');
    else if (outcome.text) {
      const text = printable(outcome.text);
      process.stdout.write(text.endsWith('\n') ? text : text + '\n');
    }
    return EXIT_OK;
  } catch (err) {
    bar.end();
    // Commands that call the engine's API get its failures as CallFailedError, with the kind.
    const kind = err instanceof CallFailedError ? err.kind : null;
    const cancelled = err instanceof JobCancelledError || kind === 'cancelled';
    const user = cancelled || isUserError(err) || kind === 'user';
    const message = err instanceof Error ? err.message : String(err);
    if (options.json) {
      process.stdout.write(
        JSON.stringify({ ok: false, error: { kind: cancelled ? 'cancelled' : user ? 'user' : 'internal', message } }) + '\n',
      );
    }
    if (user) {
      // One line: a line break inside it (a path or name with one) is escaped, not a second line.
      process.stderr.write(`mnemoscope: ${shown(message.trimEnd())}\n`);
      return EXIT_USER;
    }
    process.stderr.write(`mnemoscope: internal error: ${printable(message)}\n`);
    if (err instanceof Error && err.stack && process.env.MNEMOSCOPE_DEBUG) process.stderr.write(err.stack + '\n');
    else process.stderr.write('(set MNEMOSCOPE_DEBUG=1 for the stack trace; please report this)\n');
    return EXIT_INTERNAL;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/**
 * The program's --quiet, accepted before the subcommand or after it (`mnemoscope --quiet train …`,
 * `mnemoscope train … --quiet`): copied onto the command's own options, where runCommand reads it.
 */
export function acceptQuiet(program: Command): Command {
  return program
    .option('--quiet', 'no progress on stderr: neither the bar on a terminal nor the lines in a log (errors still print)')
    .hook('preAction', (_program, command) => {
      if (command.optsWithGlobals().quiet) command.setOptionValue('quiet', true);
    });
}

/** Parses an integer option, with a user error naming the option when it is not one. */
export function intOption(name: string, min = 1): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) {
      throw new InvalidArgumentError(`--${name} must be an integer ≥ ${min}, got '${value}'`);
    }
    return n;
  };
}

export function floatOption(name: string, min = 0): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min) throw new InvalidArgumentError(`--${name} must be a number ≥ ${min}, got '${value}'`);
    return n;
  };
}
