// Named training recipes: presets that fill every training option from a published
// configuration. A preset is applied under the options the user gives, so
// `--recipe verwimp2018 --epochs 8` is the recipe with 8 epochs. The resolved values (and
// the recipe's name) are what training.json records.
import { z } from 'zod';

export const TrainRecipeNameSchema = z.enum(['verwimp2018']);
export type TrainRecipeName = z.infer<typeof TrainRecipeNameSchema>;

/** One option of a recipe: its value and where in the authors' code it comes from. */
export interface RecipeSetting {
  value: number | string | null;
  source: string;
}

export interface TrainRecipe {
  title: string;
  description: string;
  /** TrainConfig field → value and source. */
  settings: Record<string, RecipeSetting>;
}

// From github.com/lverwimp/state_gradients: config/ptb-norm-wsj_64e_256h_steps50.config (the
// BlackboxNLP 2018 model) and the TF1 scripts in tf_scripts/ that read it.
const CONFIG = 'config/ptb-norm-wsj_64e_256h_steps50.config';
export const TRAIN_RECIPES: Record<TrainRecipeName, TrainRecipe> = {
  verwimp2018: {
    title: 'Verwimp et al. (2018)',
    description:
      'The authors\' PTB language model: 1 LSTM layer, E 64, H 256, V 10k, SGD lr 1 decayed ×0.8 per epoch from epoch 7, ' +
      'clip 5, dropout 0.5 on embeddings and LSTM outputs, uniform init ±0.05, forget-gate bias 0, 39 epochs, no early stopping.',
    // An LSTM recipe: it sets the cell too (so the form returns to LSTM when it is chosen);
    // `--recipe verwimp2018 --cell gru` is the authors' settings with a GRU, as any explicit option wins.
    settings: {
      cell: { value: 'lstm', source: 'tf_scripts/lm.py: the layers are BasicLSTMCell' },
      layers: { value: 1, source: `${CONFIG}: num_layers 1` },
      embeddingDim: { value: 64, source: `${CONFIG}: embedding_size 64` },
      hiddenSize: { value: 256, source: `${CONFIG}: size 256` },
      vocabSize: { value: 10000, source: `${CONFIG}: vocab_size 10000` },
      batchSize: { value: 20, source: `${CONFIG}: batch_size 20` },
      bptt: { value: 50, source: `${CONFIG}: num_steps 50 (the journal version uses 200)` },
      optimizer: { value: 'sgd', source: `${CONFIG}: optimizer sgd; tf_scripts/lm.py: GradientDescentOptimizer` },
      learningRate: { value: 1, source: `${CONFIG}: learning_rate 1` },
      lrDecay: { value: 0.8, source: `${CONFIG}: lr_decay 0.8; tf_scripts/trainer.py decide_lr` },
      lrDecayAfter: {
        value: 6,
        source: `${CONFIG}: max_epoch 6; tf_scripts/trainer.py: lr × lr_decay^max(epoch − max_epoch, 0), so the decay starts at epoch 7`,
      },
      epochs: { value: 39, source: `${CONFIG}: max_max_epoch 39` },
      patience: { value: null, source: 'tf_scripts/trainer.py: the default trainer has no early stopping' },
      clipNorm: { value: 5, source: `${CONFIG}: max_grad_norm 5; tf_scripts/lm.py: clip_by_global_norm` },
      dropout: {
        value: 0.5,
        source: `${CONFIG}: dropout 0.5 (a keep probability); tf_scripts/lm.py: DropoutWrapper(output_keep_prob) on the LSTM outputs`,
      },
      embeddingDropout: {
        value: 0.5,
        source: 'tf_scripts/lm.py: tf.nn.dropout on the input embeddings whenever dropout < 1 (the config\'s no_emb_dropout is never read)',
      },
      initScale: {
        value: 0.05,
        source: `${CONFIG}: init_scale 0.05; tf_scripts/main.py: random_uniform_initializer(±init_scale)`,
      },
      forgetBias: {
        value: 0,
        source: `${CONFIG}: forget_bias 0; tf_scripts/lm.py: BasicLSTMCell(forget_bias) with a zero-initialised bias`,
      },
    },
  },
};

/** The recipe's values as training options. */
export function recipeValues(name: TrainRecipeName): Record<string, number | string | null> {
  return Object.fromEntries(Object.entries(TRAIN_RECIPES[name].settings).map(([k, s]) => [k, s.value]));
}

/**
 * Puts a recipe's values under the options given: an options object naming a known
 * `recipe` gets every option of that recipe it does not set itself. Anything else is
 * returned as it is (the schema then reports what is wrong with it).
 */
export function applyRecipe(input: unknown): unknown {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  const recipe = (input as { recipe?: unknown }).recipe;
  const parsed = TrainRecipeNameSchema.safeParse(recipe);
  if (!parsed.success) return input;
  return { ...recipeValues(parsed.data), ...(input as Record<string, unknown>) };
}
