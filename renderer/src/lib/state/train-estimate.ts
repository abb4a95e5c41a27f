// How long a training run will take, before it starts: the work per token (flops of one
// forward and backward pass through the recurrent layers and the V-way softmax) times the tokens,
// at a speed measured on this installation when the project has a trained model, else at
// a reference speed. An estimate to plan by, not a promise: say which speed it used.
import type { Cell, TrainConfig } from '../../../../shared/schemas/model';
import type { ModelListing } from '../../../../shared/api/models';

interface NetworkSize {
  embeddingDim: number;
  hiddenSize: number;
  layers: number;
  vocabSize: number;
  /** The cell of every layer; absent: LSTM. */
  cell?: Cell;
}

/** Gate blocks per cell, the G in kernel [in, G·H] (main/engine/model/rnn-weights.ts gateCount). */
export function gatesOf(cell: Cell): number {
  return cell === 'lstm' ? 4 : cell === 'gru' || cell === 'gru-classic' ? 3 : 1;
}

/** Multiply-adds of one forward step for one token: every recurrent layer (G·H·(in + H)) and the output layer. */
export function macsPerToken(n: NetworkSize): number {
  const gates = gatesOf(n.cell ?? 'lstm');
  let macs = 0;
  for (let l = 0; l < n.layers; l++) {
    const input = l === 0 ? n.embeddingDim : n.hiddenSize;
    macs += gates * n.hiddenSize * (input + n.hiddenSize);
  }
  return macs + n.hiddenSize * n.vocabSize;
}

/** Training costs about three forward passes (forward, and twice that backward); 2 flops per multiply-add. */
export const trainFlopsPerToken = (n: NetworkSize) => 6 * macsPerToken(n);
export const evalFlopsPerToken = (n: NetworkSize) => 2 * macsPerToken(n);

/**
 * Measured with `mnemoscope train` on the wasm backend (one core of a 2-core machine, E 64,
 * H 256, V 10k, batch 20, BPTT 50): about 1,100 tokens/s sustained over a Brown epoch.
 */
export const REFERENCE_SPEED = {
  tokensPerSecond: 1100,
  size: { embeddingDim: 64, hiddenSize: 256, layers: 1, vocabSize: 10000 } satisfies NetworkSize,
};

export interface TrainingSpeed {
  /** Training flops per second. */
  flopsPerSecond: number;
  /** Where the speed comes from, for people. */
  basis: string;
}

/** The speed of the project's most recent complete trained model on `backend`, else the reference. */
export function trainingSpeed(models: readonly ModelListing[]): TrainingSpeed {
  const trained = models
    .filter((m) => m.summary?.origin === 'trained' && m.summary.complete && (m.summary.tokensPerSecond ?? 0) > 0)
    .sort((a, b) => b.created.localeCompare(a.created));
  const m = trained[0];
  if (m?.summary?.tokensPerSecond) {
    const a = m.summary.architecture;
    const size = { embeddingDim: a.embeddingDim, hiddenSize: a.layers[0].units, layers: a.layers.length, vocabSize: a.vocabSize, cell: a.layers[0].cell };
    return {
      flopsPerSecond: m.summary.tokensPerSecond * trainFlopsPerToken(size),
      basis: `at the speed model '${m.id}' trained at here (${Math.round(m.summary.tokensPerSecond)} tokens/s on ${m.summary.backend ?? 'its backend'})`,
    };
  }
  return {
    flopsPerSecond: REFERENCE_SPEED.tokensPerSecond * trainFlopsPerToken(REFERENCE_SPEED.size),
    basis: 'at a reference speed (wasm on one core of a 2-core machine); train one model here for a figure of this machine',
  };
}

/** Seconds for all epochs: training tokens (capped by maxTokens) and a validation pass per epoch. */
export function estimateTrainingSeconds(
  config: Pick<TrainConfig, 'embeddingDim' | 'hiddenSize' | 'layers' | 'vocabSize' | 'epochs' | 'maxTokens'> & { cell?: Cell },
  tokens: { train: number; valid: number },
  speed: TrainingSpeed,
): number {
  const trainTokens = config.maxTokens === null ? tokens.train : Math.min(config.maxTokens, tokens.train);
  const perEpoch = trainTokens * trainFlopsPerToken(config) + tokens.valid * evalFlopsPerToken(config);
  return (config.epochs * perEpoch) / speed.flopsPerSecond;
}
