// What every foreign-format reader returns: the plain weights in Mnemoscope's layouts
// (rnn-weights.ts), read and checked, with nothing written yet. The import writes them as a
// model folder (imported-model-folder.ts); the import form's preview shows them (DetectedModel).
import type { Architecture, DetectedModel } from '../../../shared/schemas/model';
import type { RnnLmWeights } from './rnn-weights';

export interface ReadModel {
  format: DetectedModel['format'];
  weights: RnnLmWeights;
  /** The decoder shares the embedding's weights (one storage, equal values, or no decoder weight). */
  tied: boolean;
  /** The weights' stored type(s), e.g. 'float32' or 'float16 (converted to float32)'. */
  dtype: string;
  notes: string[];
}

/** The architecture of read weights (the output is logits: imports store a linear Dense). */
export function architectureOfWeights(w: RnnLmWeights): Architecture {
  return {
    vocabSize: w.vocabSize,
    embeddingDim: w.embeddingDim,
    layers: w.layers.map((l) => ({ units: l.units, cell: l.cell, recurrentActivation: l.recurrentActivation })),
    outputActivation: 'linear',
  };
}

export function detectedModel(r: ReadModel): DetectedModel {
  return { format: r.format, architecture: architectureOfWeights(r.weights), tied: r.tied, dtype: r.dtype, notes: r.notes };
}
