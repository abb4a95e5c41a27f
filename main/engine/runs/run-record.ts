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

export interface RunTimes {
  prepareSeconds: number;
  accumulateSeconds: number;
  summariseSeconds: number;
  writeSeconds: number;
  totalSeconds: number;
}

export function buildRunRecord(input: {
  params: AnalyzeParamsResolved;
  config: RunConfig;
  prep: PreparedRun;
  acc: StateGradientResult;
  summarised: SummarisedRun;
  arrays: RunArrayInfo[];
  times: RunTimes;
  created: string;
}): RunRecord {
  const { params, prep, acc, summarised } = input;
  const summary = summarised.analysis.summary;
  const nd = acc.maxDelay + 1;
  const record: RunRecord = {
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
    config: { ...input.config, vectors: summary.vectors },
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
    },
    timings: {
      ...input.times,
      computeSeconds: acc.computeSeconds,
      cpuSeconds: acc.cpuSeconds,
      svdSeconds: summary.timings.svdSeconds,
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
      groupsDropped: summarised.groupsDropped,
    },
    flushedValues: acc.flushedValues,
    arrays: input.arrays,
    warnings: [...prep.warnings, ...summarised.warnings],
    summary,
  };
  return RunRecordSchema.parse(record);
}
