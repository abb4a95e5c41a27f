// Everything an analysis needs before the sweep, read and checked in the order that fails
// fastest: ids, layer (from training.json), words, classes and properties (names only),
// then the weights (property vectors, normalisation), and last the encoded split.
import path from 'node:path';
import { equalVarianceNormalisation, type Mat, type PropertySpec } from '../analysis';
import { encodeSplit, ensureFrequencyClassSet } from '../corpus';
import { checkTargetState, defaultTargetState, type TargetState } from '../gradients';
import { UNK, indexVocabulary, type Vocabulary } from '../corpus/vocabulary';
import { UserError } from '../jobs/errors';
import {
  MODEL_FILES,
  extractWeights,
  loadLanguageModel,
  readModelMeta,
  readVocabularyJson,
  selectBackend,
  type RnnLmWeights,
} from '../model';
import type { ProjectStore } from '../project';
import type { AnalyzeParamsResolved, RunConfig } from '../../../shared/schemas/run';
import { CELL_LABELS } from '../../../shared/schemas/model';
import { resolveClasses, type ResolvedClasses } from './run-classes';
import { checkPropertyVectors, parseProperties } from './run-properties';
import { resolveWords } from './run-words';

export interface PreparedRun {
  /** the model's folder (its files are digested by a shard and checked by a merge) */
  modelDir: string;
  weights: RnnLmWeights;
  vocab: Vocabulary;
  embeddings: Mat;
  /** the whole split as token ids (streams and --max-tokens are applied by the accumulation) */
  splitTokens: Int32Array;
  layer: number;
  /** the target state: as asked, else c for an LSTM layer and h for the others */
  state: TargetState;
  classes: ResolvedClasses;
  words: RunConfig['words'];
  properties: PropertySpec[];
  /** package versions of this thread's tfjs */
  versions: Record<string, string>;
  warnings: string[];
}

export async function prepareRun(params: AnalyzeParamsResolved, store: ProjectStore): Promise<PreparedRun> {
  await store.requireItem('model', params.model);
  await store.requireItem('corpus', params.corpus);
  const modelDir = store.itemDir('model', params.model);
  const corpusDir = store.itemDir('corpus', params.corpus);

  const arch = (await readModelMeta(modelDir)).architecture;
  const layers = arch.layers.length;
  const layer = params.layer ?? layers;
  if (layer < 1 || layer > layers) {
    const cells = new Set(arch.layers.map((l) => l.cell));
    const kind = cells.size === 1 ? CELL_LABELS[arch.layers[0].cell] : 'recurrent';
    throw new UserError(`layer ${layer} does not exist: model '${params.model}' has ${layers} ${kind} layer${layers === 1 ? '' : 's'} (use 1..${layers})`);
  }
  const cell = arch.layers[layer - 1].cell;
  const state = params.state ?? defaultTargetState(cell);
  checkTargetState(state, layer, cell);
  const vocab = await readVocabularyJson(path.join(modelDir, MODEL_FILES.vocab));
  const index = indexVocabulary(vocab);
  const words = resolveWords(params.words, index.id, params.model);
  // A corpus imported before the frequency set existed gets it now (the run writes to the project anyway).
  await ensureFrequencyClassSet(corpusDir, { withWriteLock: (fn) => store.withWriteLock(fn), strict: true });
  // The corpus's <unk> (the freq-unk class) is the model's unknown-word token, whatever the vocabulary calls it.
  const classIndex = index.id.has(UNK) ? index.id : new Map([...index.id, [UNK, index.unkId]]);
  const classes = await resolveClasses(corpusDir, params.corpus, params.classSets, classIndex);
  const parsed = parseProperties(params.properties, classes);
  const warnings = [...classes.warnings];

  // Reading weights needs a tfjs backend in this thread; the plain JS one starts at once.
  const backend = await selectBackend('cpu');
  const loaded = await loadLanguageModel(modelDir);
  let weights: RnnLmWeights;
  try {
    weights = extractWeights(loaded.model);
  } finally {
    loaded.model.dispose();
  }
  const embeddings: Mat = { data: weights.embedding, rows: weights.vocabSize, cols: weights.embeddingDim };
  const properties = checkPropertyVectors(parsed, classes.words, vocab.words, embeddings, warnings);
  if (params.normalize === 'equal-variance') {
    try {
      equalVarianceNormalisation(embeddings);
    } catch (err) {
      throw new UserError(`equal-variance normalisation is not possible for model '${params.model}': ${(err as Error).message}`);
    }
  }

  const splitTokens = await encodeSplit(corpusDir, params.split, index);
  if (splitTokens.length === 0) throw new UserError(`the ${params.split} split of corpus '${params.corpus}' is empty`);
  return { modelDir, weights, vocab, embeddings, splitTokens, layer, state, classes, words, properties, versions: backend.versions, warnings };
}
