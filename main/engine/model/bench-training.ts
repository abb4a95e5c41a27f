// Training throughput of the default model (or another cell or size) on random token data: one warm-up step (first
// calls compile kernels and allocate), then `batches` timed SGD steps of B×T tokens.
import type { TrainConfig, TrainConfigInput } from '../../../shared/schemas/model';
import { TrainConfigSchema } from '../../../shared/schemas/model';
import type { BackendPreference } from './backend';
import { selectBackend } from './backend';
import { batchify, windowAt } from './batchify';
import type { RnnState } from './lstm-forward';
import { zeroState } from './lstm-forward';
import { buildRnnLm, modelTensors } from './rnn-lm';
import { sgd } from './optimizer';
import { trainStep } from './train-step';
import { mulberry32 } from './seeded-random';
import { architectureFor } from './train-loop';

export interface BenchTrainingResult {
  backend: string;
  description: string;
  config: Pick<TrainConfig, 'cell' | 'layers' | 'embeddingDim' | 'hiddenSize' | 'vocabSize' | 'batchSize' | 'bptt'>;
  batches: number;
  /** Seconds of the untimed warm-up step. */
  warmupSeconds: number;
  secondsPerBatch: number;
  tokensPerSecond: number;
}

/** `config` defaults to the paper's model (E 64, H 256, V 10k, B 20, T 50). */
export async function benchTraining(
  backend: BackendPreference,
  config: TrainConfigInput & { batches?: number } = {},
): Promise<BenchTrainingResult> {
  const { batches = 3, ...rest } = config;
  const cfg = TrainConfigSchema.parse(rest);
  const info = await selectBackend(backend);
  const V = cfg.vocabSize;
  const rng = mulberry32(cfg.seed);
  const tokens = Int32Array.from({ length: cfg.batchSize * (cfg.bptt * (batches + 1) + 1) }, () => Math.floor(rng() * V));
  const data = batchify(tokens, cfg.batchSize, V, 'benchmark data');
  const model = buildRnnLm(architectureFor(cfg, V), {
    initScale: cfg.initScale,
    seed: cfg.seed,
    dropout: cfg.dropout,
    forgetBias: cfg.forgetBias,
  });
  const params = modelTensors(model);
  const opt = sgd();
  const drop = { rng, embedding: cfg.embeddingDropout, output: cfg.dropout };
  let state: RnnState = zeroState(params, cfg.batchSize);
  const step = (k: number) => {
    state = trainStep(params, opt, windowAt(data, cfg.bptt, k), state, drop, 1, cfg.clipNorm).state;
  };
  try {
    let t = performance.now();
    step(0);
    const warmupSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    for (let k = 1; k <= batches; k++) step(k);
    const seconds = (performance.now() - t) / 1000;
    return {
      backend: info.name,
      description: info.description,
      config: {
        cell: cfg.cell,
        layers: cfg.layers,
        embeddingDim: cfg.embeddingDim,
        hiddenSize: cfg.hiddenSize,
        vocabSize: cfg.vocabSize,
        batchSize: cfg.batchSize,
        bptt: cfg.bptt,
      },
      batches,
      warmupSeconds,
      secondsPerBatch: seconds / batches,
      tokensPerSecond: (batches * cfg.batchSize * cfg.bptt) / seconds,
    };
  } finally {
    model.dispose();
  }
}
