// The number of trainable parameters of an Embedding → LSTM × L → Dense language model.
import type { Architecture } from '../../../../shared/schemas/model';

/**
 * Embedding V·E, each LSTM layer 4H·(in + H) + 4H (kernel, recurrent kernel, bias; in = E
 * for the first layer, the previous layer's H above), Dense H_L·V + V.
 */
export function countParameters(a: Architecture): number {
  let total = a.vocabSize * a.embeddingDim;
  let inputs = a.embeddingDim;
  for (const layer of a.layers) {
    const h = layer.units;
    total += 4 * h * (inputs + h) + 4 * h;
    inputs = h;
  }
  return total + inputs * a.vocabSize + a.vocabSize;
}

/** "V 10000 · E 64 · LSTM 256" or "LSTM 256 → 256" for deeper models. */
export function describeArchitecture(a: Architecture): string {
  return `V ${a.vocabSize} · E ${a.embeddingDim} · LSTM ${a.layers.map((l) => l.units).join(' → ')}`;
}
