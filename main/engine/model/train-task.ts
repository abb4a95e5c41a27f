// The `train` worker task: a thin wrapper that reads the corpus (or takes token ids),
// selects the backend and runs the training core (train-loop.ts).
import type { TrainProgress, TrainResult, TrainTaskParams } from '../../../shared/schemas/model';
import { TrainTaskParamsSchema } from '../../../shared/schemas/model';
import { encodeSplit, readCorpusManifest, trainTypeCounts } from '../corpus/corpus-reader';
import type { Vocabulary } from '../corpus/vocabulary';
import { buildVocabulary, indexVocabulary } from '../corpus/vocabulary';
import type { TaskFn } from '../jobs/task-context';
import { selectBackend } from './backend';
import { parseTaskParams } from './task-params';
import { checkCellOptions, trainLanguageModel } from './train-loop';

export interface TrainingData {
  train: Int32Array;
  valid: Int32Array;
  vocab: Vocabulary;
}

/** The vocabulary (the `vocabSize` most frequent train types, <unk>, <eos> if the corpus marks sentence ends) and the encoded splits. */
export async function readTrainingData(corpusDir: string, vocabSize: number): Promise<TrainingData> {
  const manifest = await readCorpusManifest(corpusDir);
  const vocab = buildVocabulary(await trainTypeCounts(corpusDir), vocabSize, manifest.preprocessing.eos);
  const index = indexVocabulary(vocab);
  const train = await encodeSplit(corpusDir, 'train', index);
  const valid = await encodeSplit(corpusDir, 'valid', index);
  return { train, valid, vocab };
}

export const trainTask: TaskFn<TrainTaskParams, TrainResult, TrainProgress> = async (raw, ctx) => {
  const params = parseTaskParams('train', TrainTaskParamsSchema, raw);
  checkCellOptions(params.config); // before the corpus is read
  const backend = await selectBackend(params.backend, { fresh: true }); // fresh: the device worker may have run another backend before
  const src = params.source;
  const data = src.kind === 'corpus' ? await readTrainingData(src.dir, params.config.vocabSize) : src;
  const valid = src.kind === 'corpus' && src.validTokens !== null ? data.valid.subarray(0, src.validTokens) : data.valid;
  return trainLanguageModel(
    {
      train: data.train,
      valid,
      vocab: data.vocab,
      config: params.config,
      outDir: params.outDir,
      backend,
      corpus: src.kind === 'corpus' ? { id: src.id, dir: src.dir } : undefined,
    },
    ctx,
  );
};
