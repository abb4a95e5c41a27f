// One share of an analysis on the tensor path: the job's streams chunk by chunk (at most
// `chunkStreams` at a time, chosen from the device's memory: device-memory.ts) into one set
// of float64 partial sums, exactly as runSweep (run-sweep.ts) does on the kernel path.
import { createSums, type GradientSums } from '../accumulator';
import type { SweepHooks } from '../chunk-sweep';
import { buildTokenIndex } from '../class-index';
import { assertSweepJob, jobChunks, jobSumsShape, type SweepJob } from '../run-sweep';
import { TensorSweep, type TensorSweepStats } from './tensor-sweep';

export function runTensorSweep(job: SweepJob, hooks: SweepHooks = {}): { sums: GradientSums; stats: TensorSweepStats } {
  assertSweepJob(job);
  const sums = createSums(jobSumsShape(job));
  const index = buildTokenIndex(job.weights.vocabSize, job.classes, job.words);
  const sweep = new TensorSweep(job.weights, { target: job.target, layer: job.layer, maxDelay: job.maxDelay, groups: job.groups }, index, sums);
  try {
    for (const chunk of jobChunks(job)) sweep.run(chunk, hooks);
  } finally {
    sweep.dispose();
  }
  return { sums, stats: { ...sweep.stats } };
}
