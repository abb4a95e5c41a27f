// The plain-array view of an LSTM language model that analyses consume. An analysis asks
// the model for these arrays; it never reaches into tfjs layers itself.
// Layouts are row-major and follow Keras/tfjs: gate order i, f, g (cell), o.

export type RecurrentActivation = 'sigmoid' | 'hard_sigmoid';

export interface LstmLayerWeights {
  inputSize: number; // E for the first layer, H of the layer below otherwise
  units: number; // H
  kernel: Float32Array; // [inputSize, 4H]
  recurrentKernel: Float32Array; // [H, 4H]
  bias: Float32Array; // [4H]
  recurrentActivation: RecurrentActivation;
}

export interface LstmLmWeights {
  vocabSize: number; // V
  embeddingDim: number; // E
  embedding: Float32Array; // [V, E]
  layers: LstmLayerWeights[];
  /** Output projection, [H_last, V] and [V]. */
  outputKernel: Float32Array;
  outputBias: Float32Array;
}
