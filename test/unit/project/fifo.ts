// FIFOs for the tests of non-blocking opens: made with mkfifo, and released afterwards so
// that a regression (a blocking open waiting for a writer) fails a test instead of leaving
// a thread of libuv's pool blocked for the rest of the run.
import { spawnSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';

const made: string[] = [];

/** True where FIFOs exist (not on Windows). */
export const hasFifos = process.platform !== 'win32';

/** A FIFO nobody writes to: a blocking open of it would wait for ever. */
export function makeFifo(file: string): string {
  const r = spawnSync('mkfifo', [file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mkfifo ${file} failed: ${r.stderr}`);
  made.push(file);
  return file;
}

/** Frees any reader blocked in an open of the FIFOs made so far (an O_RDWR open never blocks on Linux). */
export function releaseFifos(): void {
  for (const f of made) {
    try {
      closeSync(openSync(f, constants.O_RDWR | constants.O_NONBLOCK));
    } catch {
      /* removed already */
    }
  }
}

/** Fails instead of hanging when `p` does not settle within `ms`. */
export async function settlesWithin<T>(p: Promise<T>, ms: number, what = 'the call'): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms (blocked in an open?)`)), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A RegExp matching `s` literally. */
export const literal = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
