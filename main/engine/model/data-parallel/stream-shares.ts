// Data-parallel training divides the batch's B streams into W contiguous shares, one per
// worker; share sizes differ by at most one. A share is itself a batch (batchify.ts' layout):
// its windows are the rows of the whole batch's windows that belong to its streams, and each
// worker carries its own streams' state from window to window.
import type { Batched } from '../batchify';

export interface StreamShare {
  first: number;
  count: number;
}

/** W contiguous shares of `streams` streams, in order; empty shares are left out. */
export function streamShares(streams: number, workers: number): StreamShare[] {
  const shares: StreamShare[] = [];
  let first = 0;
  for (let w = 0; w < workers; w++) {
    const count = Math.floor(streams / workers) + (w < streams % workers ? 1 : 0);
    if (count > 0) shares.push({ first, count });
    first += count;
  }
  return shares;
}

/** The streams [first, first + count) of a batch, as a batch of their own (a copy). */
export function streamsOf(b: Batched, share: StreamShare): Batched {
  const data = b.data.slice(share.first * b.length, (share.first + share.count) * b.length);
  return { batch: share.count, length: b.length, data, dropped: 0 };
}
