// Listing and deleting analysis runs.
import type { EngineContext, HandlerGroup } from './types';

export function runHandlers(ctx: EngineContext): HandlerGroup<'runList' | 'runDelete'> {
  return {
    runList: async ({ project }) => (await ctx.projects.get(project)).listRuns(),
    runDelete: async ({ project, id }) => {
      await (await ctx.projects.get(project)).deleteItem('run', id);
      return { deleted: id };
    },
  };
}
