// The bundled worker is found from every bundle that starts jobs, including the Electron
// main process (dist/main/electron/main.js) and a packaged app's asar archive.
import { afterEach, describe, it, expect } from 'vitest';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { bundledWorkerCandidates, workerScript, WORKER_SCRIPT_ENV } from '../../../main/engine/jobs/run-in-worker';

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

describe('workerScript', () => {
  const saved = process.env[WORKER_SCRIPT_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[WORKER_SCRIPT_ENV];
    else process.env[WORKER_SCRIPT_ENV] = saved;
  });

  it('runs the TS source through tsx when nothing else is asked', () => {
    delete process.env[WORKER_SCRIPT_ENV];
    expect(path.basename(workerScript().file)).toBe('tsx-worker.mjs');
  });

  it(`takes the script named by ${WORKER_SCRIPT_ENV}, and refuses one that does not exist`, () => {
    const file = fileURLToPath(import.meta.url);
    process.env[WORKER_SCRIPT_ENV] = file;
    expect(workerScript().file).toBe(file);
    process.env[WORKER_SCRIPT_ENV] = path.join(path.dirname(file), 'no-such-worker.js');
    expect(() => workerScript()).toThrow(/no-such-worker\.js/);
  });
});
