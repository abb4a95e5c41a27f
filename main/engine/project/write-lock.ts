// One writer per project at a time: writers in this thread queue behind each other,
// other threads and processes are kept out by the lock file. Nested calls from inside
// a locked section run directly, so store methods can be composed under one lock.
import { AsyncLocalStorage } from 'node:async_hooks';
import { acquireLockFile, releaseLockFile } from './project-lock';

const held = new AsyncLocalStorage<ReadonlySet<string>>();
const queues = new Map<string, Promise<void>>();

/** Run `fn` while holding the lock file `lockFile`. */
export async function withLockFile<T>(
  lockFile: string,
  opts: { waitMs: number; projectDir: string },
  fn: () => Promise<T>,
): Promise<T> {
  const outer = held.getStore();
  if (outer?.has(lockFile)) return fn();

  // In-thread queue first: our own writers wait their turn instead of failing on the file.
  const previous = queues.get(lockFile) ?? Promise.resolve();
  let done!: () => void;
  const mine = new Promise<void>((resolve) => (done = resolve));
  const tail = previous.then(() => mine);
  queues.set(lockFile, tail);
  await previous;
  try {
    await acquireLockFile(lockFile, opts);
    try {
      return await held.run(new Set([...(outer ?? []), lockFile]), fn);
    } finally {
      await releaseLockFile(lockFile);
    }
  } finally {
    done();
    if (queues.get(lockFile) === tail) queues.delete(lockFile);
  }
}
