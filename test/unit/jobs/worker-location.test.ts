// The bundled worker is found from every bundle that starts jobs, including the Electron
// main process (dist/main/electron/main.js) and a packaged app's asar archive.
import { describe, it, expect } from 'vitest';
import path from 'node:path';
import { bundledWorkerCandidates } from '../../../main/engine/jobs/run-in-worker';

const p = (...parts: string[]) => path.join(path.sep, ...parts);

describe('bundledWorkerCandidates', () => {
  it('from the CLI bundle, the worker beside it', () => {
    expect(bundledWorkerCandidates(p('app', 'dist', 'main', 'cli.js'))).toContain(p('app', 'dist', 'main', 'worker.js'));
  });

  it('from the Electron main bundle, the worker one folder up', () => {
    expect(bundledWorkerCandidates(p('app', 'dist', 'main', 'electron', 'main.js'))).toContain(p('app', 'dist', 'main', 'worker.js'));
  });

  it('inside a packaged app, the unpacked copy next to the asar archive', () => {
    const c = bundledWorkerCandidates(p('opt', 'Mnemoscope', 'resources', 'app.asar', 'dist', 'main', 'electron', 'main.js'));
    expect(c).toContain(p('opt', 'Mnemoscope', 'resources', 'app.asar.unpacked', 'dist', 'main', 'worker.js'));
    expect(c.every((x) => !x.includes(`app.asar${path.sep}`))).toBe(true);
  });
});
