// Projects: create, open (remembered in the recent list), read, and the recent list itself.
import { z } from 'zod';
import { FolderPathSchema, NoInputSchema, ProjectRefSchema } from './common';
import { ProjectManifestSchema, ProjectNameSchema } from '../schemas/project';

export const ProjectInfoSchema = z.object({
  /** Absolute path of the project folder. */
  dir: z.string(),
  manifest: ProjectManifestSchema,
});
export type ProjectInfo = z.infer<typeof ProjectInfoSchema>;

export const RecentProjectInfoSchema = z.object({
  dir: z.string(),
  name: z.string(),
  opened: z.string(),
  /** False when the folder is gone or no longer holds a project (moved, deleted, unmounted). */
  available: z.boolean(),
});
export type RecentProjectInfo = z.infer<typeof RecentProjectInfoSchema>;

export const projectProcedures = {
  /**
   * Makes a new project in an empty or missing folder and adds it to the recent list, unless
   * `remember` is false (the CLI, whose projects are not the app's recent ones).
   */
  projectCreate: {
    input: z.strictObject({ dir: FolderPathSchema, name: ProjectNameSchema, remember: z.boolean().optional() }),
    output: ProjectInfoSchema,
  },
  /** Opens a project and puts it first in the recent list. */
  projectOpen: { input: z.strictObject({ dir: FolderPathSchema }), output: ProjectInfoSchema },
  /** The project's manifest as it is on disk now, without touching the recent list. */
  projectInfo: { input: ProjectRefSchema, output: ProjectInfoSchema },
  projectRecent: { input: NoInputSchema, output: z.array(RecentProjectInfoSchema) },
};
