// The `import-model` job: bring a TensorFlow.js Layers model or a PyTorch state_dict (Embedding → LSTM × L → Dense)
// with its vocabulary into the project. Validated in a worker; nothing is kept on failure.
import { z } from 'zod';
import { ItemIdSchema, ItemNameSchema } from '../schemas/project';
import { ArchitectureSchema, BackendPreferenceSchema } from '../schemas/model';

const FilePath = z.string().min(1, 'must not be empty');

export const ImportModelJobParamsSchema = z.strictObject({
  project: FilePath,
  /** The new model's id in the project. */
  id: ItemIdSchema,
  name: ItemNameSchema.optional(),
  /** model.json of a tfjs Layers model; its weight files sit beside it. Exactly one of modelJson and pytorch. */
  modelJson: FilePath.optional(),
  /**
   * A PyTorch state_dict: saved with torch.save (zip format, .pt/.pth) or with safetensors
   * (.safetensors), told apart by the file's first bytes. Embedding → LSTM/GRU/RNN × L → Linear.
   */
  pytorch: FilePath.optional(),
  /** An ONNX graph: Gather → LSTM/GRU/RNN nodes → MatMul+Add or Gemm. */
  onnx: FilePath.optional(),
  /**
   * Which state_dict keys hold the embedding and the decoder weight, and the key prefix of the
   * recurrent module, for files whose parts cannot be told apart by suffix and shape.
   */
  keys: z
    .strictObject({ emb: z.string().min(1).optional(), rnn: z.string().optional(), out: z.string().min(1).optional() })
    .optional(),
  /** A vanilla RNN's nonlinearity, which a state_dict does not record (default tanh, and the notes say so). */
  nonlinearity: z.enum(['tanh', 'relu']).optional(),
  /** vocab.json, or a text file with one word per line (line n = id n). */
  vocab: FilePath,
  backend: BackendPreferenceSchema.default('auto'),
});

export const importModelJob = {
  params: ImportModelJobParamsSchema,
  result: z.object({
    model: z.object({ id: ItemIdSchema, dir: z.string() }),
    architecture: ArchitectureSchema,
    /** Observations a user should know (e.g. Embedding maskZero). */
    notes: z.array(z.string()),
  }),
  /** The import reports no progress of its own (it is quick). */
  progress: z.object({}),
};
