// The checks every job that writes a new run makes before its worker starts (analyze, ablate,
// merge): the project's run id is free and, for a run of a model over a corpus, both exist.
import path from 'node:path';
import { UserError } from '../../errors';
import type { ProjectCache } from '../project-cache';

/** Refuses a new run's id that the project already has (before a worker starts). */
export async function requireNewRunId(store: { has(kind: 'run', id: string): Promise<boolean> }, id: string): Promise<void> {
  if (await store.has('run', id)) {
    throw new UserError(`The project already has a run '${id}': choose another id, or delete that run first.`);
  }
}

/** The project's absolute path, once the model and the corpus are there and the run id is free. */
export async function checkNewModelRun(projects: ProjectCache, params: { project: string; model: string; corpus: string; id: string }): Promise<string> {
  const project = path.resolve(params.project);
  const store = await projects.get(project);
  await store.requireItem('model', params.model);
  await store.requireItem('corpus', params.corpus);
  await requireNewRunId(store, params.id);
  return project;
}
