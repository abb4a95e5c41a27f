// The `install-demo` job: the demo project (the Brown corpus, two models, a finished sweep of
// each) installed in a folder, or repaired there (main/engine/demo/install-demo.ts). The first
// install regenerates the corpus (about 10 s); later ones only check and repair. Unlike the
// projectDemo procedure, it leaves the recent-projects list alone (the CLI's `demo`).
import { z } from 'zod';
import { DemoInstallSchema } from '../api/demo';

export const InstallDemoParamsSchema = z.strictObject({
  /** the project folder (default: `<user data folder>/Demo project`) */
  dir: z.string().min(1).max(4096).optional(),
});

export const InstallDemoProgressSchema = z.object({
  step: z.enum(['corpus', 'model', 'run']),
  /** of the current step (the job's own fraction is of the whole install) */
  fraction: z.number(),
  label: z.string(),
});

export const installDemoJob = {
  params: InstallDemoParamsSchema,
  result: z.object({ dir: z.string() }).extend(DemoInstallSchema.shape),
  progress: InstallDemoProgressSchema,
};
