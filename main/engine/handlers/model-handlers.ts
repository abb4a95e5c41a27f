// Listing, showing and deleting models. Training, import and evaluation are jobs.
import { runInWorker } from '../jobs/run-in-worker';
import { readModelMetaJson, summariseModel, weightsBytes } from './model-summary';
import type { EngineContext, HandlerGroup } from './types';
import { modelTasks } from '../model/tasks';

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function modelHandlers(ctx: EngineContext): HandlerGroup<'modelList' | 'modelShow' | 'modelDelete' | 'modelInspect'> {
  return {
    modelList: async ({ project }) => {
      const store = await ctx.projects.get(project);
      return Promise.all(
        (await store.list('model')).map(async (entry) => {
          try {
            // A folder deleted by hand, or weights gone from it, is a broken model, not a listed one.
            const gone = await store.folderProblem('model', entry.id);
            if (gone) return { ...entry, summary: null, problem: gone };
            const meta = await readModelMetaJson(store, entry.id);
            const weights = await weightsBytes(store, entry.id);
            if (weights === null) {
              return { ...entry, summary: null, problem: `${store.itemFile('model', entry.id, 'weights.bin')}: the model's weights are missing` };
            }
            return { ...entry, summary: summariseModel(meta, weights), problem: null };
          } catch (err) {
            return { ...entry, summary: null, problem: messageOf(err) };
          }
        }),
      );
    },
    modelShow: async ({ project, id }) => {
      const store = await ctx.projects.get(project);
      await store.requireItem('model', id);
      const meta = await readModelMetaJson(store, id);
      return { summary: summariseModel(meta, await weightsBytes(store, id)), meta };
    },
    modelDelete: async ({ project, id }) => {
      await (await ctx.projects.get(project)).deleteItem('model', id);
      return { deleted: id };
    },
    // In the engine's own thread, as corpusPreview reads its file: a language model's file is read whole, once.
    // in a worker: a model file is parsed whole (see inspect-model-task.ts)
    modelInspect: async ({ path, keys, nonlinearity }) =>
      runInWorker(modelTasks.inspectModel, { path, keys, nonlinearity }),
  };
}
