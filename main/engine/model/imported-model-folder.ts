// The model folder an import writes, whatever the source format: the weights in the
// canonical tfjs Layers model (model.json + weights.bin), vocab.json and training.json with
// the imported origin. One place, so that every import format yields the same folder.
import type { Architecture, ImportedOrigin, ImportModelResult } from '../../../shared/schemas/model';
import { MODEL_META_SCHEMA_VERSION } from '../../../shared/schemas/model';
import type { Vocabulary } from '../corpus/vocabulary';
import { assignWeights } from './extract-weights';
import type { RnnLmWeights } from './rnn-weights';
import { buildRnnLm } from './rnn-lm';
import { saveModelWeights, writeModelMeta, writeVocabulary } from './model-files';

export interface ImportedModel {
  outDir: string;
  architecture: Architecture;
  weights: RnnLmWeights;
  vocab: Vocabulary;
  /** Rate stored in the Dropout layers (the source's, else 0). */
  dropout: number;
  source: ImportedOrigin['source'];
  notes: string[];
}

export async function writeImportedModel(m: ImportedModel): Promise<ImportModelResult> {
  const model = buildRnnLm(m.architecture, { initScale: 0.05, seed: 1, dropout: m.dropout });
  try {
    assignWeights(model, m.weights);
    await saveModelWeights(m.outDir, model);
  } finally {
    model.dispose();
  }
  await writeVocabulary(m.outDir, m.vocab);
  await writeModelMeta(m.outDir, {
    schemaVersion: MODEL_META_SCHEMA_VERSION,
    created: new Date().toISOString(),
    architecture: m.architecture,
    origin: { kind: 'imported', source: m.source, notes: m.notes },
  });
  return { outDir: m.outDir, architecture: m.architecture, notes: m.notes };
}
