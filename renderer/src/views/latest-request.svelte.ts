// The result of the latest of a series of requests (a run to show, runs to compare): an
// answer that arrives after a newer request was made is dropped, so a slow reply never
// overwrites the current one.
import { messageOf } from '../lib/state/errors';

export class LatestRequest<T> {
  value = $state.raw<T | null>(null);
  error = $state<string | null>(null);
  loading = $state(false);
  #seq = 0;

  async run(request: () => Promise<T>): Promise<void> {
    const n = ++this.#seq;
    this.loading = true;
    this.error = null;
    try {
      const value = await request();
      if (n === this.#seq) this.value = value;
    } catch (err) {
      if (n === this.#seq) {
        this.error = messageOf(err);
        this.value = null;
      }
    } finally {
      if (n === this.#seq) this.loading = false;
    }
  }

  clear(): void {
    this.#seq++;
    this.value = null;
    this.error = null;
    this.loading = false;
  }
}
