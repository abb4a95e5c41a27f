// Training throughput of the default model (or another cell or size) on random token data,
// through the same stepper as `train` (train-stepper.ts: data-parallel over `workers`
// threads, default every core): untimed warm-up steps (workers start, first calls compile
// kernels and allocate), then timed steps of B×T tokens until both `batches` steps and
// `seconds` have passed, so a figure can be sustained over a minute of training. With
// `evalSeconds`, then evaluation (the validation pass of every epoch, no dropout, no
// gradients) of random windows through the same stepper, for that long.
import type { TrainConfig, TrainConfigInput } from '../../../shared/schemas/model';
import { TrainConfigSchema } from '../../../shared/schemas/model';
import type { BackendPreference } from './backend';
import { preferenceFor, selectBackend } from './backend';
import { batchify } from './batchify';
import { buildRnnLm, modelTensors } from './rnn-lm';
import { adam, sgd } from './optimizer';
import { mulberry32 } from '../seeded-random';
import { architectureFor } from './train-loop';
import { createStepper, trainingWorkers, type TrainStepper } from './train-stepper';
import { CancelToken } from '../cancel-token';

export interface BenchTrainingResult {
  backend: string;
  description: string;
  config: Pick<TrainConfig, 'cell' | 'layers' | 'embeddingDim' | 'hiddenSize' | 'vocabSize' | 'batchSize' | 'bptt' | 'optimizer' | 'dropout' | 'clipNorm'>;
  workers: number;
  batches: number;
  /** Seconds of the untimed warm-up steps. */
  warmupSeconds: number;
  seconds: number;
  secondsPerBatch: number;
  tokensPerSecond: number;
  /** Peak resident memory of the process, its worker threads included, MiB. */
  maxRssMiB: number;
  /** Tokens per second of evaluation (null when not asked for). */
  evalTokensPerSecond: number | null;
}

/** Windows of random data the steps cycle through. */
const DATA_WINDOWS = 16;
/** Windows of the random validation batch evaluation passes over. */
const EVAL_WINDOWS = 8;

/** `config` defaults to the paper's model (E 64, H 256, V 10k, B 20, T 50, SGD, dropout 0.5, clip 5). */
export async function benchTraining(
  backend: BackendPreference,
  config: TrainConfigInput & { batches?: number; seconds?: number; evalSeconds?: number } = {},
): Promise<BenchTrainingResult> {
  const { batches = 3, seconds: minSeconds = 0, evalSeconds = 0, ...rest } = config;
  const cfg = TrainConfigSchema.parse(rest);
  const info = await selectBackend(backend);
  const V = cfg.vocabSize;
  const rng = mulberry32(cfg.seed);
  const tokens = Int32Array.from({ length: cfg.batchSize * (cfg.bptt * DATA_WINDOWS + 1) }, () => Math.floor(rng() * V));
  const train = batchify(tokens, cfg.batchSize, V, 'benchmark data');
  const evalTokens = Int32Array.from({ length: cfg.batchSize * (cfg.bptt * EVAL_WINDOWS + 1) }, () => Math.floor(rng() * V));
  const valid = evalSeconds > 0 ? batchify(evalTokens, cfg.batchSize, V, 'benchmark validation data') : null;
  const arch = architectureFor(cfg, V);
  const init = { initScale: cfg.initScale, seed: cfg.seed, dropout: cfg.dropout, forgetBias: cfg.forgetBias };
  const model = buildRnnLm(arch, init);
  const params = modelTensors(model);
  const optimizer = cfg.optimizer === 'sgd' ? sgd() : adam();
  const workers = trainingWorkers(cfg.workers, info.name, cfg.batchSize);
  const stepper = createStepper({ params, optimizer, config: cfg, arch, init, train, valid, backend: preferenceFor(info), workers });
  const lr = cfg.learningRate ?? (cfg.optimizer === 'sgd' ? 1 : 0.001);
  let k = 0;
  const step = async () => {
    const r = await stepper.step(k++ % DATA_WINDOWS, lr);
    if (!Number.isFinite(r.loss)) throw new Error(`benchmark training diverged (loss ${r.loss})`);
  };
  try {
    let t = performance.now();
    // Two warm-up steps: the first starts the workers, the second meets the first update's weights.
    await step();
    await step();
    const warmupSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    let timed = 0;
    while (timed < batches || (performance.now() - t) / 1000 < minSeconds) {
      await step();
      timed++;
    }
    const seconds = (performance.now() - t) / 1000;
    const evalTokensPerSecond = valid ? await evaluationRate(stepper, evalSeconds) : null;
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
        optimizer: cfg.optimizer,
        dropout: cfg.dropout,
        clipNorm: cfg.clipNorm,
      },
      workers: stepper.workers,
      batches: timed,
      warmupSeconds,
      seconds,
      secondsPerBatch: seconds / timed,
      tokensPerSecond: (timed * cfg.batchSize * cfg.bptt) / seconds,
      maxRssMiB: process.resourceUsage().maxRSS / 1024,
      evalTokensPerSecond,
    };
  } finally {
    await stepper.close();
    optimizer.dispose();
    model.dispose();
  }
}

/** Tokens per second of passes over the stepper's validation batch, after one untimed pass, for at least `seconds`. */
async function evaluationRate(stepper: TrainStepper, seconds: number): Promise<number> {
  const cancel = CancelToken.create();
  const pass = async () => {
    const r = await stepper.evaluate(cancel);
    if (!r || !Number.isFinite(r.nllSum)) throw new Error('benchmark evaluation failed');
    return r.predicted;
  };
  await pass();
  const t = performance.now();
  let tokens = 0;
  do tokens += await pass();
  while ((performance.now() - t) / 1000 < seconds);
  return tokens / ((performance.now() - t) / 1000);
}
