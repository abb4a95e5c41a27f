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
  /** The caller's CancelToken (its `shared` flags), rebuilt in the worker with CancelToken.fromShared. */
  cancelFlags: SharedArrayBuffer[];
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

/**
 * The ArrayBuffers a result owns outright (typed arrays that span their whole buffer), so
 * the worker can hand them over instead of copying: a sweep's float64 sums are ~100 MB
 * per worker at H = E = 200, and the copy ran on the driver's critical path. Shared
 * buffers and views into a larger buffer (e.g. the wasm heap) are left to be copied.
 */
export function transferablesOf(value: unknown): ArrayBuffer[] {
  const found = new Set<ArrayBuffer>();
  const seen = new Set<object>();
  const visit = (v: unknown, depth: number): void => {
    if (v === null || typeof v !== 'object' || depth > 8 || seen.has(v)) return;
    seen.add(v);
    if (ArrayBuffer.isView(v)) {
      const buf = v.buffer;
      if (buf instanceof ArrayBuffer && v.byteOffset === 0 && v.byteLength === buf.byteLength && buf.byteLength > 0) found.add(buf);
      return;
    }
    if (v instanceof ArrayBuffer || v instanceof SharedArrayBuffer) return;
    for (const child of Array.isArray(v) ? v : Object.values(v)) visit(child, depth + 1);
  };
  visit(value, 0);
  return [...found];
}
