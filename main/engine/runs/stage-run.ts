// How a run task (a sweep, a shard's sweep, an ablation) builds runs/<id>/: the project opened
// and the folder staged by store.stageItem, so a failed or cancelled run leaves the project as
// it was. parseRunParams is the edge parse for callers that do not come through the contract.
import type { z } from 'zod';
import { UserError } from '../errors';
import type { TaskContext } from '../jobs/task-context';
import { openProject, type ProjectStore } from '../project';
import { describeSchemaError } from '../project/read-json';

/** The params with their defaults, or a UserError that says which ones are wrong (`what`: 'analysis', 'ablation'). */
export function parseRunParams<S extends z.ZodTypeAny>(schema: S, what: string, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new UserError(describeSchemaError(what, parsed.error, 'parameters').slice(`${what}: `.length));
  return parsed.data as z.output<S>;
}

/** The first progress every run task reports (each task's progress type has this phase). */
interface PrepareProgress {
  phase: 'prepare';
  fraction: number;
  label: string;
  secondsLeft: number | null;
}

export interface RunStage {
  /** the staging folder that becomes runs/<id>/ */
  dir: string;
  store: ProjectStore;
  /** when the run started, ISO 8601 */
  created: string;
}

/** Stages runs/<params.id>/ and builds it with `build`, which returns the run's record. */
export async function stageRun<R>(
  params: { project: string; id: string; name?: string },
  ctx: TaskContext<PrepareProgress>,
  build: (stage: RunStage) => Promise<R>,
): Promise<{ dir: string; record: R }> {
  const store = await openProject(params.project);
  const staged = await store.stageItem(
    'run',
    params.id,
    async (dir) => {
      const created = new Date().toISOString();
      ctx.progress({ phase: 'prepare', fraction: 0, label: 'reading the model and the corpus', secondsLeft: null });
      return build({ dir, store, created });
    },
    { name: params.name, cancel: ctx.cancel },
  );
  return { dir: staged.dir, record: staged.meta };
}
