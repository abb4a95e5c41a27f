// Everything an ablation needs before it computes, read as a sweep reads it (prepare-run.ts):
// the model's weights and vocabulary, the corpus's class sets (resolveClasses; the built-in
// `frequency` set gives the frequency bands), the encoded split, and for `random` mode the
// unigram counts of the training split.
import path from 'node:path';
import { encodeSplit } from '../corpus';
import { indexVocabulary } from '../corpus/vocabulary';
import { UserError } from '../errors';
import { MODEL_FILES, readVocabularyJson, type RnnLmWeights } from '../model';
import { loadModelWeights } from '../model/load-weights';
import type { ProjectStore } from '../project';
import type { ResolvedClasses } from '../runs/run-classes';
import { runClasses, runItemDirs, runSplitTokens } from '../runs/run-inputs';
import type { AblateParamsResolved } from '../../../shared/schemas/ablation';
import { unigramCounts } from './replacements';

export interface PreparedAblation {
  weights: RnnLmWeights;
  splitTokens: Int32Array;
  unkId: number;
  /** unigram counts of the training split (random mode only) */
  unigram: Float64Array | null;
  classes: ResolvedClasses;
  versions: Record<string, string>;
  warnings: string[];
}

export async function prepareAblation(params: AblateParamsResolved, store: ProjectStore): Promise<PreparedAblation> {
  const { modelDir, corpusDir } = await runItemDirs(store, params);
  const vocab = await readVocabularyJson(path.join(modelDir, MODEL_FILES.vocab));
  const index = indexVocabulary(vocab);
  const classes = await runClasses(store, corpusDir, params, index);

  const { weights, versions } = await loadModelWeights(modelDir);
  const splitTokens = await runSplitTokens(corpusDir, params, index);
  let unigram: Float64Array | null = null;
  if (params.mode === 'random') {
    const train = await encodeSplit(corpusDir, 'train', index);
    if (train.length === 0) throw new UserError(`corpus '${params.corpus}' has an empty training split, so there is no unigram to draw random replacements from: use --mode unk or shuffle`);
    unigram = unigramCounts(train, weights.vocabSize);
  }
  return { weights, splitTokens, unkId: index.unkId, unigram, classes, versions, warnings: [...classes.warnings] };
}
