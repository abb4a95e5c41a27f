// run.json: the resolved configuration, software, timings, flops, counts, the list of
// array files and the analysis summary. Parsed with the schema before it is written, so
// what is on disk is always what readers accept.
import os from 'node:os';
import { APP } from '../app-version';
import type { StateGradientResult } from '../gradients';
import {
  RUN_SCHEMA_VERSION,
  RunRecordSchema,
  type AnalyzeParamsResolved,
  type RunArrayInfo,
  type RunConfig,
  type RunRecord,
} from '../../../shared/schemas/run';
import type { PreparedRun } from './prepare-run';
import type { SweepPathRecord } from '../gradients/tensor-path/tensor-share';
import type { SummarisedRun } from './summarise-accumulation';

export function runConfig(params: AnalyzeParamsResolved, prep: PreparedRun, workers: number): RunConfig {
  return {
    split: params.split,
    state: prep.state,
    layer: prep.layer,
    layers: prep.weights.layers.length,
    maxDelay: params.maxDelay,
    streams: params.streams,
    maxTokens: params.maxTokens ?? null,
    sample: params.sample ?? null,
    seed: params.sample !== undefined ? params.seed : null,
    normalize: params.normalize,
    groups: params.groups,
    workers,
    classSets: prep.classes.classSets,
    classes: prep.classes.accumulate.map(({ tokenIds: _ids, ...c }) => c),
    words: prep.words,
    properties: prep.properties.map((p) => ({ name: p.name, classA: p.classA, classB: p.classB })),
    vectors: 0, // filled in from the summary
  };
}

/** run.json's record of the sweep path (absent for a merge of shards: they may have run on different paths). */
function sweepSoftware(sweep: SweepPathRecord | undefined): Partial<RunRecord['software']> {
  if (!sweep) return {};
  const device = sweep.device
    ? { deviceMemoryMB: sweep.device.memoryMB, deviceMemorySource: sweep.device.memorySource, chunkStreams: sweep.device.chunkStreams }
    : {};
  return { path: sweep.path, pathReason: sweep.reason, ...device };
}

export interface RunTimes {
  prepareSeconds: number;
  accumulateSeconds: number;
  summariseSeconds: number;
  writeSeconds: number;
  totalSeconds: number;
}

export interface RecordInput {
  params: AnalyzeParamsResolved;
  config: RunConfig;
  prep: PreparedRun;
  acc: StateGradientResult;
  arrays: RunArrayInfo[];
  times: RunTimes;
  created: string;
}

/**
 * Everything of run.json but the summary, from the accumulation (a complete run's or one
 * shard's: a partial run, runs/partial-run.ts, keeps this with the shard's own counts).
 */
export function recordWithoutSummary(
  input: RecordInput,
  fromSummary: { svdSeconds: number; groupsDropped: number[]; warnings: string[] },
): Omit<RunRecord, 'summary'> {
  const { params, prep, acc } = input;
  const nd = acc.maxDelay + 1;
  return {
    schemaVersion: RUN_SCHEMA_VERSION,
    id: params.id,
    model: params.model,
    corpus: params.corpus,
    split: params.split,
    created: input.created,
    modelShape: {
      vocabSize: prep.weights.vocabSize,
      embeddingDim: prep.weights.embeddingDim,
      units: prep.weights.layers.map((l) => l.units),
      cells: prep.weights.layers.map((l) => l.cell),
    },
    config: input.config,
    software: {
      app: APP.version,
      node: process.versions.node,
      versions: prep.versions,
      backend: acc.backend,
      engine: acc.engine,
      kernels: acc.kernels,
      workers: acc.workers,
      platform: `${process.platform}-${process.arch}`,
      cpus: os.availableParallelism(),
      ...sweepSoftware(acc.sweep),
    },
    timings: {
      ...input.times,
      computeSeconds: acc.computeSeconds,
      cpuSeconds: acc.cpuSeconds,
      svdSeconds: fromSummary.svdSeconds,
    },
    flops: { nominal: acc.flops, gemm: acc.gemmFlops, gflopsPerSecond: acc.gflops },
    counts: {
      splitTokens: prep.splitTokens.length,
      streams: acc.streams,
      length: acc.length,
      positions: acc.streams * acc.length,
      sources: acc.sampled ?? acc.streams * acc.length,
      pairs: Array.from(acc.count),
      classPairs: Object.fromEntries(acc.classes.map((c) => [c.name, Array.from(c.count)])),
      wordPairs: Object.fromEntries(prep.words.map((w, i) => [w.word, Array.from(acc.words[i].count)])),
      groupPairs: Array.from({ length: acc.groups }, (_, g) => Array.from(acc.groupCount.subarray(g * nd, (g + 1) * nd))),
      groupsDropped: fromSummary.groupsDropped,
    },
    flushedValues: acc.flushedValues,
    arrays: input.arrays,
    warnings: [...prep.warnings, ...fromSummary.warnings],
  };
}

export function buildRunRecord(input: RecordInput & { summarised: SummarisedRun }): RunRecord {
  const { summarised } = input;
  const summary = summarised.analysis.summary;
  const record: RunRecord = {
    ...recordWithoutSummary(
      { ...input, config: { ...input.config, vectors: summary.vectors } },
      { svdSeconds: summary.timings.svdSeconds, groupsDropped: summarised.groupsDropped, warnings: summarised.warnings },
    ),
    summary,
  };
  return RunRecordSchema.parse(record);
}
