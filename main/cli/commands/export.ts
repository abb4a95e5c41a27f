// `mnemoscope export`: a run's per-delay numbers as CSV or flat JSON (see engine/runs/export-run.ts).
// Goes through the engine's API (runExport), which decides what --out may replace: a new file,
// a regular file, or (written through, at its target) a symbolic link to one; never a folder,
// a FIFO or a device (engine/project/output-file.ts).
import path from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { runCommand } from '../command-runner';
import { withEngine } from '../engine-job';
import { EXPORT_FORMATS, type ExportFormat } from '../../engine/runs/export-run';
import { shown } from '../terminal-text';

interface ExportOpts {
  project: string;
  run: string;
  format: ExportFormat;
  out: string;
  json?: boolean;
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description("write a run's per-delay results (σ₁, Σσ, ratios, SEs, classes, words, properties) as CSV or JSON")
    .requiredOption('--project <dir>', 'the project folder')
    .requiredOption('--run <id>', 'the run id')
    .addOption(new Option('--format <fmt>', 'output format').choices([...EXPORT_FORMATS]).makeOptionMandatory())
    .requiredOption(
      '--out <path>',
      'the file to write: a new file, or an existing regular file (or a symbolic link to one) to replace; never a folder, FIFO or device',
    )
    .option('--json', 'print one JSON object')
    .action(async (opts: ExportOpts) => {
      process.exitCode = await runCommand(opts, async () => {
        const written = await withEngine((engine) =>
          engine.api.runExport({ project: path.resolve(opts.project), run: opts.run, format: opts.format, out: path.resolve(opts.out) }),
        );
        const { run, format, out, target, rows, columns } = written;
        const through = target !== out ? ` (through the symbolic link, to ${shown(target)})` : '';
        return {
          json: { export: written },
          text: `wrote ${shown(out)}${through}: run '${shown(run)}', ${rows} delays × ${columns} columns (${format})`,
        };
      });
    });
}
