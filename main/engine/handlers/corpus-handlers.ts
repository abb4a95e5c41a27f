// Listing, showing and deleting corpora and listing their class sets.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  addUserClassSet,
  classSetFromWordList,
  classSetIdProblem,
  detectFileFormat,
  openCorpusClassSets,
  readCorpusManifest,
} from '../corpus';
import type { ProjectStore } from '../project';
import { detectTagging } from '../corpus/tagging';
import { firstNonEmptyLines } from '../corpus/text-lines';
import { UserError } from '../errors';
import { describeFileType } from '../project/safe-open';
import type { EngineContext, HandlerGroup } from './types';

/** Preview lines longer than this are cut (a CoNLL-U row or a sentence is far shorter). */
const PREVIEW_LINE_CHARS = 400;

/** The first lines of a file to import, with the format and tagset the import would detect. */
export async function previewCorpusFile(file: string, lines: number) {
  const full = path.resolve(file);
  const stat = await fs.stat(full).catch(() => null);
  if (!stat) throw new UserError(`${full}: no such file`);
  if (!stat.isFile()) throw new UserError(`${full}: is ${describeFileType(stat)}, not a file; give the path of a text file`);
  const first = await firstNonEmptyLines(full, lines + 1);
  const format = await detectFileFormat(full);
  const { tagset } = await detectTagging(full, format);
  return {
    path: full,
    lines: first.slice(0, lines).map((l) => (l.length > PREVIEW_LINE_CHARS ? `${l.slice(0, PREVIEW_LINE_CHARS)}…` : l)),
    more: first.length > lines,
    format,
    tagset,
    bytes: stat.size,
  };
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

const lockOf = (store: ProjectStore) => ({ withWriteLock: <T>(fn: () => Promise<T>) => store.withWriteLock(fn) });

export function corpusHandlers(
  ctx: EngineContext,
): HandlerGroup<'corpusList' | 'corpusShow' | 'classSetList' | 'classSetAdd' | 'corpusPreview' | 'corpusDelete'> {
  return {
    corpusList: async ({ project }) => {
      const store = await ctx.projects.get(project);
      // One unreadable corpus.json is reported on its own line, never hides the others.
      // A corpus whose folder was deleted by hand is listed with that as its problem.
      return Promise.all(
        (await store.list('corpus')).map(async (entry) => {
          const gone = await store.folderProblem('corpus', entry.id);
          if (gone) return { ...entry, corpus: null, problem: gone };
          return readCorpusManifest(store.itemDir('corpus', entry.id)).then(
            (corpus) => ({ ...entry, corpus, problem: null }),
            (err: unknown) => ({ ...entry, corpus: null, problem: messageOf(err) }),
          );
        }),
      );
    },
    corpusShow: async ({ project, id }) => {
      const store = await ctx.projects.get(project);
      await store.requireItem('corpus', id);
      const dir = store.itemDir('corpus', id);
      const corpus = await readCorpusManifest(dir);
      return { corpus, classSets: (await openCorpusClassSets(dir, lockOf(store))).classSets };
    },
    // Opening a corpus's class sets adds the frequency set to a corpus imported before it existed.
    classSetList: async ({ project, corpus }) => {
      const store = await ctx.projects.get(project);
      await store.requireItem('corpus', corpus);
      return (await openCorpusClassSets(store.itemDir('corpus', corpus), lockOf(store))).classSets;
    },
    // A user's word list becomes a class set of the corpus, preprocessed like the corpus.
    classSetAdd: async ({ project, corpus, id, words, defaultClass, name, replace }) => {
      const store = await ctx.projects.get(project);
      await store.requireItem('corpus', corpus);
      const dir = store.itemDir('corpus', corpus);
      // Refused before the word list is read; checked again under the lock when it is written.
      const problem = await classSetIdProblem(dir, corpus, id, replace);
      if (problem) throw new UserError(problem);
      const manifest = await readCorpusManifest(dir);
      const classSet = await classSetFromWordList(path.resolve(words), { id, name, defaultClass, preprocessing: manifest.preprocessing });
      const { replaced } = await addUserClassSet(dir, corpus, classSet, { replace, ...lockOf(store) });
      return { classSet, replaced };
    },
    corpusPreview: async ({ path: file, lines }) => previewCorpusFile(file, lines),
    corpusDelete: async ({ project, id }) => {
      await (await ctx.projects.get(project)).deleteItem('corpus', id);
      return { deleted: id };
    },
  };
}
