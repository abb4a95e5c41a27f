// One analysis run as one job (task 'analyze'): prepare the inputs, accumulate the state
// gradients (in further worker threads, one per core), summarise, and write runs/<id>/.
// Everything happens inside store.stageItem, so a failed or cancelled run leaves nothing.
// Run in a worker thread, the big arrays never cross to the caller: only run.json does.
import os from 'node:os';
import path from 'node:path';
import { accumulateStateGradients } from '../gradients';
import type { TaskContext, TaskFn } from '../jobs/task-context';
import { writeJsonAtomic } from '../project';
import { ITEM_META_FILE } from '../project/layout';
import {
  AnalyzeParamsSchema,
  type AnalyzeParams,
  type AnalyzeParamsResolved,
  type AnalyzeProgress,
  type PartialRunRecord,
  type RunRecord,
} from '../../../shared/schemas/run';
import { finishRun, secondsSince, type FinishInput } from './finish-run';
import { buildPartialRecord, modelDigest, partialArrayParts } from './partial-run';
import { prepareRun } from './prepare-run';
import { writeRunArrays } from './run-arrays';
import { runConfig } from './run-record';
import { parseRunParams, stageRun } from './stage-run';
import { chooseSweepPath } from '../gradients/tensor-path/sweep-path';

export interface SweepResult {
  /** the run's folder */
  dir: string;
  record: RunRecord;
}

/** The result of a shard's sweep (params.shard): a partial run. */
export interface ShardSweepResult {
  dir: string;
  record: PartialRunRecord;
}

/**
 * The params with their defaults, or a UserError naming the wrong ones: the edge of a caller
 * that does not come through the contract (a test). A shard count
 * above the streams is refused by shardRange, where the streams are laid out.
 */
export function parseAnalyzeParams(input: AnalyzeParams): AnalyzeParamsResolved {
  return parseRunParams(AnalyzeParamsSchema, 'analysis', input);
}

const seconds = secondsSince;

/** A shard's sweep ends here: its sums and run.json, no SVD (the merge of the shards does the rest). */
async function writePartialRun(dir: string, input: FinishInput, ctx: TaskContext<AnalyzeProgress>): Promise<PartialRunRecord> {
  const { params, prep, acc } = input;
  const t3 = performance.now();
  ctx.progress({ phase: 'write', fraction: 0, label: 'writing the partial run (the shard\'s sums)', secondsLeft: null });
  const arrays = await writeRunArrays(dir, partialArrayParts(acc));
  const writeSeconds = seconds(t3);
  const record = buildPartialRecord({
    params,
    config: runConfig(params, prep, input.workers),
    prep,
    acc,
    arrays,
    created: input.created,
    modelDigest: await modelDigest(prep.modelDir),
    times: {
      prepareSeconds: input.prepareSeconds,
      accumulateSeconds: input.accumulateSeconds,
      summariseSeconds: 0,
      writeSeconds,
      totalSeconds: seconds(input.started),
    },
  });
  await writeJsonAtomic(path.join(dir, ITEM_META_FILE.run), record);
  ctx.progress({ phase: 'write', fraction: 1, label: 'done', secondsLeft: 0 });
  return record;
}

type Finish<R> = (dir: string, input: FinishInput, ctx: TaskContext<AnalyzeProgress>) => Promise<R>;

/**
 * A whole sweep (task 'analyze'): the run with its SVDs and summary. Its params were parsed
 * where the request entered (the contract at dispatch; parseAnalyzeParams in a test, the
 * schema's parse in the synthetic pipeline): the sweep does not check them again.
 */
export const sweepTask: TaskFn<AnalyzeParamsResolved, SweepResult, AnalyzeProgress> = (params, ctx) =>
  sweep(params, ctx, false, finishRun);

/** One shard of a sweep (task 'analyze-shard', params.shard set): a partial run. */
export const shardSweepTask: TaskFn<AnalyzeParamsResolved, ShardSweepResult, AnalyzeProgress> = (params, ctx) =>
  sweep(params, ctx, true, writePartialRun);

async function sweep<R>(params: AnalyzeParamsResolved, ctx: TaskContext<AnalyzeProgress>, sharded: boolean, finish: Finish<R>): Promise<{ dir: string; record: R }> {
  const started = performance.now();
  if (sharded !== (params.shard !== undefined)) throw new Error(sharded ? 'a shard sweep needs params.shard' : 'a sweep with params.shard is a shard sweep (shardSweepTask)');
  const { cancel } = ctx;
  return stageRun(params, ctx, async ({ dir, store, created }) => {
    const prep = await prepareRun(params, store);
    const prepareSeconds = seconds(started);
    cancel.throwIfCancelled();

    const workers = params.workers ?? os.availableParallelism();
    const t1 = performance.now();
    const acc = await accumulateStateGradients(
      prep.weights,
      prep.splitTokens,
      {
        state: prep.state,
        layer: prep.layer,
        maxDelay: params.maxDelay,
        streams: params.streams,
        maxTokens: params.maxTokens,
        sample: params.sample,
        seed: params.seed,
        classes: prep.classes.accumulate.map((c) => ({ name: c.name, tokenIds: c.tokenIds })),
        words: prep.words.map((w) => w.id),
        groups: params.groups,
        shard: params.shard,
        sweepPath: chooseSweepPath(params.engine, params.backend),
        deviceMemoryMB: params.deviceMemory,
      },
      { workers, cancel, onProgress: (p) => ctx.progress(p) },
    );
    const accumulateSeconds = seconds(t1);
    cancel.throwIfCancelled();
    return finish(dir, { params, prep, acc, workers, created, started, prepareSeconds, accumulateSeconds }, ctx);
  });
}
