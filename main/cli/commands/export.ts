// `mnemoscope export`: a run's per-delay numbers as CSV or flat JSON (see engine/runs/export-run.ts).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { runCommand } from '../command-runner';
import { openProject, writeFileAtomic } from '../../engine/project';
import { EXPORT_FORMATS, exportColumns, exportRun, readRunRecord, type ExportFormat } from '../../engine/runs';
import { UserError } from '../../engine/jobs/errors';

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
    .requiredOption('--out <path>', 'the file to write')
    .option('--json', 'print one JSON object')
    .action(async (opts: ExportOpts) => {
      process.exitCode = await runCommand(opts, async () => {
        const store = await openProject(path.resolve(opts.project), { readOnly: true });
        await store.requireItem('run', opts.run);
        const record = await readRunRecord(store.itemDir('run', opts.run));
        const out = path.resolve(opts.out);
        const folder = await fs.stat(path.dirname(out)).catch(() => null);
        if (!folder?.isDirectory()) throw new UserError(`cannot write ${out}: folder ${path.dirname(out)} does not exist`);
        await writeFileAtomic(out, exportRun(record, opts.format));
        const rows = record.summary.delays.length;
        const columns = exportColumns(record).length;
        return {
          json: { export: { run: opts.run, format: opts.format, out, rows, columns } },
          text: `wrote ${out}: run '${opts.run}', ${rows} delays × ${columns} columns (${opts.format})`,
        };
      });
    });
}
