// The model module's public surface, for the CLI, the analyses and the project store.
export { selectBackend, BACKEND_NAMES, type BackendInfo, type BackendPreference } from './backend';
export type { RnnLmWeights, RecurrentLayerWeights, RecurrentActivation, Cell } from './rnn-weights';
export { gateCount, hasCellState } from './rnn-weights';
export { buildRnnLm, architectureOf, modelTensors, layerNames, type InitOptions } from './rnn-lm';
export { extractWeights, tensorsFromWeights, disposeTensors, assignWeights } from './extract-weights';
export { evaluatePerplexity, weightsPerplexity, perplexityOf, type PerplexityOptions } from './perplexity';
export { batchify, windowAt, windowCount, predictedTokens, type Batched } from './batchify';
export { trainLanguageModel, learningRateAt, architectureFor, checkCellOptions, type TrainInput } from './train-loop';
export { trainTask, readTrainingData, type TrainingData } from './train-task';
export { evaluateTask, type EvaluateProgress } from './evaluate-task';
export { importTfjsModel, type ImportOptions } from './import-model';
export { ResetAfterGRU } from './reset-after-gru';
export { importModelTask } from './import-model-task';
export { importPytorchModel, type PytorchImportOptions } from './import-pytorch';
export { readVocabularyFile, parseVocabularyText } from './vocab-file';
export {
  MODEL_FILES,
  loadLanguageModel,
  readModelMeta,
  readVocabularyJson,
  saveModelWeights,
  writeModelMeta,
  writeVocabulary,
  type LoadedModel,
} from './model-files';
export { fileSaveHandler, fileLoadHandler, loadLayersModelFile, readModelFiles } from './file-io-handler';
export { benchTraining, type BenchTrainingResult } from './bench-training';
