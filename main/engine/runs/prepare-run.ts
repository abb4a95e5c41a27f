// Everything an analysis needs before the sweep, read and checked in the order that fails
// fastest: ids, layer (from training.json), words, classes and properties (names only),
// then the weights (property vectors, normalisation), and last the encoded split.
import path from 'node:path';
import { equalVarianceNormalisation, type Mat, type PropertySpec } from '../analysis';
import { checkTargetState, defaultTargetState, type TargetState } from '../gradients';
import { indexVocabulary, type Vocabulary } from '../corpus/vocabulary';
import { UserError } from '../errors';
import { MODEL_FILES, readModelMeta, readVocabularyJson, type RnnLmWeights } from '../model';
import { loadModelWeights } from '../model/load-weights';
import type { ProjectStore } from '../project';
import type { AnalyzeParamsResolved, RunConfig } from '../../../shared/schemas/run';
import { CELL_LABELS } from '../../../shared/schemas/model';
import type { ResolvedClasses } from './run-classes';
import { runClasses, runItemDirs, runSplitTokens } from './run-inputs';
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
  const { modelDir, corpusDir } = await runItemDirs(store, params);

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
  const classes = await runClasses(store, corpusDir, params, index);
  const parsed = parseProperties(params.properties, classes);
  const warnings = [...classes.warnings];

  const { weights, versions } = await loadModelWeights(modelDir);
  const embeddings: Mat = { data: weights.embedding, rows: weights.vocabSize, cols: weights.embeddingDim };
  const properties = checkPropertyVectors(parsed, classes.words, vocab.words, embeddings, warnings);
  if (params.normalize === 'equal-variance') {
    try {
      equalVarianceNormalisation(embeddings);
    } catch (err) {
      throw new UserError(`equal-variance normalisation is not possible for model '${params.model}': ${(err as Error).message}`);
    }
  }

  const splitTokens = await runSplitTokens(corpusDir, params, index);
  return { modelDir, weights, vocab, embeddings, splitTokens, layer, state, classes, words, properties, versions, warnings };
}
