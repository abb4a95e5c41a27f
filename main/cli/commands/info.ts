// `mnemoscope info`: which backend runs, why the others were not chosen, and versions.
import os from 'node:os';
import type { Command } from 'commander';
import { runCommand } from '../command-runner';
import { selectBackend, cudaStatus, BACKEND_NAMES, type BackendPreference } from '../../engine/model/backend';
import { APP } from '../../engine/app-version';

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('show the compute backend in use, why others were not chosen, and versions')
    .option('--backend <name>', `backend to try (${BACKEND_NAMES.join(', ')})`, 'auto')
    .option('--json', 'print one JSON object')
    .action(async (opts: { backend: BackendPreference; json?: boolean }) => {
      process.exitCode = await runCommand(opts, async () => {
        const backend = await selectBackend(opts.backend);
        const cuda = cudaStatus();
        const system = {
          platform: `${os.platform()} ${os.release()} ${os.arch()}`,
          cpus: os.cpus().length,
          cpuModel: os.cpus()[0]?.model ?? 'unknown',
          memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
        };
        const lines = [
          `${APP.name} ${APP.version}`,
          `backend: ${backend.description}`,
          ...backend.attempts.map((a) => `  ${a.ok ? '✓' : '✗'} ${a.backend}: ${a.reason}`),
          `GPU: ${cuda.driver ?? 'no NVIDIA driver found'}; CUDA 11 runtime ${cuda.cudart11 ? 'found' : 'not found'}; cuDNN 8 ${cuda.cudnn8 ? 'found' : 'not found'}`,
          `system: ${system.platform}, ${system.cpus} cores (${system.cpuModel}), ${system.memoryGiB} GiB`,
          'versions:',
          ...Object.entries(backend.versions).map(([k, v]) => `  ${k} ${v}`),
        ];
        return {
          json: { app: APP, backend, cuda, system },
          text: lines.join('\n'),
        };
      });
    });
}
