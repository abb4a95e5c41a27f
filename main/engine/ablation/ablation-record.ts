// run.json of an ablation run (AblationRecordSchema, kind 'ablation') and its .npy arrays
// (ABLATION_ARRAY_FILES). Parsed with the schema before it is written, so what is on disk is
// always what readers accept.
import os from 'node:os';
import { APP } from '../app-version';
import { gateCount } from '../model/rnn-weights';
import type { RnnLmWeights } from '../model/rnn-weights';
import type { ArrayPart } from '../runs/run-arrays';
import {
  ABLATION_ARRAY_FILES,
  ABLATION_SCHEMA_VERSION,
  AblationRecordSchema,
  type AblateParamsResolved,
  type AblationRecord,
} from '../../../shared/schemas/ablation';
import type { RunArrayInfo } from '../../../shared/schemas/run';
import type { AblationComputed } from './compute-ablation';
import { groupMeans, type AblationCurves } from './curves';
import type { PreparedAblation } from './prepare-ablation';

/** Nominal flops of one cell step (all layers, one row) and of one output row (GEMM + softmax). */
export function stepFlops(w: RnnLmWeights): { cell: number; output: number } {
  let cell = 0;
  for (const l of w.layers) cell += 2 * (l.inputSize + l.units) * gateCount(l.cell) * l.units;
  const H = w.layers[w.layers.length - 1].units;
  return { cell, output: 2 * (H + 1) * w.vocabSize + 3 * w.vocabSize };
}

const nanToZero = (a: readonly (number | null)[]) => Float64Array.from(a, (v) => v ?? Number.NaN);

export function ablationArrayParts(c: AblationComputed, curves: AblationCurves): ArrayPart[] {
  const { sums, layout } = c;
  const nd = sums.maxDelay + 1;
  const deltaClass = new Float64Array(curves.classDelta.length * nd);
  curves.classDelta.forEach((cl, i) => deltaClass.set(nanToZero(cl.mean), i * nd));
  return [
    { file: ABLATION_ARRAY_FILES.tokens, data: layout.tokens, shape: [layout.streams, layout.length], description: 'int32 [streams, length]: the tokens ablated (vocabulary ids), one row per stream' },
    { file: ABLATION_ARRAY_FILES.delta, data: nanToZero(curves.delta.mean), shape: [nd], description: 'float64 [delays]: Δ(τ), the mean loss increase when the input τ steps back is replaced (NaN: no pair)' },
    {
      file: ABLATION_ARRAY_FILES.deltaGroup,
      data: groupMeans(sums.delta, sums.deltaCount, sums.groups, nd),
      shape: [sums.groups, nd],
      description: 'float64 [groups, delays]: Δ(τ) of each uncertainty group (sources at steps [k·L/K, (k+1)·L/K) of every stream; NaN: no pair)',
    },
    { file: ABLATION_ARRAY_FILES.deltaClass, data: deltaClass, shape: [curves.classDelta.length, nd], description: 'float64 [classes, delays]: Δ(τ) by class of the replaced word, in config.classes order (NaN: no pair)' },
    { file: ABLATION_ARRAY_FILES.truncation, data: nanToZero(curves.truncation.mean), shape: [nd], description: 'float64 [D+1]: T(k), k = 1..D+1, the mean loss seeing only the last k tokens' },
    { file: ABLATION_ARRAY_FILES.counts, data: Float64Array.from(curves.delta.pairs), shape: [nd], description: 'float64 [delays]: (b, t) pairs averaged into Δ(τ)' },
  ];
}

export interface AblationRecordInput {
  params: AblateParamsResolved;
  prep: PreparedAblation;
  computed: AblationComputed;
  curves: AblationCurves;
  arrays: RunArrayInfo[];
  created: string;
  times: { prepareSeconds: number; computeSeconds: number; writeSeconds: number; totalSeconds: number };
}

export function buildAblationRecord(input: AblationRecordInput): AblationRecord {
  const { params, prep, computed: c, curves } = input;
  const w = prep.weights;
  const flops = stepFlops(w);
  const totalFlops = c.cellSteps * flops.cell + c.outputRows * flops.output;
  const { sums } = c;
  const meanLoss = sums.baselineCount > 0 ? sums.baselineSum / sums.baselineCount : Number.NaN;
  const record: AblationRecord = {
    schemaVersion: ABLATION_SCHEMA_VERSION,
    kind: 'ablation',
    id: params.id,
    model: params.model,
    corpus: params.corpus,
    split: params.split,
    created: input.created,
    modelShape: { vocabSize: w.vocabSize, embeddingDim: w.embeddingDim, units: w.layers.map((l) => l.units), cells: w.layers.map((l) => l.cell) },
    config: {
      split: params.split,
      mode: params.mode,
      maxDelay: params.maxDelay,
      streams: params.streams,
      maxTokens: params.maxTokens ?? null,
      seed: params.seed,
      groups: params.groups,
      workers: c.workers,
      classSets: prep.classes.classSets,
      classes: prep.classes.accumulate.map(({ tokenIds: _ids, ...cl }) => cl),
      unkId: prep.unkId,
    },
    software: {
      app: APP.version,
      node: process.versions.node,
      versions: prep.versions,
      backend: `${c.backend}; ${c.engine}`,
      workers: c.workers,
      platform: `${process.platform}-${process.arch}`,
      cpus: os.availableParallelism(),
    },
    timings: input.times,
    work: {
      cellSteps: c.cellSteps,
      outputRows: c.outputRows,
      flops: totalFlops,
      gflopsPerSecond: c.computeSeconds > 0 ? totalFlops / c.computeSeconds / 1e9 : 0,
    },
    counts: {
      splitTokens: prep.splitTokens.length,
      streams: c.layout.streams,
      length: c.layout.length,
      positions: c.layout.streams * c.layout.length,
      groupsDropped: curves.groupsDropped,
    },
    baseline: { meanLoss, perplexity: Math.exp(meanLoss) },
    delta: curves.delta,
    classDelta: prep.classes.accumulate.map(({ tokenIds: _ids, ...cl }, i) => ({ ...cl, delta: curves.classDelta[i] })),
    truncation: curves.truncation,
    arrays: input.arrays,
    warnings: [...prep.warnings, ...curves.warnings],
  };
  return AblationRecordSchema.parse(record);
}
