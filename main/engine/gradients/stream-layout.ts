// How analysed tokens are laid out (DESIGN §3): the first maxTokens tokens are cut into
// B contiguous streams of equal length T = floor(n / B); the remainder is dropped. A
// position is p = b·T + s (stream b, step s). Sources are split into K uncertainty
// groups by time window: group(s) = floor(s·K / T), i.e. group k holds the sources at
// steps [k·T/K, (k+1)·T/K) of every stream (B contiguous pieces of the corpus each).
// This is independent of workers and chunking, and lets the sweep add the sources of
// one step and delay, which all share a group, into the same accumulator in a row.
import { UserError } from '../errors';
import { mulberry32 } from '../seeded-random';

export interface StreamLayout {
  /** [streams, length], row-major: exactly the tokens analysed. */
  tokens: Int32Array;
  streams: number;
  length: number;
}

export function layoutStreams(tokens: ArrayLike<number>, streams: number, maxTokens?: number): StreamLayout {
  if (!Number.isInteger(streams) || streams < 1) throw new UserError(`streams must be a positive integer, got ${streams}`);
  const n = maxTokens === undefined ? tokens.length : Math.min(tokens.length, Math.max(0, Math.floor(maxTokens)));
  const length = Math.floor(n / streams);
  if (length < 1) throw new UserError(`${n} tokens cannot fill ${streams} streams: use fewer streams or more tokens`);
  const out = new Int32Array(streams * length);
  for (let i = 0; i < out.length; i++) out[i] = tokens[i];
  return { tokens: out, streams, length };
}

export function groupOf(step: number, length: number, groups: number): number {
  return Math.floor((step * groups) / length);
}

/** The engine's seeded PRNG; picks sample positions reproducibly. */
export const seededRandom = mulberry32;

/**
 * A uniform sample of n distinct positions out of 0..total-1 without replacement,
 * sorted (a partial Fisher–Yates over a virtual identity array; O(n) memory).
 */
export function samplePositions(total: number, n: number, seed: number): Int32Array {
  if (!Number.isInteger(n) || n < 1) throw new UserError(`sample size must be a positive integer, got ${n}`);
  const k = Math.min(n, total);
  const rand = seededRandom(seed);
  const swapped = new Map<number, number>();
  const out = new Int32Array(k);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rand() * (total - i));
    const vj = swapped.get(j) ?? j;
    const vi = swapped.get(i) ?? i;
    swapped.set(j, vi);
    out[i] = vj;
  }
  return out.sort();
}

/** Splits `count` items into at most `parts` contiguous, near-equal [start, end) ranges. */
export function splitRange(count: number, parts: number): [number, number][] {
  const p = Math.max(1, Math.min(parts, count));
  const out: [number, number][] = [];
  for (let i = 0; i < p; i++) out.push([Math.floor((i * count) / p), Math.floor(((i + 1) * count) / p)]);
  return out;
}

/** Shard `index` of `count` (1-based) of a sweep (`mnemoscope analyze --shard I/N`). */
export interface ShardSpec {
  index: number;
  count: number;
}

/**
 * The streams [start, end) of a shard: splitRange(streams, count)[index − 1], contiguous and
 * near-equal, the shards disjoint and together every stream. Groups are time windows of every
 * stream (groupOf), so each shard adds to all K groups and the shards' group sums add up to
 * the whole sweep's.
 */
export function shardRange(streams: number, shard: ShardSpec): [number, number] {
  const { index, count } = shard;
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 1 || index > count) {
    throw new UserError(`shard ${index}/${count} does not exist: use I/N with 1 ≤ I ≤ N`);
  }
  if (count > streams) throw new UserError(`${count} shards need at least ${count} streams (the sweep has ${streams}): use --streams ${count} or more, or fewer shards`);
  return splitRange(streams, count)[index - 1];
}
