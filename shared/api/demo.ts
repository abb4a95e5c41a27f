// The demo project: the built-in Brown corpus, two models (the authors' recipe and a small
// Adam-trained contrast) and a finished delay sweep of each, installed (or refreshed) in the
// user's data folder and opened like any project, on the Compare view of the two sweeps.
import { z } from 'zod';
import { FolderPathSchema } from './common';
import { ProjectInfoSchema } from './projects';

export const DemoInstallSchema = z.object({
  /** the folder the shipped demo was read from */
  source: z.string(),
  /** true when this call made the project folder */
  created: z.boolean(),
  /** items added by this call ('corpus brown', 'model verwimp2018', 'run verwimp2018-sweep', …); empty when all were there */
  added: z.array(z.string()),
  /** shipped items that were damaged and have been put back, with the reason */
  repaired: z.array(z.string()),
  warnings: z.array(z.string()),
  /** id of the demo's corpus */
  corpus: z.string(),
  /** ids of the demo's models and runs */
  models: z.array(z.string()),
  runs: z.array(z.string()),
  /** the runs the demo opens on, side by side in the Compare view (#/compare?runs=a,b) */
  opens: z.array(z.string()),
});
export type DemoInstall = z.infer<typeof DemoInstallSchema>;

export const DemoProjectInfoSchema = ProjectInfoSchema.extend({ demo: DemoInstallSchema });
export type DemoProjectInfo = z.infer<typeof DemoProjectInfoSchema>;

export const demoProcedures = {
  /**
   * Installs the demo project if needed (the first time: about 10 s to regenerate the Brown
   * corpus), repairs a damaged one, keeps the user's own additions, opens it and puts it
   * first in the recent list. `dir` defaults to `<user data folder>/Demo project`.
   */
  projectDemo: { input: z.strictObject({ dir: FolderPathSchema.optional() }), output: DemoProjectInfoSchema },
};
