// Starting, cancelling and listing jobs. Their progress and end arrive as events.
import { z } from 'zod';
import { NoInputSchema } from './common';
import { JobIdSchema, JobStartSchema } from '../jobs';
import { JobSummarySchema } from '../events';

export const jobProcedures = {
  /** Returns at once; watch jobProgress / jobEnd events with this id. */
  jobStart: { input: JobStartSchema, output: z.object({ jobId: JobIdSchema }) },
  /** `cancelled` is false when the job had already ended (or never existed). */
  jobCancel: { input: z.strictObject({ jobId: JobIdSchema }), output: z.object({ cancelled: z.boolean() }) },
  /** Running jobs and the most recent ended ones, newest first. */
  jobList: { input: NoInputSchema, output: z.object({ active: z.array(JobSummarySchema), recent: z.array(JobSummarySchema) }) },
};
