// What every run (a sweep, an ablation) reads from the project the same way: the model's and the
// corpus's folders, the corpus's class sets indexed by the model's vocabulary, and the split.
import { encodeSplit, ensureFrequencyClassSet } from '../corpus';
import { UNK, type VocabularyIndex } from '../corpus/vocabulary';
import { UserError } from '../errors';
import type { ProjectStore } from '../project';
import type { AnalyzeParamsResolved } from '../../../shared/schemas/run';
import { resolveClasses, type ResolvedClasses } from './run-classes';

/** The folders of the run's model and corpus, each refused when the project does not have it. */
export async function runItemDirs(store: ProjectStore, params: Pick<AnalyzeParamsResolved, 'model' | 'corpus'>): Promise<{ modelDir: string; corpusDir: string }> {
  await store.requireItem('model', params.model);
  await store.requireItem('corpus', params.corpus);
  return { modelDir: store.itemDir('model', params.model), corpusDir: store.itemDir('corpus', params.corpus) };
}

/** The class sets asked for (default: all), their words as the model's token ids. */
export async function runClasses(
  store: ProjectStore,
  corpusDir: string,
  params: Pick<AnalyzeParamsResolved, 'corpus' | 'classSets'>,
  index: VocabularyIndex,
): Promise<ResolvedClasses> {
  // A corpus imported before the frequency set existed gets it now (the run writes to the project anyway).
  await ensureFrequencyClassSet(corpusDir, { withWriteLock: (fn) => store.withWriteLock(fn), strict: true });
  // The corpus's <unk> (the freq-unk class) is the model's unknown-word token, whatever the vocabulary calls it.
  const classIndex = index.id.has(UNK) ? index.id : new Map([...index.id, [UNK, index.unkId]]);
  return resolveClasses(corpusDir, params.corpus, params.classSets, classIndex);
}

/** The run's split as the model's token ids; an empty split is refused. */
export async function runSplitTokens(corpusDir: string, params: Pick<AnalyzeParamsResolved, 'corpus' | 'split'>, index: VocabularyIndex): Promise<Int32Array> {
  const splitTokens = await encodeSplit(corpusDir, params.split, index);
  if (splitTokens.length === 0) throw new UserError(`the ${params.split} split of corpus '${params.corpus}' is empty`);
  return splitTokens;
}
