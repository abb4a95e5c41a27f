// A saved model's plain weights (rnn-weights.ts), as an analysis reads them: a tfjs backend in
// this thread (by default the plain JS one, which starts at once), the model loaded, its arrays
// copied out, the tfjs model freed. Returns the model's vocabulary and the backend's package
// versions for the run's record. Sweeps, ablations and the synthetic check all read weights here.
import { selectBackend, type BackendPreference } from './backend';
import { extractWeights } from './extract-weights';
import { loadLanguageModel, type LoadedModel } from './model-files';
import type { RnnLmWeights } from './rnn-weights';

export interface ModelWeights {
  weights: RnnLmWeights;
  vocab: LoadedModel['vocab'];
  versions: Record<string, string>;
}

export async function loadModelWeights(modelDir: string, backendChoice: BackendPreference = 'cpu'): Promise<ModelWeights> {
  const backend = await selectBackend(backendChoice);
  const loaded = await loadLanguageModel(modelDir);
  try {
    return { weights: extractWeights(loaded.model), vocab: loaded.vocab, versions: backend.versions };
  } finally {
    loaded.model.dispose();
  }
}
