// The result of the latest of a series of requests (a run to show, runs to compare, the class
// sets of the chosen corpus): an answer or error that arrives after a newer request was made,
// or after clear(), is dropped, so a slow reply never overwrites the current one.
import { messageOf } from './error-message';

export class LatestRequest<T> {
  value = $state.raw<T | null>(null);
  error = $state<string | null>(null);
  loading = $state(false);
  #seq = 0;

  /** Starts a request; `onValue` runs right after its answer is kept, never for a stale one. */
  async run(request: () => Promise<T>, onValue?: (value: T) => void): Promise<void> {
    const n = ++this.#seq;
    this.loading = true;
    this.error = null;
    let value: T;
    try {
      value = await request();
    } catch (err) {
      if (n === this.#seq) {
        this.error = messageOf(err);
        this.value = null;
        this.loading = false;
      }
      return;
    }
    if (n !== this.#seq) return;
    this.value = value;
    this.loading = false;
    onValue?.(value);
  }

  /** Drops the value, the error and any answer still on its way. */
  clear(): void {
    this.#seq++;
    this.value = null;
    this.error = null;
    this.loading = false;
  }
}
