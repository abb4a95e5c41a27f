// Listing, showing and deleting models. Training, import and evaluation are jobs.
import { readModelMetaJson, summariseModel, weightsBytes } from './model-summary';
import type { EngineContext, HandlerGroup } from './types';

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function modelHandlers(ctx: EngineContext): HandlerGroup<'modelList' | 'modelShow' | 'modelDelete'> {
  return {
    modelList: async ({ project }) => {
      const store = await ctx.projects.get(project);
      return Promise.all(
        (await store.list('model')).map(async (entry) => {
          try {
            const meta = await readModelMetaJson(store, entry.id);
            return { ...entry, summary: summariseModel(meta, await weightsBytes(store, entry.id)), problem: null };
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
  };
}
