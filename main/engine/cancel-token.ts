// The one way to ask work to stop, from the caller down to the innermost worker thread.
// A token is a short list of flags in SharedArrayBuffers. The buffers travel to worker
// threads as they are, so a cancel set in the main thread is seen at once by every
// thread below, with no relay and no polling. A child token adds a flag of its own:
// cancelling it stops that subtree only (e.g. the other shares of a sweep after one
// failed), while a cancel of any ancestor, in any thread, still reaches it.
import { JobCancelledError } from './errors';

const newFlag = () => new Int32Array(new SharedArrayBuffer(4));

export class CancelToken {
  private readonly listeners = new Set<() => void>();
  private detach: () => void = () => {};

  /** flags: any one set means cancelled; the last is this token's own (what cancel() sets). */
  private constructor(private readonly flags: readonly Int32Array[]) {}

  /** A fresh token, not cancelled. */
  static create(): CancelToken {
    return new CancelToken([newFlag()]);
  }

  /** The token a worker thread receives (its `shared` buffers), cancelled with the caller's. */
  static fromShared(buffers: readonly SharedArrayBuffer[]): CancelToken {
    if (buffers.length === 0) throw new Error('a cancel token needs at least one flag');
    return new CancelToken(buffers.map((b) => new Int32Array(b)));
  }

  /** At an edge that speaks AbortSignal (a CLI's Ctrl-C): a token cancelled when the signal aborts. */
  static fromSignal(signal: AbortSignal | undefined): CancelToken {
    const token = CancelToken.create();
    if (signal?.aborted) token.cancel();
    else signal?.addEventListener('abort', () => token.cancel(), { once: true });
    return token;
  }

  /** The buffers to send to a worker thread (CancelToken.fromShared there). */
  get shared(): SharedArrayBuffer[] {
    return this.flags.map((f) => f.buffer as SharedArrayBuffer);
  }

  /** True once this token or any ancestor was cancelled, in whichever thread. Cheap: poll it between steps. */
  get cancelled(): boolean {
    for (const f of this.flags) if (Atomics.load(f, 0) !== 0) return true;
    return false;
  }

  cancel(): void {
    if (Atomics.exchange(this.flags[this.flags.length - 1], 0, 1) !== 0) return;
    for (const fn of [...this.listeners]) fn();
  }

  /** Stops the calling task with JobCancelledError once cancelled (partial: what was kept). */
  throwIfCancelled(message?: string, partial?: unknown): void {
    if (this.cancelled) throw new JobCancelledError(message, partial);
  }

  /**
   * Calls fn when cancel() is called on this token or an ancestor in this thread (a cancel
   * set by another thread shows only in `cancelled`). Returns the unsubscribe.
   */
  onCancel(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** A token cancelled with this one, or on its own by its cancel(); release() it when done. */
  child(): CancelToken {
    const child = new CancelToken([...this.flags, newFlag()]);
    child.detach = this.onCancel(() => child.cancel());
    if (this.cancelled) child.cancel();
    return child;
  }

  /** Unhooks a child from its parent's in-thread listeners (its flags still see the parent's). */
  release(): void {
    this.detach();
  }
}
