// Runs `mnemoscope <args>` in this process with the given commands registered, as
// main/cli/index.ts would, and captures what it writes to stdout and stderr.
import { Command } from 'commander';
import { vi } from 'vitest';

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCliInProcess(register: ((program: Command) => void)[], args: string[]): Promise<Ran> {
  const program = new Command().name('mnemoscope').exitOverride();
  for (const r of register) r(program);
  return captureCliRun(() => program.parseAsync(['node', 'mnemoscope', ...args]));
}

/** Runs a CLI entry point (`run`) with stdout and stderr captured, and the exit code it set. */
export async function captureCliRun(run: () => Promise<unknown>): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    process.exitCode = 0;
    await run();
    return { code: Number(process.exitCode ?? 0), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = 0;
  }
}
