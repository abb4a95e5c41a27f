// TensorFlow.js IOHandlers for the local file system (tfjs's own `file://` handler comes
// with tfjs-node, which is not always installable). The files are the standard Layers
// format: model.json (topology + weightsManifest) and the weight file(s) it lists.
import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { UserError } from '../errors';
import { writeFileAtomic, writeJsonAtomic } from '../project/atomic-write';
import { parseJsonText, readTextFile, validateJson } from '../project/read-json';
import { openRegularFile } from '../project/safe-open';
import { checkWeightsFit, runningBackend } from './memory-budget';
// Registers the custom 'ResetAfterGRU' layer class before any model is deserialized.
import './reset-after-gru';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

const WeightSpecSchema = z.object({
  name: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.enum(['float32', 'int32', 'bool', 'string', 'complex64']),
  quantization: z
    .object({ dtype: z.enum(['uint8', 'uint16', 'float16']), scale: z.number().optional(), min: z.number().optional() })
    .loose()
    .optional(),
});

/** The parts of a Layers-format model.json that loading relies on. */
export const ModelJsonSchema = z
  .object({
    format: z.string().optional(),
    modelTopology: z.record(z.string(), z.unknown()),
    weightsManifest: z.array(z.object({ paths: z.array(z.string().min(1)), weights: z.array(WeightSpecSchema) })),
  })
  .loose();
export type ModelJson = z.infer<typeof ModelJsonSchema>;

/** Writes model.json + weights.bin into `dir` (each atomically). */
export function fileSaveHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer || !artifacts.modelTopology) {
        throw new Error('only Layers models with a JSON topology can be saved');
      }
      const weightData = artifacts.weightData ? tf.io.CompositeArrayBuffer.join(artifacts.weightData) : new ArrayBuffer(0);
      const modelJson = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      await fs.mkdir(dir, { recursive: true });
      // Weights first: a model.json on disk never points at weights not yet written.
      await writeFileAtomic(path.join(dir, WEIGHTS_BIN), new Uint8Array(weightData));
      await writeJsonAtomic(path.join(dir, MODEL_JSON), modelJson);
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: JSON.stringify(artifacts.modelTopology).length,
          weightSpecsBytes: JSON.stringify(artifacts.weightSpecs ?? []).length,
          weightDataBytes: weightData.byteLength,
        },
      };
    },
  };
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

function specBytes(spec: z.infer<typeof WeightSpecSchema>, file: string): number {
  const size = spec.shape.reduce((a, b) => a * b, 1);
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  const bytes = BYTES[dtype];
  if (bytes === undefined) throw new UserError(`${file}: weight '${spec.name}' has dtype ${dtype}, which a language model cannot use`);
  return size * bytes;
}

export interface ModelFiles {
  modelJsonPath: string;
  modelJson: ModelJson;
  weightFiles: string[];
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
}

/**
 * Reads model.json and every weight file its manifest lists (paths relative to model.json),
 * checking each file exists and holds exactly the bytes the manifest describes.
 */
export async function readModelFiles(modelJsonPath: string): Promise<ModelFiles> {
  const text = await readTextFile(modelJsonPath, 'model.json');
  const modelJson = validateJson(modelJsonPath, parseJsonText(modelJsonPath, text), ModelJsonSchema, 'TensorFlow.js model.json');
  if (modelJson.format !== undefined && modelJson.format !== 'layers-model') {
    throw new UserError(
      `${modelJsonPath}: format is '${modelJson.format}', expected a TensorFlow.js Layers model ('layers-model'); graph models cannot be analysed`,
    );
  }
  const dir = path.dirname(modelJsonPath);
  const needs = modelJson.weightsManifest.map((group) => group.weights.reduce((n, s) => n + specBytes(s, modelJsonPath), 0));
  // Before any weights file is read: a manifest describing more than memory holds is refused.
  checkWeightsFit(modelJsonPath, needs.reduce((a, b) => a + b, 0), runningBackend());
  const weightFiles: string[] = [];
  const chunks: Uint8Array[] = [];
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  for (const [g, group] of modelJson.weightsManifest.entries()) {
    const need = needs[g];
    const files = group.paths.join(', ');
    let have = 0;
    for (const rel of group.paths) {
      const file = path.resolve(dir, rel);
      // Opened non-blocking and checked to be a regular file (a FIFO would block a pool thread);
      // its size is checked against the manifest before it is read.
      const { handle, size } = await openRegularFile(file, {
        what: 'weights file',
        missing: `${file}: weights file not found (listed in ${modelJsonPath})`,
      });
      let buf: Buffer;
      try {
        if (have + size > need) {
          throw new UserError(
            `${file}: weights file does not match model.json: ${files} hold at least ${have + size} bytes, but the weightsManifest of ${modelJsonPath} needs ${need}`,
          );
        }
        buf = Buffer.alloc(size);
        let at = 0;
        while (at < size) {
          const { bytesRead } = await handle.read(buf, at, size - at, at);
          if (bytesRead === 0) break;
          at += bytesRead;
        }
        if (at < size) buf = buf.subarray(0, at);
      } catch (err) {
        if (err instanceof UserError) throw err;
        throw new UserError(`${file}: cannot read weights file (${(err as Error).message})`);
      } finally {
        await handle.close().catch(() => {});
      }
      weightFiles.push(file);
      chunks.push(buf);
      have += buf.byteLength;
    }
    if (have < need) {
      throw new UserError(
        `${path.resolve(dir, group.paths[group.paths.length - 1])}: weights file is truncated: ${files} hold ${have} bytes, but the weightsManifest of ${modelJsonPath} needs ${need}`,
      );
    }
    if (have > need) {
      throw new UserError(
        `${path.resolve(dir, group.paths[group.paths.length - 1])}: weights file does not match model.json: ${files} hold ${have} bytes, but the weightsManifest needs ${need}`,
      );
    }
    weightSpecs.push(...(group.weights as tf.io.WeightsManifestEntry[]));
  }
  const total = chunks.reduce((n, c) => n + c.byteLength, 0);
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return { modelJsonPath, modelJson, weightFiles, weightSpecs, weightData: all.buffer };
}

export function artifactsOf(files: ModelFiles): tf.io.ModelArtifacts {
  const j = files.modelJson;
  return {
    modelTopology: j.modelTopology as tf.io.ModelArtifacts['modelTopology'],
    format: j.format,
    weightSpecs: files.weightSpecs,
    weightData: files.weightData,
    ...(j.trainingConfig ? { trainingConfig: j.trainingConfig as tf.io.TrainingConfig } : {}),
  };
}

/** TensorFlow.js's message for a model it cannot load, on one line (some of its messages span several). */
export function tfjsMessage(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ' ').trim();
}

/** Loads model.json and its weights from disk, for tf.loadLayersModel. */
export function fileLoadHandler(modelJsonPath: string): tf.io.IOHandler {
  return {
    async load(): Promise<tf.io.ModelArtifacts> {
      return artifactsOf(await readModelFiles(modelJsonPath));
    },
  };
}

/** Loads a Layers model from a model.json path; problems become UserErrors naming the file. */
export async function loadLayersModelFile(modelJsonPath: string): Promise<tf.LayersModel> {
  const handler = fileLoadHandler(modelJsonPath);
  try {
    return await tf.loadLayersModel(handler);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`${modelJsonPath}: cannot load the TensorFlow.js model: ${tfjsMessage(err)}`);
  }
}
