// A set of listeners that never lets one listener's failure reach the emitter or the
// other listeners: a UI that went away must not break a job it was watching.

export type ErrorSink = (err: unknown) => void;

export class ListenerSet<T> {
  private readonly listeners = new Set<(value: T) => void>();

  constructor(private readonly onError: ErrorSink) {}

  /** Returns the function that removes the listener (safe to call twice). */
  add(listener: (value: T) => void): () => void {
    // Wrapped so the same function can be added twice and removed once per add.
    const entry = (value: T) => listener(value);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  get size(): number {
    return this.listeners.size;
  }

  emit(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        const returned: unknown = listener(value);
        if (returned instanceof Promise) returned.catch(this.onError);
      } catch (err) {
        this.onError(err);
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
