// The number of trainable parameters of an Embedding → recurrent layers × L → Dense language
// model, and the one-line description of its shape with the cells named.
import { CELL_LABELS, countParameters as countArchitectureParameters, type Architecture, type Cell } from '../../../../shared/schemas/model';

/** Trainable parameters (shared/schemas/model.ts). */
export const countParameters = countArchitectureParameters;

/** The short name of a cell in a shape ('LSTM', 'GRU', 'RNN (tanh)'). */
export const cellLabel = (cell: Cell): string => CELL_LABELS[cell];

/** The cells of a model, bottom first, each named once: 'LSTM', or 'GRU, LSTM' for a mixed one. */
export function cellsText(a: Pick<Architecture, 'layers'>): string {
  return [...new Set(a.layers.map((l) => cellLabel(l.cell)))].join(', ');
}

/** The recurrent layers: "LSTM 256", "LSTM 256 → 256", "LSTM 256 → GRU 128" when the cells differ. */
export function layersText(a: Pick<Architecture, 'layers'>): string {
  return a.layers.map((l, i) => (i > 0 && a.layers[i - 1].cell === l.cell ? String(l.units) : `${cellLabel(l.cell)} ${l.units}`)).join(' → ');
}

/** "V 10000 · E 64 · LSTM 256", "… · LSTM 256 → 256" for deeper models, "… · LSTM 256 → GRU 128" when the cells differ. */
export function describeArchitecture(a: Architecture): string {
  return `V ${a.vocabSize} · E ${a.embeddingDim} · ${layersText(a)}`;
}

/** 'LSTM, sigmoid gates'; 'RNN (tanh)'; per layer when the cells or gates differ: 'layer 1 LSTM, sigmoid gates; layer 2 GRU, …'. */
export function cellDetail(a: Pick<Architecture, 'layers'>): string {
  const one = (l: Architecture['layers'][number]) =>
    l.cell.startsWith('rnn-') ? cellLabel(l.cell) : `${cellLabel(l.cell)}, ${l.recurrentActivation.replace('_', ' ')} gates`;
  const texts = a.layers.map(one);
  return new Set(texts).size === 1 ? texts[0] : texts.map((t, i) => `layer ${i + 1} ${t}`).join('; ');
}
