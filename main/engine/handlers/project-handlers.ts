// Creating, opening and reading projects, and the recent-projects list.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ProjectStore } from '../project';
import { MANIFEST_FILE } from '../project';
import type { EngineContext, HandlerGroup } from './types';

async function info(store: ProjectStore) {
  return { dir: store.dir, manifest: await store.readManifest() };
}

async function holdsProject(dir: string): Promise<boolean> {
  return fs.stat(path.join(dir, MANIFEST_FILE)).then(
    (s) => s.isFile(),
    () => false,
  );
}

export function projectHandlers(
  ctx: EngineContext,
): HandlerGroup<'projectCreate' | 'projectOpen' | 'projectInfo' | 'projectRecent'> {
  return {
    projectCreate: async ({ dir, name, remember }) => {
      const store = await ctx.projects.create(dir, name);
      if (remember !== false) await ctx.settings.rememberProject(store.dir, store.name);
      return info(store);
    },
    projectOpen: async ({ dir }) => {
      const store = await ctx.projects.reopen(dir);
      await ctx.settings.rememberProject(store.dir, store.name);
      return info(store);
    },
    projectInfo: async ({ project }) => info(await ctx.projects.get(project)),
    projectRecent: async () => {
      const { settings } = await ctx.settings.read();
      return Promise.all(settings.recentProjects.map(async (r) => ({ ...r, available: await holdsProject(r.dir) })));
    },
  };
}
