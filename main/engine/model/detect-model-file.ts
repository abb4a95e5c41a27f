// What kind of model file a path holds, told from its first bytes, and what an import of it
// would bring in (the import form's preview, the `modelInspect` procedure). Nothing is
// written. The formats:
//   'PK\x03\x04'                      a torch.save zip (.pt/.pth)          → readPytorchModel
//   8-byte LE header length, then '{' a safetensors file                   → readPytorchModel
//   JSON with modelTopology           a TensorFlow.js Layers model.json    → its topology and manifest
//   plain text                        refused (a vocabulary given as the model, say)
//   anything else                     tried as an ONNX protobuf            → readOnnxModel
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { ImportModelJobParamsSchema } from '../../../shared/job-kinds/import-model';
import type { DetectedModel } from '../../../shared/schemas/model';
import { UserError } from '../errors';
import { openRegularFile } from '../project/safe-open';
import { parseJsonText, readTextFile } from '../project/read-json';
import { MODEL_JSON, readModelFiles } from './file-io-handler';
import { readOnnxModel } from './import-onnx';
import { readPytorchModel } from './import-pytorch';
import { checkTopology, topologyLayers } from './model-topology';
import { detectedModel } from './read-model';

/** What the first bytes say; 'other' is tried as ONNX (a protobuf has no magic number). */
export type SniffedFormat = 'pytorch' | 'safetensors' | 'json' | 'torch-legacy' | 'text' | 'other';

/** Bytes enough to tell the formats apart. */
export const SNIFF_BYTES = 16;

const isSpace = (b: number) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

/** The format of a file of `size` bytes whose first bytes are `head` (at least SNIFF_BYTES of them when the file has that many). */
export function sniffModelFormat(head: Uint8Array, size: number): SniffedFormat {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'pytorch';
  if (head.length >= 9 && head[8] === 0x7b) {
    const n = new DataView(head.buffer, head.byteOffset, 8).getBigUint64(0, true);
    if (n >= 2n && 8n + n <= BigInt(size)) return 'safetensors';
  }
  let i = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0; // UTF-8 BOM
  while (i < head.length && isSpace(head[i])) i++;
  if (i < head.length && head[i] === 0x7b) return 'json';
  // torch.save before PyTorch 1.6 (and with _use_new_zipfile_serialization=False): a bare pickle.
  if (head.length >= 2 && head[0] === 0x80 && head[1] >= 2 && head[1] <= 5) return 'torch-legacy';
  // A protobuf starts with a field tag (ONNX: 0x08, ir_version), never with printable text.
  if (head.length > 0 && head.every((b) => isSpace(b) || (b >= 0x20 && b < 0x7f))) return 'text';
  return 'other';
}

/** The PyTorch hints an import takes (import-model job's keys and nonlinearity). */
export type InspectOptions = Pick<z.output<typeof ImportModelJobParamsSchema>, 'keys' | 'nonlinearity'>;

async function readHead(file: string): Promise<{ head: Uint8Array; size: number }> {
  const { handle, size } = await openRegularFile(file, { what: 'model file' });
  try {
    const head = new Uint8Array(Math.min(SNIFF_BYTES, size));
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return { head: head.subarray(0, bytesRead), size };
  } finally {
    await handle.close().catch(() => {});
  }
}

/**
 * What importing `file` would bring in, or a UserError naming the file and the problem. A
 * folder holding a model.json stands for that model.json (a tfjs model is a folder of files).
 */
export async function inspectModelFile(given: string, opts: InspectOptions = {}): Promise<DetectedModel> {
  let file = path.resolve(given);
  const st = await fs.stat(file).catch(() => null);
  if (st?.isDirectory()) {
    const inside = path.join(file, MODEL_JSON);
    if (!(await fs.stat(inside).catch(() => null))?.isFile()) {
      throw new UserError(`${file}: is a folder without a ${MODEL_JSON}; choose the model file itself (.pt, .safetensors, .onnx or model.json)`);
    }
    file = inside;
  }
  const { head, size } = await readHead(file);
  if (size === 0) throw new UserError(`${file}: the file is empty`);
  switch (sniffModelFormat(head, size)) {
    case 'pytorch':
    case 'safetensors':
      return detectedModel(await readPytorchModel(file, opts));
    case 'json':
      return inspectTfjsModel(file);
    case 'torch-legacy':
      throw new UserError(
        `${file}: a torch.save file in the legacy format (a bare pickle, PyTorch before 1.6 or _use_new_zipfile_serialization=False); ` +
          'save the state_dict again with a recent PyTorch (torch.save(model.state_dict(), f)) or as .safetensors',
      );
    case 'text':
      throw new UserError(
        `${file}: a text file, not a model; expected a PyTorch state_dict (.pt/.pth, .safetensors), an ONNX file or a TensorFlow.js model.json`,
      );
    case 'other':
      return detectedModel(await readOnnxModel(file));
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** "float32", or "uint8 (quantized, read as float32)", from the weights manifest. */
function manifestDtype(specs: { dtype: string; quantization?: { dtype: string } }[]): string {
  const kinds = [...new Set(specs.map((s) => (s.quantization ? `${s.quantization.dtype} (quantized, read as float32)` : s.dtype)))];
  return kinds.length ? kinds.join(', ') : 'float32';
}

/** A TensorFlow.js Layers model.json: its topology checked as the import checks it, and its weight files read. */
export async function inspectTfjsModel(modelJsonPath: string): Promise<DetectedModel> {
  const text = await readTextFile(modelJsonPath, 'model.json');
  const json = parseJsonText(modelJsonPath, text);
  if (!isRecord(json) || !('modelTopology' in json)) {
    const vocab = isRecord(json) && Array.isArray(json.words);
    throw new UserError(
      vocab
        ? `${modelJsonPath}: a vocabulary (vocab.json), not a model; choose the model file, and give this one as the vocabulary`
        : `${modelJsonPath}: a JSON file without modelTopology, not a TensorFlow.js Layers model.json`,
    );
  }
  const files = await readModelFiles(modelJsonPath);
  const checked = checkTopology(modelJsonPath, topologyLayers(modelJsonPath, files.modelJson.modelTopology));
  if (checked.dense.units !== checked.embedding.inputDim) {
    throw new UserError(
      `${modelJsonPath}: the Embedding has ${checked.embedding.inputDim} rows but the output Dense layer '${checked.dense.name}' has ` +
        `${checked.dense.units} units; a language model predicts the words it reads, so the two must be equal`,
    );
  }
  return {
    format: 'tfjs',
    architecture: {
      vocabSize: checked.embedding.inputDim,
      embeddingDim: checked.embedding.outputDim,
      layers: checked.recurrent.map((l) => ({ units: l.units, cell: l.cell, recurrentActivation: l.recurrentActivation })),
      outputActivation: checked.dense.activation,
    },
    tied: false,
    dtype: manifestDtype(files.weightSpecs),
    notes: checked.notes,
  };
}
