// `mnemoscope findings`: does a run agree with the published findings about LSTM memory?
// Goes through the engine's API (runFindings), like the app. Exit code 0 whenever the check
// ran, whatever the findings say; 1 for a user error (no such project or run).
import path from 'node:path';
import type { Command } from 'commander';
import { runCommand } from '../command-runner';
import { createEngine } from '../../engine/handlers/create-engine';
import { formatFindings } from '../format-findings';

interface FindingsOpts {
  project: string;
  run: string;
  json?: boolean;
}

export function registerFindings(program: Command): void {
  program
    .command('findings')
    .description("check a run against the paper's findings: for each, holds / does not hold / cannot tell, with its test and numbers")
    .requiredOption('--project <dir>', 'the project folder')
    .requiredOption('--run <id>', 'the run id')
    .option('--json', 'print one JSON object')
    .action(async (opts: FindingsOpts) => {
      process.exitCode = await runCommand(opts, async () => {
        const engine = createEngine();
        try {
          const result = await engine.api.runFindings({ project: path.resolve(opts.project), run: opts.run });
          return { json: { ...result }, text: formatFindings(result) };
        } finally {
          await engine.close();
        }
      });
    });
}
