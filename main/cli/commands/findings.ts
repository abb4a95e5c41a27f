// `mnemoscope findings`: does a run agree with the published findings about LSTM memory?
// Goes through the engine's API (runFindings), like the app. Exit code 0 whenever the check
// ran, whatever the findings say; 1 for a user error (no such project or run).
import path from 'node:path';
import type { Command } from 'commander';
import { runCommand } from '../command-runner';
import { withEngine } from '../engine-job';
import { formatFindings } from '../format-findings';

interface FindingsOpts {
  project: string;
  run: string;
  ablation?: string;
  json?: boolean;
}

export function registerFindings(program: Command): void {
  program
    .command('findings')
    .description("check a run against the paper's findings: for each, holds / does not hold / cannot tell, with its test and numbers")
    .requiredOption('--project <dir>', 'the project folder')
    .requiredOption('--run <id>', 'the run id')
    .option('--ablation <id>', 'a context ablation of the same model, corpus and split: adds the row gradient-matches-behaviour')
    .option('--json', 'print one JSON object')
    .action(async (opts: FindingsOpts) => {
      process.exitCode = await runCommand(opts, async () => {
        const result = await withEngine((engine) =>
          engine.api.runFindings({
            project: path.resolve(opts.project),
            run: opts.run,
            ...(opts.ablation !== undefined && { ablation: opts.ablation }),
          }),
        );
        return { json: { ...result }, text: formatFindings(result) };
      });
    });
}
