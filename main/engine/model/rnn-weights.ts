// The plain-array view of a recurrent language model that analyses consume. An analysis
// asks the model for these arrays; it never reaches into tfjs layers itself.
//
// Layouts are row-major and follow Keras/tfjs, whatever the file the model came from:
//   lstm:               gates i, f, g (cell), o      kernel [in, 4H], recurrentKernel [H, 4H], bias [4H]
//   gru, gru-classic:   gates z (update), r (reset), h (candidate)          [in, 3H], [H, 3H], [3H]
//   rnn-tanh, rnn-relu: one block                                           [in, H],  [H, H],  [H]
// The GRU cells follow h' = z⊙h + (1−z)⊙ĥ. 'gru' is PyTorch's (cuDNN's, Keras reset_after: true)
// form ĥ = tanh(x·W_h + b_h + r⊙(h·U_h + b'_h)), with the recurrent bias b' kept apart
// (recurrentBias); 'gru-classic' is Cho et al.'s (Keras reset_after: false)
// ĥ = tanh(x·W_h + (r⊙h)·U_h + b_h), which has one bias.
import { CELL_GATES, type Cell, type RecurrentActivation } from '../../../shared/schemas/model';

export type { Cell, RecurrentActivation };

/** Gate blocks per cell: the G in kernel [in, G·H]. */
export function gateCount(cell: Cell): 4 | 3 | 1 {
  return CELL_GATES[cell];
}

/** Whether the cell has a memory cell c besides its output h (only the LSTM). */
export function hasCellState(cell: Cell): boolean {
  return cell === 'lstm';
}

export interface RecurrentLayerWeights {
  cell: Cell;
  inputSize: number; // E for the first layer, H of the layer below otherwise
  units: number; // H
  kernel: Float32Array; // [inputSize, G·H]
  recurrentKernel: Float32Array; // [H, G·H]
  bias: Float32Array; // [G·H]
  /** 'gru' only: b', [3H], added to h·U inside the reset product (Keras' second bias row). */
  recurrentBias?: Float32Array;
  /** Gate activation of the LSTM and GRU cells; a vanilla RNN has no gates and ignores it. */
  recurrentActivation: RecurrentActivation;
}

export interface RnnLmWeights {
  vocabSize: number; // V
  embeddingDim: number; // E
  embedding: Float32Array; // [V, E]
  layers: RecurrentLayerWeights[];
  /** Output projection, [H_last, V] and [V]. */
  outputKernel: Float32Array;
  outputBias: Float32Array;
}
