// A model's training.json read without loading TensorFlow.js (the main process only
// needs the JSON), and the summary a model list shows.
import { promises as fs } from 'node:fs';
import { z } from 'zod';
import { MODEL_META_SCHEMA_VERSION, ModelMetaSchema, type ModelMeta } from '../../../shared/schemas/model';
import type { ModelSummary } from '../../../shared/api/models';
import type { ProjectStore } from '../project';
import { UserError } from '../errors';
import { parseJsonText, readTextFile, validateJson } from '../project/read-json';

const VersionProbe = z.object({ schemaVersion: z.number().int() });

export async function readModelMetaJson(store: ProjectStore, id: string): Promise<ModelMeta> {
  const file = store.itemFile('model', id, 'training.json');
  const value = parseJsonText(file, await readTextFile(file, 'training.json'));
  const probe = VersionProbe.safeParse(value);
  if (probe.success && probe.data.schemaVersion > MODEL_META_SCHEMA_VERSION) {
    throw new UserError(
      `${file}: written by a newer Mnemoscope (schema version ${probe.data.schemaVersion}, this one reads up to ${MODEL_META_SCHEMA_VERSION}); update Mnemoscope`,
    );
  }
  return validateJson(file, value, ModelMetaSchema, 'training.json');
}

export async function weightsBytes(store: ProjectStore, id: string): Promise<number | null> {
  return fs.stat(store.itemFile('model', id, 'weights.bin')).then(
    (s) => s.size,
    () => null,
  );
}

export function summariseModel(meta: ModelMeta, weights: number | null): ModelSummary {
  const o = meta.origin;
  const common = { architecture: meta.architecture, weightsBytes: weights };
  if (o.kind === 'imported') {
    return {
      ...common,
      origin: 'imported',
      corpus: null,
      epochsRun: null,
      bestEpoch: null,
      bestValidPerplexity: null,
      complete: true,
      cancelled: false,
      backend: null,
      tokensPerSecond: null,
    };
  }
  return {
    ...common,
    origin: 'trained',
    corpus: o.corpus.id,
    epochsRun: o.history.length,
    bestEpoch: o.bestEpoch,
    bestValidPerplexity: o.bestValidPerplexity,
    complete: o.complete,
    cancelled: o.cancelled,
    backend: o.backend.name,
    // Throughput of the epochs that ran (validation included in their seconds or not, as recorded).
    tokensPerSecond: o.history.length > 0 ? o.tokensPerSecond : null,
  };
}
