// A model folder: model.json + weights.bin (TensorFlow.js Layers format), vocab.json and
// training.json. Every file is written atomically; the project store stages whole folders.
import type * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { MODEL_META_SCHEMA_VERSION, ModelMetaSchema, VocabularySchema } from '../../../shared/schemas/model';
import type { ModelMeta } from '../../../shared/schemas/model';
import type { Vocabulary } from '../corpus/vocabulary';
import { UserError } from '../errors';
import { writeJsonAtomic } from '../project/atomic-write';
import { readJsonFile, parseJsonText, readTextFile, validateJson } from '../project/read-json';
import { MODEL_JSON, WEIGHTS_BIN, fileSaveHandler, loadLayersModelFile } from './file-io-handler';
import { architectureOf } from './rnn-lm';

export const MODEL_FILES = { modelJson: MODEL_JSON, weights: WEIGHTS_BIN, vocab: 'vocab.json', meta: 'training.json' } as const;

export async function saveModelWeights(dir: string, model: tf.LayersModel): Promise<void> {
  await model.save(fileSaveHandler(dir));
}

export async function writeVocabulary(dir: string, vocab: Vocabulary): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await writeJsonAtomic(path.join(dir, MODEL_FILES.vocab), VocabularySchema.parse(vocab));
}

export async function writeModelMeta(dir: string, meta: ModelMeta): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await writeJsonAtomic(path.join(dir, MODEL_FILES.meta), ModelMetaSchema.parse(meta));
}

export async function readVocabularyJson(file: string): Promise<Vocabulary> {
  return readJsonFile(file, VocabularySchema, 'vocabulary');
}

export async function readModelMeta(dir: string): Promise<ModelMeta> {
  const file = path.join(dir, MODEL_FILES.meta);
  const value = parseJsonText(file, await readTextFile(file, 'training.json'));
  const probe = z.object({ schemaVersion: z.number().int() }).safeParse(value);
  if (probe.success && probe.data.schemaVersion > MODEL_META_SCHEMA_VERSION) {
    throw new UserError(
      `${file}: written by a newer Mnemoscope (schema version ${probe.data.schemaVersion}, this one reads up to ${MODEL_META_SCHEMA_VERSION}); update Mnemoscope`,
    );
  }
  return validateJson(file, value, ModelMetaSchema, 'training.json');
}

export interface LoadedModel {
  model: tf.LayersModel;
  vocab: Vocabulary;
  meta: ModelMeta;
}

/** Loads a model folder and checks that its parts agree. The caller disposes `model`. */
export async function loadLanguageModel(dir: string): Promise<LoadedModel> {
  const meta = await readModelMeta(dir);
  const vocab = await readVocabularyJson(path.join(dir, MODEL_FILES.vocab));
  const model = await loadLayersModelFile(path.join(dir, MODEL_FILES.modelJson));
  let arch;
  try {
    arch = architectureOf(model);
  } catch (err) {
    model.dispose();
    throw new UserError(`${path.join(dir, MODEL_FILES.modelJson)}: not a Mnemoscope language model: ${(err as Error).message}`);
  }
  if (arch.vocabSize !== vocab.words.length) {
    model.dispose();
    throw new UserError(
      `${path.join(dir, MODEL_FILES.vocab)}: lists ${vocab.words.length} words but the model's vocabulary has ${arch.vocabSize}`,
    );
  }
  return { model, vocab, meta };
}
