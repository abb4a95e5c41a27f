// What a task sees while it runs, in a worker thread or in-process.

export interface TaskContext<P = unknown> {
  /** Report progress; cheap, call it as often as useful (the owner throttles display). */
  progress(p: P): void;
  log(line: string): void;
  /** True once cancel was requested; check between steps and stop cleanly. */
  isCancelled(): boolean;
}

export type TaskFn<Params = unknown, Result = unknown, Progress = unknown> = (
  params: Params,
  ctx: TaskContext<Progress>,
) => Promise<Result>;

/** A context for running a task in the calling thread (tests, tiny jobs). */
export function inProcessContext<P>(
  onProgress?: (p: P) => void,
  signal?: AbortSignal,
  onLog?: (line: string) => void,
): TaskContext<P> {
  return {
    progress: (p) => onProgress?.(p),
    log: (line) => onLog?.(line),
    isCancelled: () => signal?.aborted ?? false,
  };
}
