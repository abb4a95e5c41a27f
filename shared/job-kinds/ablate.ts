// The `ablate` job: one context-ablation run of a model over a corpus split (issue 13), saved
// as runs/<id>/ with `kind: 'ablation'` (main/engine/ablation). Its params are
// AblateParamsSchema's, refused when they hold a key it does not know.
import { z } from 'zod';
import { ItemIdSchema } from '../schemas/project';
import { AblateJobProgressSchema, AblateParamsSchema } from '../schemas/ablation';

export const AblateJobResultSchema = z.object({
  run: z.object({ id: ItemIdSchema, dir: z.string(), model: ItemIdSchema, corpus: ItemIdSchema }),
  warnings: z.array(z.string()),
  totalSeconds: z.number().nonnegative(),
  gflopsPerSecond: z.number(),
});

export const ablateJob = {
  params: AblateParamsSchema.strict(),
  result: AblateJobResultSchema,
  progress: AblateJobProgressSchema,
};
