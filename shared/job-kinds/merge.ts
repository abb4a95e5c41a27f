// The `merge` job: the partial runs of one sharded sweep (`analyze --shard I/N`), checked to
// belong together, summed in shard order and finished like a whole sweep into a normal run
// runs/<id>/ (main/engine/runs/merge-runs.ts). The shards are only read.
import { z } from 'zod';
import { ItemIdSchema } from '../schemas/project';
import { AnalyzeJobProgressSchema } from '../schemas/progress';

export const MergeParamsSchema = z.strictObject({
  /** the project folder (absolute path) */
  project: z.string().min(1),
  /** the partial runs to merge, in any order: every shard 1..N of one sweep, once */
  runs: z
    .array(ItemIdSchema)
    .min(1, 'name the partial runs to merge')
    .refine((ids) => new Set(ids).size === ids.length, 'a run is named twice'),
  /** id of the new (complete) run */
  id: ItemIdSchema,
  /** display name in the project manifest (default: the id) */
  name: z.string().optional(),
});
export type MergeParamsInput = z.input<typeof MergeParamsSchema>;

export const MergeJobResultSchema = z.object({
  run: z.object({ id: ItemIdSchema, dir: z.string(), model: ItemIdSchema, corpus: ItemIdSchema }),
  /** the partial runs merged, in shard order 1..N */
  shards: z.array(ItemIdSchema),
  warnings: z.array(z.string()),
  totalSeconds: z.number().nonnegative(),
});

export const mergeJob = {
  params: MergeParamsSchema,
  result: MergeJobResultSchema,
  /** phases: prepare (reading the shards, the model and the corpus), summarise (SVDs), write */
  progress: AnalyzeJobProgressSchema,
};
