// Training, the PTB recipe (Zaremba et al. 2014): the training stream is cut into B
// parallel streams, the state is carried across truncated-BPTT windows of T steps
// (detached between windows), SGD with a per-epoch learning-rate decay (or Adam),
// global-norm gradient clipping, dropout, validation perplexity after every epoch with
// the state carried, the best epoch's weights kept on disk, optional early stop.
// One step per window: train-step.ts. Reported losses are means per predicted token.
import type { Architecture, ModelMeta, TrainConfig, TrainProgress, TrainResult, EpochRecord } from '../../../shared/schemas/model';
import { MODEL_META_SCHEMA_VERSION } from '../../../shared/schemas/model';
import type { Vocabulary } from '../corpus/vocabulary';
import { indexVocabulary } from '../corpus/vocabulary';
import { JobCancelledError, UserError } from '../errors';
import type { TaskContext } from '../jobs/task-context';
import { preferenceFor, type BackendInfo } from './backend';
import { batchify, predictedTokens, windowCount, windowRows } from './batchify';
import { buildRnnLm, modelTensors } from './rnn-lm';
import { checkTrainingFits } from './memory-budget';
import { saveModelWeights, writeModelMeta, writeVocabulary } from './model-files';
import type { Optimizer } from './optimizer';
import { adam, sgd } from './optimizer';
import { createStepper, trainingWorkers } from './train-stepper';

export interface TrainInput {
  train: Int32Array;
  valid: Int32Array;
  vocab: Vocabulary;
  config: TrainConfig;
  /** Folder the model files go into (created when the first checkpoint is written). */
  outDir: string;
  backend: BackendInfo;
  corpus?: { id: string | null; dir: string | null };
}

/** lr of an epoch (from 1); config.learningRate null means 1 for SGD, 0.001 for Adam. */
export function learningRateAt(config: TrainConfig, epoch: number): number {
  const base = config.learningRate ?? (config.optimizer === 'sgd' ? 1 : 0.001);
  return base * config.lrDecay ** Math.max(0, epoch - config.lrDecayAfter);
}

/** Every layer of config.cell with sigmoid gates (a vanilla RNN has none; 'sigmoid' is recorded for it). */
export function architectureFor(config: Pick<TrainConfig, 'layers' | 'hiddenSize' | 'embeddingDim' | 'cell'>, vocabSize: number): Architecture {
  return {
    vocabSize,
    embeddingDim: config.embeddingDim,
    layers: Array.from({ length: config.layers }, () => ({ units: config.hiddenSize, cell: config.cell, recurrentActivation: 'sigmoid' as const })),
    outputActivation: 'softmax',
  };
}

/** A forget-gate bias other than 0 is an LSTM setting: refused for the other cells rather than dropped. */
export function checkCellOptions(config: Pick<TrainConfig, 'cell' | 'forgetBias'>): void {
  if (config.cell !== 'lstm' && config.forgetBias !== 0) {
    throw new UserError(
      `forgetBias ${config.forgetBias} applies to LSTM cells only; a ${config.cell} has no forget gate (leave it at 0)`,
    );
  }
}

// Progress events are cheap but not free across a worker boundary: at most ~5 per second.
const PROGRESS_INTERVAL_MS = 200;

export async function trainLanguageModel(input: TrainInput, ctx: TaskContext<TrainProgress>): Promise<TrainResult> {
  const { vocab, outDir, backend } = input;
  // Record the learning rate actually used, not "default".
  const config: TrainConfig = { ...input.config, learningRate: learningRateAt(input.config, 1) };
  checkCellOptions(config);
  indexVocabulary(vocab); // refuses duplicates or a missing <unk> before any work
  const V = vocab.words.length;
  const arch = architectureFor(config, V);
  // Before anything is allocated: sizes that cannot fit are a user error, not a crash in tfjs.
  checkTrainingFits(arch, config, backend.name);
  const trainTokens = config.maxTokens !== null ? input.train.subarray(0, config.maxTokens) : input.train;
  const train = batchify(trainTokens, config.batchSize, V, 'the train split');
  // A validation split shorter than 2·B tokens is evaluated with fewer streams.
  const validBatch = Math.max(1, Math.min(config.batchSize, Math.floor(input.valid.length / 2)));
  const valid = batchify(input.valid, validBatch, V, 'the valid split');
  const batches = windowCount(train, config.bptt);
  const trainPredicted = predictedTokens(train);
  const validPredicted = predictedTokens(valid);

  // The worker count is part of the run (it fixes the dropout masks): record the one used.
  config.workers = trainingWorkers(config.workers, backend.name, train.batch);
  const init = { initScale: config.initScale, seed: config.seed, dropout: config.dropout, forgetBias: config.forgetBias };
  const model = buildRnnLm(arch, init);
  const params = modelTensors(model);
  const optimizer: Optimizer = config.optimizer === 'sgd' ? sgd() : adam();
  const stepper = createStepper({
    params,
    optimizer,
    config,
    arch,
    init,
    train,
    valid,
    backend: preferenceFor(backend),
    workers: config.workers,
  });

  const created = new Date().toISOString();
  const t0 = performance.now();
  const history: EpochRecord[] = [];
  let bestEpoch: number | null = null;
  let bestPpl: number | null = null;
  let stoppedEarly = false;
  let cancelled = false;
  let trainSeconds = 0;
  let trainDone = 0; // predicted train tokens processed, over the whole run
  let validSecondsPerToken: number | null = null;

  const meta = (complete: boolean): ModelMeta => {
    const wallSeconds = (performance.now() - t0) / 1000;
    return {
      schemaVersion: MODEL_META_SCHEMA_VERSION,
      created,
      architecture: arch,
      origin: {
        kind: 'trained',
        corpus: input.corpus ?? { id: null, dir: null },
        config,
        trainTokens: train.data.length,
        validTokens: valid.data.length,
        validBatchSize: valid.batch,
        history,
        bestEpoch,
        bestValidPerplexity: bestPpl,
        stoppedEarly,
        cancelled,
        complete,
        wallSeconds,
        tokensPerSecond: trainSeconds > 0 ? trainDone / trainSeconds : 0,
        backend: { name: backend.name, description: backend.description, versions: backend.versions },
      },
    };
  };
  const result = (): TrainResult => ({
    outDir,
    checkpointSaved: bestEpoch !== null,
    bestEpoch,
    bestValidPerplexity: bestPpl,
    epochsRun: history.length,
    stoppedEarly,
    cancelled,
    wallSeconds: (performance.now() - t0) / 1000,
    tokensPerSecond: trainSeconds > 0 ? trainDone / trainSeconds : 0,
    backend: backend.description,
    workers: stepper.workers,
  });
  const secondsLeft = (epoch: number, batchDone: number): number => {
    if (trainDone === 0) return NaN;
    const perTrain = trainSeconds / trainDone;
    const perValid = validSecondsPerToken ?? perTrain / 3; // forward only: about a third of a training step
    const trainLeft = (config.epochs - epoch) * trainPredicted + (trainPredicted * (batches - batchDone)) / batches;
    const validLeft = (config.epochs - epoch + 1) * validPredicted;
    return trainLeft * perTrain + validLeft * perValid;
  };
  const stopCancelled = async (): Promise<never> => {
    cancelled = true;
    // The best checkpoint is already on disk; record that the run was cancelled.
    if (bestEpoch !== null) await writeModelMeta(outDir, meta(true));
    throw new JobCancelledError('training cancelled', result());
  };

  try {
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const lr = learningRateAt(config, epoch);
      let lossSum = 0;
      let lossTokens = 0;
      let epochSeconds = 0;
      let lastProgress = 0;
      for (let k = 0; k < batches; k++) {
        if (ctx.cancel.cancelled) await stopCancelled();
        const rows = windowRows(train, config.bptt, k);
        const tb = performance.now();
        const step = await stepper.step(k, lr);
        const windowLossMean = step.loss;
        if (!Number.isFinite(windowLossMean)) {
          throw new UserError(
            `training diverged in epoch ${epoch}, batch ${k + 1} (loss ${windowLossMean}); lower the learning rate or the clip norm`,
          );
        }
        const dt = (performance.now() - tb) / 1000;
        epochSeconds += dt;
        trainSeconds += dt;
        trainDone += rows;
        lossSum += windowLossMean * rows;
        lossTokens += rows;
        const now = performance.now();
        if (now - lastProgress >= PROGRESS_INTERVAL_MS || k === batches - 1) {
          lastProgress = now;
          ctx.progress({
            phase: 'train',
            epoch,
            epochs: config.epochs,
            batch: k + 1,
            batchesPerEpoch: batches,
            tokensPerSecond: lossTokens / epochSeconds,
            trainLoss: lossSum / lossTokens,
            learningRate: lr,
            secondsLeft: secondsLeft(epoch, k + 1),
            bestEpoch,
          });
        }
      }

      const tv = performance.now();
      const evaluated = await stepper.evaluate(ctx.cancel);
      if (evaluated === null) await stopCancelled();
      const crossEntropy = (evaluated as { nllSum: number; predicted: number }).nllSum / validPredicted;
      const ev = { crossEntropy, perplexity: Math.exp(crossEntropy) };
      validSecondsPerToken = (performance.now() - tv) / 1000 / validPredicted;
      const trainLoss = lossSum / lossTokens;
      history.push({
        epoch,
        learningRate: lr,
        trainLoss,
        trainPerplexity: Math.exp(trainLoss),
        validLoss: ev.crossEntropy,
        validPerplexity: ev.perplexity,
        seconds: epochSeconds + (performance.now() - tv) / 1000,
        tokensPerSecond: lossTokens / epochSeconds,
      });
      if (!Number.isFinite(ev.perplexity)) {
        throw new UserError(`training diverged: validation perplexity after epoch ${epoch} is ${ev.perplexity}`);
      }
      if (bestPpl === null || ev.perplexity < bestPpl) {
        bestPpl = ev.perplexity;
        bestEpoch = epoch;
        if (history.length === 1) await writeVocabulary(outDir, vocab);
        stepper.syncWeights(); // data-parallel steps leave the model's variables behind
        await saveModelWeights(outDir, model);
      }
      const last = epoch === config.epochs;
      if (config.patience !== null && bestEpoch !== null && epoch - bestEpoch >= config.patience && !last) stoppedEarly = true;
      await writeModelMeta(outDir, meta(last || stoppedEarly));
      ctx.progress({
        phase: 'valid',
        epoch,
        epochs: config.epochs,
        batch: batches,
        batchesPerEpoch: batches,
        tokensPerSecond: lossTokens / epochSeconds,
        trainLoss,
        learningRate: lr,
        secondsLeft: stoppedEarly ? 0 : secondsLeft(epoch + 1, 0),
        validPerplexity: ev.perplexity,
        bestEpoch,
      });
      ctx.log(
        `epoch ${epoch}: train ppl ${Math.exp(trainLoss).toFixed(2)}, valid ppl ${ev.perplexity.toFixed(2)}, lr ${lr.toPrecision(3)}`,
      );
      if (stoppedEarly) break;
    }
  } finally {
    await stepper.close();
    optimizer.dispose();
    model.dispose();
  }
  return result();
}
