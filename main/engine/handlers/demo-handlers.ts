// The demo project: install or refresh it, then open it like projectOpen does.
import { installDemoProject } from '../demo/install-demo';
import type { EngineContext, HandlerGroup } from './types';

export function demoHandlers(ctx: EngineContext): HandlerGroup<'projectDemo'> {
  return {
    projectDemo: async ({ dir }) => {
      const { dir: projectDir, ...demo } = await installDemoProject(dir);
      const store = await ctx.projects.reopen(projectDir);
      await ctx.settings.rememberProject(store.dir, store.name);
      return { dir: store.dir, manifest: await store.readManifest(), demo };
    },
  };
}
