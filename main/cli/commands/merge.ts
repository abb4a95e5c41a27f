// `mnemoscope merge`: the partial runs of a sharded sweep (`analyze --shard I/N`, on one
// machine or many) into one complete run, through the engine's API (the `merge` job), as the
// app's Merge does. The shards are checked to belong together and are left as they are.
import path from 'node:path';
import type { Command } from 'commander';
import { runCommand } from '../command-runner';
import { runEngineJob, withEngine } from '../engine-job';
import { formatRunTable } from '../../engine/runs/run-table';
import { shown } from '../terminal-text';

interface MergeOpts {
  project: string;
  runs: string;
  id: string;
  name?: string;
  json?: boolean;
  quiet?: boolean;
}

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('merge the partial runs of a sharded sweep (analyze --shard I/N) into one complete run')
    .requiredOption('--project <dir>', 'the project folder')
    .requiredOption('--runs <list>', 'comma-separated ids of the partial runs: every shard 1..N of one sweep, once, in any order')
    .requiredOption('--id <id>', 'an id for the merged run')
    .option('--name <name>', 'a display name')
    .option('--json', 'print one JSON object')
    .action(async (opts: MergeOpts) => {
      process.exitCode = await runCommand(opts, (io) =>
        withEngine(async (engine) => {
          const project = path.resolve(opts.project);
          const runs = opts.runs.split(',').map((r) => r.trim()).filter((r) => r !== '');
          const result = await runEngineJob(engine, 'merge', { project, runs, id: opts.id, ...(opts.name !== undefined && { name: opts.name }) }, io);
          const { record } = await engine.api.runShow({ project, run: result.run.id });
          return {
            json: { run: { dir: result.run.dir, ...record }, shards: result.shards },
            text: `${formatRunTable(record)}\nmerged ${result.shards.length} shards (${result.shards.map(shown).join(', ')}) into run '${shown(record.id)}' in ${shown(result.run.dir)}`,
          };
        }),
      );
    });
}
