// Listing, showing and deleting corpora and listing their class sets.
import { listClassSets, readCorpusManifest } from '../corpus';
import type { EngineContext, HandlerGroup } from './types';

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function corpusHandlers(ctx: EngineContext): HandlerGroup<'corpusList' | 'corpusShow' | 'classSetList' | 'corpusDelete'> {
  return {
    corpusList: async ({ project }) => {
      const store = await ctx.projects.get(project);
      // One unreadable corpus.json is reported on its own line, never hides the others.
      return Promise.all(
        (await store.list('corpus')).map((entry) =>
          readCorpusManifest(store.itemDir('corpus', entry.id)).then(
            (corpus) => ({ ...entry, corpus, problem: null }),
            (err: unknown) => ({ ...entry, corpus: null, problem: messageOf(err) }),
          ),
        ),
      );
    },
    corpusShow: async ({ project, id }) => {
      const store = await ctx.projects.get(project);
      await store.requireItem('corpus', id);
      const dir = store.itemDir('corpus', id);
      return { corpus: await readCorpusManifest(dir), classSets: await listClassSets(dir) };
    },
    classSetList: async ({ project, corpus }) => {
      const store = await ctx.projects.get(project);
      await store.requireItem('corpus', corpus);
      return listClassSets(store.itemDir('corpus', corpus));
    },
    corpusDelete: async ({ project, id }) => {
      await (await ctx.projects.get(project)).deleteItem('corpus', id);
      return { deleted: id };
    },
  };
}
