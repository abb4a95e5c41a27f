// `mnemoscope info`: which backend runs, why the others were not chosen, and versions.
// The engine's own answer (engineInfo), as the app shows it.
import { Option, type Command } from 'commander';
import { runCommand } from '../command-runner';
import { withEngine } from '../engine-job';
import { BACKEND_NAMES, type BackendPreference } from '../../engine/model/backend';

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('show the compute backend in use, why others were not chosen, and versions')
    .addOption(new Option('--backend <name>', 'backend to try').choices([...BACKEND_NAMES]).default('auto'))
    .option('--json', 'print one JSON object')
    .action(async (opts: { backend: BackendPreference; json?: boolean }) => {
      process.exitCode = await runCommand(opts, async () => {
        const { app, backend, cuda, system, sweep } = await withEngine((engine) => engine.api.engineInfo({ backend: opts.backend }));
        const lines = [
          `${app.name} ${app.version}`,
          `backend: ${backend.description}`,
          ...backend.attempts.map((a) => `  ${a.ok ? '✓' : '✗'} ${a.backend}: ${a.reason}`),
          `GPU: ${cuda.driver ?? 'no NVIDIA driver found'}; CUDA 11 runtime ${cuda.cudart11 ? 'found' : 'not found'}; cuDNN 8 ${cuda.cudnn8 ? 'found' : 'not found'}`,
          `system: ${system.platform}, ${system.cpus} cores (${system.cpuModel}), ${system.memoryGiB} GiB`,
          ...(sweep ? [`sweep (analyze --engine auto): the ${sweep.path === 'tensor' ? 'tensor' : 'kernel'} path on ${sweep.backend}; ${sweep.reason}`] : []),
          'versions:',
          ...Object.entries(backend.versions).map(([k, v]) => `  ${k} ${v}`),
        ];
        return {
          json: { app, backend, cuda, system, sweep },
          text: lines.join('\n'),
        };
      });
    });
}
