// `mnemoscope project create|show|delete`: the project folder itself and what it holds.
// `show` and `delete-*` go through the engine's API (projectInfo, the corpus, model and run
// lists, the delete procedures, projectCreate), so what they report about broken items, and
// which errors are the user's, is what every other view of the project reports. `create`
// leaves the app's recent projects as they are (projectCreate's remember: false).
import path from 'node:path';
import type { Command } from 'commander';
import { runCommand } from '../command-runner';
import { withEngine } from '../engine-job';
import type { Engine } from '../../engine/handlers/create-engine';
import type { ItemKind } from '../../../shared/schemas/project';
import { shown } from '../terminal-text';

/** An item of a project, as the delete procedures take it. */
interface ItemRef {
  project: string;
  id: string;
}

/** What `project show` needs of a listed item. */
interface ShownItem {
  id: string;
  problem?: string | null;
  missing?: { model?: true; corpus?: true };
  /** a partial run: shard index/count of a sweep, to be merged */
  shard?: { index: number; count: number };
  /** a run's kind: a context ablation is marked as one (a sweep is the default) */
  kind?: 'sweep' | 'ablation';
}

/** `corpora: a, b [broken]` and the problem lines of the broken ones. */
function itemLines(label: string, kind: ItemKind, items: readonly ShownItem[]): { line: string; problems: string[] } {
  const marked = items.map((e) => {
    const notes = [
      ...(e.problem ? ['broken'] : []),
      ...(e.shard ? [`partial: shard ${e.shard.index}/${e.shard.count}`] : []),
      ...(e.kind === 'ablation' ? ['context ablation'] : []),
      ...(e.missing?.model ? ['model deleted'] : []),
      ...(e.missing?.corpus ? ['corpus deleted'] : []),
    ];
    return shown(e.id) + (notes.length ? ` (${notes.join(', ')})` : '');
  });
  const problems = items.filter((e) => e.problem).map((e) => `  ${kind} '${shown(e.id)}': ${shown(e.problem ?? '')}`);
  return { line: `${label}: ${marked.length ? marked.join(', ') : '(none)'}`, problems };
}

/** The API's delete procedure of each kind of item. */
const deleteItem = {
  corpus: (engine: Engine, ref: ItemRef) => engine.api.corpusDelete(ref),
  model: (engine: Engine, ref: ItemRef) => engine.api.modelDelete(ref),
  run: (engine: Engine, ref: ItemRef) => engine.api.runDelete(ref),
} satisfies Record<ItemKind, (engine: Engine, ref: ItemRef) => Promise<unknown>>;

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
        const { dir, manifest } = await withEngine((engine) =>
          engine.api.projectCreate({ dir: path.resolve(opts.project), name: opts.name, remember: false }),
        );
        return {
          json: { project: dir, manifest },
          text: `created project '${shown(manifest.name)}' in ${shown(dir)}`,
        };
      });
    });

  project
    .command('show')
    .description('list the corpora, models and runs of a project, and what is wrong with any broken one')
    .requiredOption('--project <dir>', 'the project folder')
    .option('--json', 'print one JSON object')
    .action(async (opts: ProjectOpts) => {
      process.exitCode = await runCommand(opts, async () => {
        const project = path.resolve(opts.project);
        const { dir, manifest, corpusList, models, runs } = await withEngine(async (engine) => {
          const info = await engine.api.projectInfo({ project });
          const [corpusList, models, runs] = await Promise.all([
            engine.api.corpusList({ project }),
            engine.api.modelList({ project }),
            engine.api.runList({ project }),
          ]);
          return { ...info, corpusList, models, runs };
        });
        // corpus.json in full is for `corpus show`; here each corpus's entry and problem.
        const corpora = corpusList.map(({ corpus: _manifest, ...entry }) => entry);
        const parts = [
          itemLines('corpora', 'corpus', corpora),
          itemLines('models', 'model', models),
          itemLines('runs', 'run', runs),
        ];
        const problems = parts.flatMap((p) => p.problems);
        const lines = [`${shown(manifest.name)} (${shown(dir)})`, ...parts.map((p) => p.line)];
        if (problems.length) lines.push(`broken items (${problems.length}):`, ...problems);
        return { json: { project: dir, manifest, corpora, models, runs }, text: lines.join('\n') };
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
          const ref = { project: path.resolve(opts.project), id: opts.id };
          await withEngine((engine) => deleteItem[kind](engine, ref));
          return { json: { deleted: { kind, id: opts.id } }, text: `deleted ${kind} '${opts.id}'` };
        });
      });
  }
}
