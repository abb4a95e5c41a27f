// Starting, cancelling and listing jobs. Their progress and end arrive as events.
import { z } from 'zod';
import { AblateParamsSchema } from '../schemas/ablation';
import { NoInputSchema } from './common';
import { JobIdSchema, JobStartSchema } from '../jobs';
import { TrainConfigSchema } from '../schemas/model';
import { AnalysisSplitSchema, NormalizeSchema, TargetStateSchema } from '../schemas/run';
import { JobSummarySchema } from '../events';

/** The defaults the engine fills in for what a job's form leaves out, so a UI can show them. */
export const JobDefaultsSchema = z.object({
  /** TrainConfigSchema.parse({}): the paper authors' configuration. */
  train: TrainConfigSchema,
  /** The defaults of AnalyzeParamsSchema (layer: the last; workers: all cores). */
  analyze: z.object({
    split: AnalysisSplitSchema,
    state: TargetStateSchema,
    maxDelay: z.number().int().nonnegative(),
    streams: z.number().int().positive(),
    seed: z.number().int(),
    normalize: NormalizeSchema,
    groups: z.number().int().positive(),
  }),
  /** The defaults of AblateParamsSchema (workers: all cores; class sets: all of the corpus). Always given by the engine. */
  ablate: AblateParamsSchema.pick({ split: true, maxDelay: true, mode: true, streams: true, groups: true, seed: true }).required().optional(),
  /** Compute backends a job may ask for ('auto': the fastest that works). */
  backends: z.array(z.string()),
});
export type JobDefaults = z.infer<typeof JobDefaultsSchema>;

export const jobProcedures = {
  /** Returns at once; watch jobProgress / jobEnd events with this id. */
  jobStart: { input: JobStartSchema, output: z.object({ jobId: JobIdSchema }) },
  /** `cancelled` is false when the job had already ended (or never existed). */
  jobCancel: { input: z.strictObject({ jobId: JobIdSchema }), output: z.object({ cancelled: z.boolean() }) },
  /** Running jobs and the most recent ended ones, newest first. */
  jobList: { input: NoInputSchema, output: z.object({ active: z.array(JobSummarySchema), recent: z.array(JobSummarySchema) }) },
  jobDefaults: { input: NoInputSchema, output: JobDefaultsSchema },
};
