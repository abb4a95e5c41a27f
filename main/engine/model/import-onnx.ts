// Importing an ONNX language model (onnx/read-onnx.ts) with its vocabulary as a model folder.
import path from 'node:path';
import type { ImportModelResult } from '../../../shared/schemas/model';
import { UserError } from '../errors';
import { writeImportedModel } from './imported-model-folder';
import { architectureOfWeights } from './read-model';
import { readVocabularyFile } from './vocab-file';
import { readOnnxModel } from './onnx/read-onnx';

export { readOnnxModel };

export interface OnnxImportOptions {
  /** The .onnx file. */
  onnx: string;
  vocab: string;
  outDir: string;
}

export async function importOnnxModel(opts: OnnxImportOptions): Promise<ImportModelResult> {
  const file = path.resolve(opts.onnx);
  const vocabPath = path.resolve(opts.vocab);
  const read = await readOnnxModel(file);
  const vocab = await readVocabularyFile(vocabPath);
  if (vocab.words.length !== read.weights.vocabSize) {
    throw new UserError(
      `vocabulary size mismatch: ${vocabPath} lists ${vocab.words.length} words, but the embedding of ${file} has ${read.weights.vocabSize} rows and its decoder ${read.weights.vocabSize} outputs`,
    );
  }
  return writeImportedModel({
    outDir: opts.outDir,
    architecture: architectureOfWeights(read.weights),
    weights: read.weights,
    vocab,
    dropout: 0,
    source: { onnx: file, vocab: vocabPath, weightFiles: [file] },
    notes: read.notes,
  });
}
