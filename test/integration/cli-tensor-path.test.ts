// `mnemoscope analyze --engine tensor --backend cpu` through the real command (bundled CLI,
// the analyze job in a worker thread, the tensor path in its own worker thread, cpu backend):
// the run's arrays equal those of `--engine kernels` (wasm workers) within float32 rounding,
// and the run says which path ran and why. Also the refusals of the new options.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRun, type RunData } from '../../main/engine/runs';
import type { RunArrayName } from '../../shared/schemas/run';
import { relError } from '../unit/gradients/reference-lstm';
import { makeRunProject, type RunProject } from '../unit/runs/helpers';
import { mnemoscope } from './cli-run';

let p: RunProject;

const analyze = (id: string, ...more: string[]) =>
  mnemoscope('analyze', '--project', p.dir, '--model', 'm', '--corpus', 'c', '--id', id, '--streams', '3', '--max-tokens', '62', '--max-delay', '5', '--groups', '2', '--words', 'dog,cats', '--json', ...more);

function dirOf(r: { code: number | null; stdout: string; stderr: string }): string {
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout.trim()) as { run: { dir: string } }).run.dir;
}

let kernels: RunData;
let tensor: RunData;

beforeAll(async () => {
  p = await makeRunProject();
  kernels = await readRun(dirOf(analyze('k', '--engine', 'kernels', '--workers', '2')));
  tensor = await readRun(dirOf(analyze('t', '--engine', 'tensor', '--backend', 'cpu', '--device-memory', '64')));
}, 300_000);
afterAll(async () => {
  await p.cleanup();
});

describe('analyze --engine tensor', () => {
  it('writes the kernel path\'s arrays within float32 rounding', async () => {
    for (const name of ['counts', 'G', 'classG', 'wordG', 'spectrum'] as RunArrayName[]) {
      const a = await tensor.readArray(name);
      const b = await kernels.readArray(name);
      expect(a.shape, name).toEqual(b.shape);
      if (name === 'counts') expect(Array.from(a.data)).toEqual(Array.from(b.data));
      else expect(relError(a.data, b.data), name).toBeLessThan(name === 'spectrum' ? 1e-4 : 2e-5);
    }
  });

  it('says which path and backend ran, why, and the device memory it planned for', () => {
    expect(tensor.record.software).toMatchObject({ path: 'tensor', deviceMemoryMB: 64, deviceMemorySource: 'option', workers: 1 });
    expect(tensor.record.software.pathReason).toContain('engine tensor');
    expect(tensor.record.software.backend).toMatch(/^cpu/);
    expect(kernels.record.software).toMatchObject({ path: 'kernels', workers: 2 });
    expect(kernels.record.software.backend).toMatch(/^wasm/);
  });

  it('refuses an unknown engine and a device memory that is not a positive integer', () => {
    const engine = analyze('x1', '--engine', 'gpu');
    expect(engine.code).toBe(1);
    expect(engine.stderr).toMatch(/--engine/);
    const memory = analyze('x2', '--engine', 'tensor', '--device-memory', '0');
    expect(memory.code).toBe(1);
    expect(memory.stderr).toMatch(/device-memory/);
  });
});
