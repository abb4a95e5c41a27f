// Analysis runs in a project. Running a sweep is a job.
import { z } from 'zod';
import { DeletedSchema, ItemRefSchema, ProjectRefSchema } from './common';
import { RunListingSchema } from '../schemas/project';

export const runProcedures = {
  runList: { input: ProjectRefSchema, output: z.array(RunListingSchema) },
  runDelete: { input: ItemRefSchema, output: DeletedSchema },
};
