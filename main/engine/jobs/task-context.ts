// What a task sees while it runs, in a worker thread or in-process, and the typed name
// by which callers start it (TaskRef).
import { CancelToken } from '../cancel-token';

export interface TaskContext<P = unknown> {
  /** Report progress; cheap, call it as often as useful (the owner throttles display). */
  progress(p: P): void;
  log(line: string): void;
  /** Set once cancel was requested (by the caller or any owner above it); check between steps and stop cleanly. */
  readonly cancel: CancelToken;
}

export type TaskFn<Params = unknown, Result = unknown, Progress = unknown> = (
  params: Params,
  ctx: TaskContext<Progress>,
) => Promise<Result>;

/**
 * A task's name with its params, result and progress types: runInWorker(ref, params) is
 * typed from it. Each module that offers a task defines its ref in its own tasks.ts (light:
 * types only), and main/engine/worker/task-registry.ts binds each ref to its code, checked by the compiler.
 */
export interface TaskRef<Params, Result, Progress = never> {
  readonly name: string;
  /** phantom: carries the types only */
  readonly types?: { params: Params; result: Result; progress: Progress };
}

export function defineTask<Params, Result, Progress = never>(name: string): TaskRef<Params, Result, Progress> {
  return { name };
}

/** A context for running a task in the calling thread (tests, tiny jobs). */
export function inProcessContext<P>(
  onProgress?: (p: P) => void,
  cancel: CancelToken = CancelToken.create(),
  onLog?: (line: string) => void,
): TaskContext<P> {
  return {
    progress: (p) => onProgress?.(p),
    log: (line) => onLog?.(line),
    cancel,
  };
}
