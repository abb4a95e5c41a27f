// The `analyze` job: one state-gradient delay sweep of a model over a corpus split, saved as
// runs/<id>/ in the project (main/engine/runs). Its params are AnalyzeParamsSchema's, refused
// when they hold a key it does not know.
import { z } from 'zod';
import { ItemIdSchema } from '../schemas/project';
import { AnalyzeJobProgressSchema } from '../schemas/progress';
import { AnalyzeParamsSchema } from '../schemas/run';

export const AnalyzeJobResultSchema = z.object({
  run: z.object({ id: ItemIdSchema, dir: z.string(), model: ItemIdSchema, corpus: ItemIdSchema }),
  /** set when the sweep was of one shard (params.shard): the run is a partial run, to be merged */
  shard: z.object({ index: z.number().int().positive(), count: z.number().int().positive() }).optional(),
  /** What the user should know about the run (classes left out, groups dropped, …). */
  warnings: z.array(z.string()),
  totalSeconds: z.number().nonnegative(),
  gflopsPerSecond: z.number(),
});

export const analyzeJob = {
  params: AnalyzeParamsSchema.strict(),
  result: AnalyzeJobResultSchema,
  progress: AnalyzeJobProgressSchema,
};
