// `mnemoscope demo`: installs the demo project (or refreshes it) and prints its folder,
// through the engine's `install-demo` job (which, unlike the app's projectDemo, leaves the
// app's recent projects alone).
import path from 'node:path';
import type { Command } from 'commander';
import { runCommand } from '../command-runner';
import { runEngineJob, withEngine } from '../engine-job';
import { defaultDemoProjectDir } from '../../engine/demo';
import { shown } from '../terminal-text';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('install the demo project (Brown corpus, the authors\' recipe model and a small Adam model, a finished delay sweep of each), or repair it, and print its folder')
    .option('--project <dir>', `the folder (default: ${defaultDemoProjectDir()})`)
    .option('--json', 'print one JSON object')
    .action(async (opts: { project?: string; json?: boolean }) => {
      process.exitCode = await runCommand(opts, async (io) => {
        const dir = opts.project ? path.resolve(opts.project) : defaultDemoProjectDir();
        // The job logs each warning as 'warning: …' (io.info, as before).
        const r = await withEngine((engine) =>
          runEngineJob(engine, 'install-demo', { dir }, io, {
            onProgress: (p) => io.progress({ fraction: p.fraction, label: p.label }),
          }),
        );
        const changes = [...r.added.map((a) => `added ${a}`), ...r.repaired.map((a) => `repaired ${a}`)];
        if (changes.length) io.info(`${r.created ? 'installed' : 'refreshed'} the demo project: ${changes.join(', ')}`);
        return { json: { demo: r }, text: shown(r.dir) };
      });
    });
}
