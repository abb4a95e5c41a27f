// Runs the engine's sweep on a small problem and returns public-layout sums ([D+1][H·E]).
import type { RnnLmWeights } from '../../../main/engine/model/rnn-weights';
import { totalOverGroups, transposeSums, type GradientSums } from '../../../main/engine/gradients/accumulator';
import type { SweepStats, TargetState } from '../../../main/engine/gradients/chunk-sweep';
import type { ClassSpec } from '../../../main/engine/gradients/class-index';
import type { GemmEngine } from '../../../main/engine/gradients/gemm-engine';
import { runSweep } from '../../../main/engine/gradients/run-sweep';
import type { TangentKernels } from '../../../main/engine/gradients/tangent-step';

export interface SmallRun {
  state: TargetState;
  layer: number;
  D: number;
  groups?: number;
  classes?: ClassSpec[];
  words?: number[];
  sample?: Int32Array | null;
  chunkStreams?: number;
  slotsPerBlock?: number;
  firstStream?: number;
}

export function sweepSums(
  w: RnnLmWeights,
  tokens: Int32Array,
  B: number,
  T: number,
  run: SmallRun,
  engine: GemmEngine,
  kernels: TangentKernels,
): { sum: Float64Array[]; count: number[]; sums: GradientSums; stats: SweepStats } {
  const { sums, stats } = runSweep(
    {
      weights: w,
      tokens,
      streams: B,
      length: T,
      firstStream: run.firstStream ?? 0,
      target: run.state,
      layer: run.layer,
      maxDelay: run.D,
      groups: run.groups ?? 3,
      classes: run.classes ?? [],
      words: run.words ?? [],
      sample: run.sample ?? null,
      chunkStreams: run.chunkStreams ?? B,
      slotsPerBlock: run.slotsPerBlock,
    },
    engine,
    kernels,
  );
  const pub = transposeSums(sums);
  const tot = totalOverGroups(pub);
  const n = pub.rows * pub.cols;
  return {
    sum: Array.from({ length: run.D + 1 }, (_, d) => tot.sum.slice(d * n, (d + 1) * n)),
    count: Array.from(tot.count),
    sums: pub,
    stats,
  };
}

/** Block `d` of a [.., D+1, H·E] array. */
export function block(a: Float64Array, index: number, n: number): Float64Array {
  return a.subarray(index * n, (index + 1) * n);
}

export function scaled(a: ArrayLike<number>, f: number): Float64Array {
  return Float64Array.from(a, (v) => v * f);
}
