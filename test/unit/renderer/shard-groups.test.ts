// The Sweeps view's Merge: partial runs grouped by the sweep they may belong to, the shards
// still missing, and the id offered for the merged run.
import { describe, expect, it } from 'vitest';
import { mergedRunId, shardGroups } from '../../../renderer/src/lib/state/shard-groups';
import type { RunListing } from '../../../shared/schemas/project';

const run = (id: string, shard?: [number, number], over: Partial<RunListing> = {}): RunListing => ({
  id,
  name: id,
  created: '2026-01-01T00:00:00.000Z',
  missing: {},
  kind: 'sweep',
  model: 'm',
  corpus: 'c',
  ...(shard && { shard: { index: shard[0], count: shard[1] } }),
  ...over,
});

describe('shardGroups', () => {
  it('groups partial runs by model, corpus and N, ordered by shard, with the missing shards', () => {
    const groups = shardGroups([
      run('whole'),
      run('a-3', [3, 4]),
      run('a-1', [1, 4]),
      run('b-1', [1, 2], { model: 'other' }),
      run('broken', [2, 4], { problem: 'unreadable' }),
    ]);
    expect(groups.map((g) => [g.model, g.count, g.runs.map((r) => r.id), g.missing])).toEqual([
      ['m', 4, ['a-1', 'a-3'], [2, 4]],
      ['other', 2, ['b-1'], [2]],
    ]);
  });
});

describe('mergedRunId', () => {
  it('is the shards\' common prefix without the shard number, plus -merged, and free', () => {
    expect(mergedRunId(['wiki-shard1', 'wiki-shard2', 'wiki-shard3'], [])).toBe('wiki-merged');
    expect(mergedRunId(['sweep-1', 'sweep-2'], ['sweep-merged'])).toBe('sweep-merged-2');
    expect(mergedRunId(['x1', 'y2'], [])).toBe('run-merged');
  });
});

describe('the Shard field of the sweep form', () => {
  it("reads 'I/N', empty as the whole sweep, and refuses what is not a shard or has more shards than streams", async () => {
    const { parseShardField } = await import('../../../renderer/src/lib/state/analyze-form');
    expect(parseShardField('', 20)).toEqual({ ok: true, value: null });
    expect(parseShardField(' 2 / 4 ', 20)).toEqual({ ok: true, value: { index: 2, count: 4 } });
    expect(parseShardField('5/4', 20)).toEqual({ ok: false, error: 'needs 1 ≤ I ≤ N' });
    expect(parseShardField('half', 20)).toEqual({ ok: false, error: 'write I/N, e.g. 2/4 (shard 2 of 4)' });
    expect(parseShardField('1/30', 20)).toEqual({ ok: false, error: '30 shards need at least 30 streams' });
  });
});
