// The partial runs of a project (sweeps of one shard, `analyze --shard I/N`) grouped by the
// sweep they may belong to (model, corpus, number of shards), for the Sweeps view's Merge.
// The engine's merge job checks that they really belong together (options, digests); this
// only arranges what to offer.
import type { RunListing } from '../../../../shared/schemas/project';
import { freeId } from './fields';

export interface ShardGroup {
  key: string;
  model: string;
  corpus: string;
  /** N, the number of shards of the sweep */
  count: number;
  /** the group's partial runs, by shard index */
  runs: (RunListing & { shard: { index: number; count: number } })[];
  /** shard indices 1..N that no listed run has */
  missing: number[];
}

export const isPartialRun = (r: RunListing): r is RunListing & { shard: { index: number; count: number } } => r.shard !== undefined && !r.problem;

/** 'shard 2/4' */
export { shardLabel as shardText } from '../../../../shared/shard';

export function shardGroups(runs: readonly RunListing[]): ShardGroup[] {
  const groups = new Map<string, ShardGroup>();
  for (const r of runs) {
    if (!isPartialRun(r)) continue;
    const [model, corpus, count] = [r.model ?? '?', r.corpus ?? '?', r.shard.count];
    const key = `${model}\n${corpus}\n${count}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, model, corpus, count, runs: [], missing: [] }));
    g.runs.push(r);
  }
  for (const g of groups.values()) {
    g.runs.sort((a, b) => a.shard.index - b.shard.index || a.id.localeCompare(b.id));
    const have = new Set(g.runs.map((r) => r.shard.index));
    g.missing = Array.from({ length: g.count }, (_, i) => i + 1).filter((i) => !have.has(i));
  }
  return [...groups.values()];
}

/** A free id for the merged run: the shards' common id prefix (without a trailing shard number) + '-merged'. */
export function mergedRunId(ids: readonly string[], taken: Iterable<string>): string {
  let prefix = ids[0] ?? '';
  for (const id of ids.slice(1)) while (!id.startsWith(prefix)) prefix = prefix.slice(0, -1);
  const base = prefix.replace(/(?:[-_.]?(?:shard|s)?[-_.]?\d*)$/i, '').replace(/[-_.]+$/, '');
  return freeId(`${base || 'run'}-merged`, taken);
}
