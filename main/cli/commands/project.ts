// `mnemoscope project create|show|delete`: the project folder itself and what it holds.
import path from 'node:path';
import type { Command } from 'commander';
import { runCommand } from '../command-runner';
import { createProject, openProject } from '../../engine/project';
import type { ItemKind } from '../../../shared/schemas/project';

interface ProjectOpts {
  project: string;
  json?: boolean;
}

export function registerProject(program: Command): void {
  const project = program.command('project').description('create and inspect analysis projects');

  project
    .command('create')
    .description('create a new, empty project folder')
    .requiredOption('--project <dir>', 'the project folder (created if missing; must be empty)')
    .requiredOption('--name <name>', 'a display name for the project')
    .option('--json', 'print one JSON object')
    .action(async (opts: ProjectOpts & { name: string }) => {
      process.exitCode = await runCommand(opts, async () => {
        const store = await createProject(path.resolve(opts.project), opts.name);
        return {
          json: { project: store.dir, manifest: store.manifest },
          text: `created project '${store.name}' in ${store.dir}`,
        };
      });
    });

  project
    .command('show')
    .description('list the corpora, models and runs of a project')
    .requiredOption('--project <dir>', 'the project folder')
    .option('--json', 'print one JSON object')
    .action(async (opts: ProjectOpts) => {
      process.exitCode = await runCommand(opts, async () => {
        const store = await openProject(path.resolve(opts.project));
        const m = await store.readManifest();
        const runs = await store.listRuns();
        const lines = [`${m.name} (${store.dir})`];
        for (const [label, list] of [['corpora', m.corpora], ['models', m.models]] as const) {
          lines.push(`${label}: ${list.length ? list.map((e) => e.id).join(', ') : '(none)'}`);
        }
        lines.push(
          `runs: ${
            runs.length
              ? runs
                  .map((r) => r.id + (r.missing.model ? ' (model deleted)' : '') + (r.missing.corpus ? ' (corpus deleted)' : ''))
                  .join(', ')
              : '(none)'
          }`,
        );
        return { json: { project: store.dir, manifest: m, runs }, text: lines.join('\n') };
      });
    });

  for (const kind of ['corpus', 'model', 'run'] as const satisfies readonly ItemKind[]) {
    project
      .command(`delete-${kind}`)
      .description(`delete a ${kind} from the project (runs that used it stay readable)`)
      .requiredOption('--project <dir>', 'the project folder')
      .requiredOption('--id <id>', `the ${kind} id`)
      .option('--json', 'print one JSON object')
      .action(async (opts: ProjectOpts & { id: string }) => {
        process.exitCode = await runCommand(opts, async () => {
          const store = await openProject(path.resolve(opts.project));
          await store.deleteItem(kind, opts.id);
          return { json: { deleted: { kind, id: opts.id } }, text: `deleted ${kind} '${opts.id}'` };
        });
      });
  }
}
