// Importing a PyTorch recurrent language model shaped like PyTorch's word_language_model
// example (Embedding → nn.LSTM / nn.GRU / nn.RNN × L → Linear, tied or untied), saved as a
// state_dict with torch.save (a zip; torch-zip.ts) or as a safetensors file (safetensors.ts),
// told apart by the first bytes, not the name. The parts are recognised by key suffix and
// shape and mapped to Mnemoscope's layouts in pytorch-keys.ts (DESIGN §7).
import path from 'node:path';
import type { ImportModelResult } from '../../../shared/schemas/model';
import { UserError } from '../errors';
import { readRegularFile } from '../project/safe-open';
import { writeImportedModel } from './imported-model-folder';
import { recogniseRnnLm, type PytorchReadOptions } from './pytorch-keys';
import { architectureOfWeights, type ReadModel } from './read-model';
import { MAX_SAFETENSORS_FILE_BYTES, parseSafetensors } from './safetensors';
import { MAX_TORCH_FILE_BYTES, parseTorchStateDict } from './torch-zip';
import { readVocabularyFile } from './vocab-file';

export type { KeyOverride, PytorchReadOptions } from './pytorch-keys';

export interface PytorchImportOptions extends PytorchReadOptions {
  /** The .pt/.pth state_dict or .safetensors file. */
  pytorch: string;
  vocab: string;
  outDir: string;
}

/** Largest file read, whichever of the two formats it is. */
export const MAX_PYTORCH_FILE_BYTES = Math.max(MAX_TORCH_FILE_BYTES, MAX_SAFETENSORS_FILE_BYTES);

/** 'pytorch' (a torch.save zip), 'safetensors', or a UserError saying what the file is not. */
function formatOf(file: string, buf: Buffer): 'pytorch' | 'safetensors' {
  if (buf.length >= 4 && buf.readUInt32LE(0) === 0x04034b50) return 'pytorch';
  if (buf.length >= 9 && buf[8] === 0x7b) return 'safetensors';
  if (buf.length >= 2 && buf[0] === 0x80 && buf[1] >= 2 && buf[1] <= 5) {
    throw new UserError(
      `${file}: a torch.save file in the legacy format (a bare pickle: PyTorch before 1.6, or _use_new_zipfile_serialization=False); ` +
        'save the state_dict again with a recent PyTorch (torch.save(model.state_dict(), path)) or as .safetensors',
    );
  }
  if (buf.length === 0) throw new UserError(`${file}: the file is empty`);
  throw new UserError(
    `${file}: neither a torch.save file (a zip) nor a safetensors file (an 8-byte header length, then a JSON header); is it truncated or of another format?`,
  );
}

/**
 * The weights of the PyTorch model in `file` (a torch.save state_dict or a safetensors file),
 * read and checked, with nothing written. Every failure is a one-line UserError naming the file.
 */
export async function readPytorchModel(given: string, opts: PytorchReadOptions = {}): Promise<ReadModel> {
  const file = path.resolve(given);
  const buf = await readRegularFile(file, { what: 'PyTorch model file (.pt or .safetensors)', maxBytes: MAX_PYTORCH_FILE_BYTES });
  const format = formatOf(file, buf);
  const tensors = format === 'pytorch' ? parseTorchStateDict(file, buf).tensors : parseSafetensors(file, buf).tensors;
  const r = recogniseRnnLm(file, tensors, opts);
  return { format, weights: r.weights, tied: r.tied, dtype: r.dtype, notes: r.notes };
}

export async function importPytorchModel(opts: PytorchImportOptions): Promise<ImportModelResult> {
  const file = path.resolve(opts.pytorch);
  const vocabPath = path.resolve(opts.vocab);
  const read = await readPytorchModel(file, { keys: opts.keys, nonlinearity: opts.nonlinearity });
  const { weights } = read;
  const vocab = await readVocabularyFile(vocabPath);
  if (vocab.words.length !== weights.vocabSize) {
    throw new UserError(
      `vocabulary size mismatch: ${vocabPath} lists ${vocab.words.length} words, but the embedding of ${file} has ${weights.vocabSize} rows and its decoder ${weights.vocabSize} outputs`,
    );
  }
  return writeImportedModel({
    outDir: opts.outDir,
    architecture: architectureOfWeights(weights),
    weights,
    vocab,
    dropout: 0,
    source: { pytorch: file, vocab: vocabPath, weightFiles: [file] },
    notes: read.notes,
  });
}
