// The typed messages between a job's owner and the worker thread that runs it.
// Every message carries the job's sequence number; errors cross as plain
// {name, message, stack} because Error objects do not survive structured cloning intact.

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

export interface StartMessage {
  kind: 'start';
  seq: number;
  task: string;
  params: unknown;
  /** Int32Array over a SharedArrayBuffer; element 0 becomes 1 on cancel. */
  cancelFlag: SharedArrayBuffer;
}

export type WorkerMessage =
  | { kind: 'progress'; seq: number; progress: unknown }
  | { kind: 'log'; seq: number; line: string }
  | { kind: 'done'; seq: number; result: unknown }
  | { kind: 'cancelled'; seq: number; result?: unknown }
  | { kind: 'failed'; seq: number; error: SerializedError };

export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { name: 'Error', message: String(err) };
}
