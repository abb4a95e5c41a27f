// `mnemoscope merge` (task 'merge'): the partial runs of one sharded sweep into the run the
// whole sweep would have written. The shards are checked to belong together (one sweep:
// same model by content digest, corpus, split and tokens, every analyze option, the same N,
// each shard 1..N exactly once), their float64 sums are added in shard order, and the result
// goes through the same finishing code as an unsharded sweep (finish-run.ts). Every sum is
// a plain sum over positions, so the merged arrays equal the unsharded run's within float32
// rounding. The shard runs are only read; the new run is staged and renamed into place.
import { layoutStreams, mergeSums, resultFromSums, shardRange, type AccumulationStats, type GradientSums } from '../gradients';
import { UserError } from '../errors';
import type { TaskFn } from '../jobs/task-context';
import { secondsLeftAtRate } from '../jobs/eta';
import { openProject, type ProjectStore } from '../project';
import { describeSchemaError } from '../project/read-json';
import { MergeParamsSchema, type MergeParamsInput } from '../../../shared/job-kinds/merge';
import {
  RunConfigSchema,
  ShardOptionsSchema,
  shardLabel,
  type AnalyzeParamsResolved,
  type AnalyzeProgress,
  type PartialRunRecord,
  type RunConfig,
  type RunRecord,
  type ShardOptions,
} from '../../../shared/schemas/run';
import { finishRun, secondsSince } from './finish-run';
import { modelDigest, readPartialSums, tokensDigest } from './partial-run';
import { prepareRun } from './prepare-run';
import { readPartialRunRecord } from './read-run';
import { runConfig } from './run-record';

export type MergeParams = MergeParamsInput;

export interface MergeResult {
  dir: string;
  record: RunRecord;
  /** the partial runs merged, in shard order */
  shards: string[];
}

interface Shard {
  id: string;
  dir: string;
  record: PartialRunRecord;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const shown = (v: unknown) => (v === undefined ? '(not set)' : JSON.stringify(v));

/** The first key of `keys` in which a and b differ, with both values. */
function firstDifference<T extends object>(a: T, b: T, keys: (keyof T)[]): { key: string; a: unknown; b: unknown } | null {
  for (const key of keys) if (!same(a[key], b[key])) return { key: String(key), a: a[key], b: b[key] };
  return null;
}

/** The options and the resolved configuration a merge compares, in the order of their schemas. */
const OPTION_KEYS = Object.keys(ShardOptionsSchema.shape) as (keyof ShardOptions)[];
const CONFIG_KEYS = (Object.keys(RunConfigSchema.shape) as (keyof RunConfig)[]).filter((k) => k !== 'workers' && k !== 'vectors');

/** Reads the named partial runs and checks that they are the N shards of one sweep; returns them in shard order. */
export async function readShards(store: ProjectStore, ids: readonly string[]): Promise<Shard[]> {
  const shards: Shard[] = [];
  for (const id of ids) {
    await store.requireItem('run', id);
    const dir = store.itemDir('run', id);
    shards.push({ id, dir, record: await readPartialRunRecord(dir) });
  }
  const [first] = shards;
  const a = first.record;
  const n = a.partial.shard.count;
  const label = (s: Shard) => `run '${s.id}' (${shardLabel(s.record.partial.shard)})`;
  for (const s of shards.slice(1)) {
    const b = s.record;
    if (b.partial.shard.count !== n) {
      throw new UserError(`${label(s)} and ${label(first)} are not shards of one sweep: one was cut into ${b.partial.shard.count} shards, the other into ${n}`);
    }
    const differ = (what: string, x: unknown, y: unknown) =>
      new UserError(`${label(s)} does not belong with ${label(first)}: they differ in ${what} (${shown(y)} vs ${shown(x)})`);
    for (const key of ['model', 'corpus', 'split'] as const) if (a[key] !== b[key]) throw differ(key, a[key], b[key]);
    if (a.partial.modelDigest !== b.partial.modelDigest) {
      throw new UserError(`${label(s)} does not belong with ${label(first)}: model '${a.model}' had different weights or vocabulary when they were swept (its content digest differs)`);
    }
    const option = firstDifference(a.partial.options, b.partial.options, OPTION_KEYS);
    if (option) throw differ(`option ${option.key}`, option.a, option.b);
    if (a.partial.tokensDigest !== b.partial.tokensDigest) {
      throw new UserError(`${label(s)} does not belong with ${label(first)}: they swept different tokens (the ${a.split} split of corpus '${a.corpus}' changed in between)`);
    }
    const config = firstDifference(a.config, b.config, CONFIG_KEYS);
    if (config) throw differ(`the resolved ${config.key}`, config.a, config.b);
    if (!same(a.modelShape, b.modelShape)) throw differ('the model shape', a.modelShape, b.modelShape);
    if (a.partial.classesPerGroup !== b.partial.classesPerGroup) throw differ('how classes were accumulated (per group)', a.partial.classesPerGroup, b.partial.classesPerGroup);
  }
  const byIndex = new Map<number, Shard>();
  for (const s of shards) {
    const twin = byIndex.get(s.record.partial.shard.index);
    if (twin) throw new UserError(`runs '${twin.id}' and '${s.id}' are both ${shardLabel(s.record.partial.shard)} of the sweep: name each shard once`);
    byIndex.set(s.record.partial.shard.index, s);
  }
  const missing = Array.from({ length: n }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length) {
    const given = [...byIndex.keys()].sort((x, y) => x - y).map((i) => `${i}/${n} '${byIndex.get(i)!.id}'`);
    throw new UserError(`${missing.map((i) => `shard ${i}/${n}`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing: the runs given are shards ${given.join(', ')}`);
  }
  const ordered = Array.from({ length: n }, (_, i) => byIndex.get(i + 1)!);
  for (const s of ordered) {
    const [b0, b1] = shardRange(s.record.config.streams, s.record.partial.shard);
    if (s.record.partial.firstStream !== b0 || s.record.partial.streams !== b1 - b0) {
      throw new UserError(`${label(s)}: its streams ${s.record.partial.firstStream}.. (${s.record.partial.streams}) are not those of ${shardLabel(s.record.partial.shard)} of ${s.record.config.streams} streams`);
    }
  }
  return ordered;
}

function parseMergeParams(input: MergeParams) {
  const parsed = MergeParamsSchema.safeParse(input);
  if (!parsed.success) throw new UserError(describeSchemaError('merge', parsed.error, 'parameters').replace(/^merge: /, ''));
  return parsed.data;
}

/** The stats of the merged run: flops, times and counts summed over the shards (compute time as if they had run one after another). */
function mergedStats(shards: Shard[], sums: GradientSums): AccumulationStats {
  const total = (f: (r: PartialRunRecord) => number) => shards.reduce((x, s) => x + f(s.record), 0);
  const cpu = shards.map((s) => s.record.timings.cpuSeconds);
  const first = shards[0].record.software;
  return {
    flops: total((r) => r.flops.nominal),
    gemmFlops: total((r) => r.flops.gemm),
    computeSeconds: total((r) => r.timings.computeSeconds),
    workerSeconds: shards.map((s) => s.record.timings.computeSeconds),
    cpuSeconds: cpu.every((c) => c !== null) ? cpu.reduce((x, c) => x + c, 0) : null,
    wallSeconds: total((r) => r.timings.accumulateSeconds),
    workers: Math.max(...shards.map((s) => s.record.software.workers)),
    backend: first.backend,
    engine: first.engine,
    kernels: first.kernels,
    flushedValues: total((r) => r.flushedValues),
    pairs: sums.groupCount.reduce((x, c) => x + c, 0),
  };
}

export const mergeTask: TaskFn<MergeParams, MergeResult, AnalyzeProgress> = async (input, ctx) => {
  const started = performance.now();
  const params = parseMergeParams(input);
  const store = await openProject(params.project);
  if (await store.has('run', params.id)) {
    throw new UserError(`The project already has a run '${params.id}': choose another id for the merged run, or delete that run first.`);
  }
  ctx.progress({ phase: 'prepare', fraction: 0, label: 'checking the shards', secondsLeft: null });
  const shards = await readShards(store, params.runs);
  const first = shards[0].record;
  // engine: a merge sweeps nothing (the shards' own paths are in their partial runs)
  const analyze: AnalyzeParamsResolved = { ...first.partial.options, project: params.project, id: params.id, name: params.name, engine: 'auto' };
  const staged = await store.stageItem(
    'run',
    params.id,
    async (dir) => {
      const created = new Date().toISOString();
      ctx.progress({ phase: 'prepare', fraction: 0.1, label: 'reading the model and the corpus', secondsLeft: null });
      const prep = await prepareRun(analyze, store);
      if ((await modelDigest(prep.modelDir)) !== first.partial.modelDigest) {
        throw new UserError(`model '${first.model}' has changed since the shards were swept (its files' digest differs from the one run '${shards[0].id}' recorded): sweep the shards again`);
      }
      const layout = layoutStreams(prep.splitTokens, analyze.streams, analyze.maxTokens);
      if (tokensDigest(layout.tokens) !== first.partial.tokensDigest) {
        throw new UserError(`the ${first.split} split of corpus '${first.corpus}' has changed since the shards were swept (its tokens differ): sweep the shards again`);
      }
      const changed = firstDifference(runConfig(analyze, prep, 0), first.config, CONFIG_KEYS);
      if (changed) throw new UserError(`the ${changed.key} of the sweep resolve differently now than when the shards were swept (corpus class sets or vocabulary changed?): sweep the shards again`);
      ctx.cancel.throwIfCancelled();

      // Exact float64 sums, added in shard order 1..N (a fixed order).
      let sums: GradientSums | null = null;
      const adding = performance.now();
      for (const [i, s] of shards.entries()) {
        // time left: of the shards still to add, at the pace of those added (the phase's rest is quick)
        const secondsLeft = secondsLeftAtRate(i, shards.length, secondsSince(adding));
        ctx.progress({ phase: 'prepare', fraction: 0.2 + (0.8 * i) / shards.length, label: `adding ${shardLabel(s.record.partial.shard)} ('${s.id}')`, secondsLeft });
        const part = await readPartialSums(s.dir, s.record);
        if (sums === null) sums = part;
        else {
          try {
            mergeSums(sums, part);
          } catch {
            throw new UserError(`run '${s.id}': its sums have a different shape from run '${shards[0].id}'s`);
          }
        }
        ctx.cancel.throwIfCancelled();
      }
      const merged = sums!;
      const acc = resultFromSums(
        merged,
        {
          state: first.config.state,
          layer: first.config.layer,
          streams: layout.streams,
          length: layout.length,
          tokens: layout.tokens,
          shard: null,
          sampled: first.config.sample === null ? null : shards.reduce((x, s) => x + s.record.counts.sources, 0),
          seed: first.config.seed,
          classNames: first.config.classes.map((c) => c.name),
          words: first.config.words.map((w) => w.id),
          warnings: first.partial.accumulationWarnings,
        },
        mergedStats(shards, merged),
      );
      const prepareSeconds = secondsSince(started);
      return finishRun(
        dir,
        { params: analyze, prep, acc, workers: Math.max(...shards.map((s) => s.record.config.workers)), created, started, prepareSeconds, accumulateSeconds: acc.wallSeconds },
        ctx,
      );
    },
    { name: params.name, cancel: ctx.cancel },
  );
  return { dir: staged.dir, record: staged.meta, shards: shards.map((s) => s.id) };
};
