// Shards of a sweep (`analyze --shard I/N`), for people: reading 'I/N', naming a shard, and
// what a reader that needs a complete run says about a partial one. No imports, so the
// renderer, the CLI and the engine all use it.

export interface ShardRef {
  index: number;
  count: number;
}

/** 'I/N' → shard I of N, or why the text is not one (1 ≤ I ≤ N). */
export function parseShard(text: string): ShardRef | string {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) return 'write I/N, e.g. 2/4 (shard 2 of 4)';
  const [index, count] = [Number(m[1]), Number(m[2])];
  if (index < 1 || count < 1 || index > count) return 'needs 1 ≤ I ≤ N';
  return { index, count };
}

/** 'shard 2/4' */
export function shardLabel(shard: ShardRef): string {
  return `shard ${shard.index}/${shard.count}`;
}

/** What a reader that needs a complete run says about a partial one. */
export function partialRunMessage(id: string, shard: ShardRef): string {
  return `run '${id}' is ${shardLabel(shard)} of a sweep; merge the shards first (mnemoscope merge, or Merge in the Sweeps view)`;
}
