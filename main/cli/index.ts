// The mnemoscope command line: the same engine as the desktop app, for scripts and servers.
import { Command, CommanderError } from 'commander';
import { APP } from '../engine/app-version';
import { acceptQuiet, EXIT_USER } from './command-runner';
import { printable } from './terminal-text';
import { registerInfo } from './commands/info';
import { registerProject } from './commands/project';
import { registerCorpus } from './commands/corpus';
import { registerModel } from './commands/model';
import { registerAnalyze } from './commands/analyze';
import { registerAblate } from './commands/ablate';
import { registerMerge } from './commands/merge';
import { registerExport } from './commands/export';
import { registerFindings } from './commands/findings';
import { registerSynthetic } from './commands/synthetic';
import { registerServe } from './commands/serve';
import { registerDemo } from './commands/demo';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('mnemoscope')
    .description('What a recurrent language model remembers, and for how long (state-gradient analysis).')
    .version(APP.version)
    .showHelpAfterError('(run with --help for usage)')
    // Subcommands inherit these only if they are set before they are added.
    .exitOverride()
    // A subcommand's --help lists --quiet too.
    .configureHelp({ showGlobalOptions: true })
    // Commander's own messages quote option values as given: escape their control characters too.
    .configureOutput({ outputError: (text, write) => write(printable(text)) });
  acceptQuiet(program);
  registerProject(program);
  registerCorpus(program);
  registerModel(program);
  registerAnalyze(program);
  registerAblate(program);
  registerMerge(program);
  registerExport(program);
  registerFindings(program);
  registerSynthetic(program);
  registerInfo(program);
  registerServe(program);
  registerDemo(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; usage errors are user errors (exit 1).
      if (err.exitCode === 0) {
        process.exitCode = 0;
        return;
      }
      if (argv.includes('--json')) {
        process.stdout.write(JSON.stringify({ ok: false, error: { kind: 'user', message: err.message } }) + '\n');
      }
      process.exitCode = EXIT_USER;
      return;
    }
    throw err;
  }
}

await main(process.argv);
