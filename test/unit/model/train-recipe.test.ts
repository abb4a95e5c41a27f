// The verwimp2018 recipe: what it fills in, that explicit options win, what training.json
// records, the forget-gate bias it builds the LSTM with, and the form that applies it.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../main/engine/model/backend';
import { buildRnnLm, modelTensors } from '../../../main/engine/model/rnn-lm';
import { architectureFor } from '../../../main/engine/model/train-loop';
import { ModelMetaSchema, TrainConfigRequestSchema, TrainConfigSchema, TrainTaskParamsSchema } from '../../../shared/schemas/model';
import { TRAIN_RECIPES, applyRecipe, recipeValues } from '../../../shared/schemas/train-recipes';
import { jobKinds } from '../../../shared/jobs';
import { checkTrainForm, trainFormValues, withRecipe } from '../../../renderer/src/lib/state/train-form';

describe('the verwimp2018 recipe', () => {
  it('fills every option from the authors\' configuration, 39 epochs and no early stopping included', () => {
    const c = TrainConfigRequestSchema.parse({ recipe: 'verwimp2018' });
    expect(c).toMatchObject({
      recipe: 'verwimp2018', layers: 1, embeddingDim: 64, hiddenSize: 256, vocabSize: 10000, batchSize: 20, bptt: 50,
      optimizer: 'sgd', learningRate: 1, lrDecay: 0.8, lrDecayAfter: 6, epochs: 39, patience: null, clipNorm: 5,
      dropout: 0.5, embeddingDropout: 0.5, initScale: 0.05, forgetBias: 0,
    });
    // Every value the recipe names is a TrainConfig option, and every one has a source.
    const keys = Object.keys(TrainConfigSchema.shape);
    for (const [k, s] of Object.entries(TRAIN_RECIPES.verwimp2018.settings)) {
      expect(keys).toContain(k);
      expect(s.source.length).toBeGreaterThan(10);
    }
  });

  it('lets explicit options override it', () => {
    const c = TrainConfigRequestSchema.parse({ recipe: 'verwimp2018', epochs: 8, hiddenSize: 128 });
    expect(c.epochs).toBe(8);
    expect(c.hiddenSize).toBe(128);
    expect(c.embeddingDropout).toBe(0.5);
    expect(applyRecipe({ epochs: 3 })).toEqual({ epochs: 3 });
    expect(applyRecipe({ recipe: 'nope', epochs: 3 })).toEqual({ recipe: 'nope', epochs: 3 });
    expect(TrainConfigRequestSchema.safeParse({ recipe: 'nope' }).success).toBe(false);
  });

  it('is applied by the train job and the worker task alike', () => {
    const job = jobKinds.train.params.parse({ project: '/p', corpus: 'c', id: 'm', config: { recipe: 'verwimp2018', epochs: 2 } });
    expect(job.config).toMatchObject({ epochs: 2, lrDecayAfter: 6, forgetBias: 0 });
    const task = TrainTaskParamsSchema.parse({ source: { kind: 'corpus', dir: '/c' }, outDir: '/o', config: { recipe: 'verwimp2018' } });
    expect(task.config.epochs).toBe(39);
  });

  it('differs from the defaults only in the number of epochs', () => {
    const defaults = TrainConfigSchema.parse({});
    const recipe = TrainConfigRequestSchema.parse({ recipe: 'verwimp2018' });
    const differing = Object.keys(recipe).filter((k) => recipe[k as keyof typeof recipe] !== defaults[k as keyof typeof defaults]);
    expect(differing.sort()).toEqual(['epochs', 'learningRate', 'recipe']);
    // learningRate: the defaults leave it null ("1 for SGD"), the recipe says 1.
    expect(defaults.learningRate).toBeNull();
    expect(defaults.epochs).toBe(13);
  });

  it('reads training.json written before forgetBias was recorded as a forget-gate bias of 1', () => {
    const config = { ...TrainConfigSchema.parse({}) } as Record<string, unknown>;
    delete config.forgetBias;
    delete config.recipe;
    const meta = ModelMetaSchema.parse({
      schemaVersion: 1,
      created: '2026-01-01T00:00:00.000Z',
      architecture: { vocabSize: 10, embeddingDim: 2, layers: [{ units: 3, recurrentActivation: 'sigmoid' }], outputActivation: 'softmax' },
      origin: {
        kind: 'trained', corpus: { id: 'c', dir: null }, config, trainTokens: 1, validTokens: 1, validBatchSize: 1, history: [],
        bestEpoch: null, bestValidPerplexity: null, stoppedEarly: false, cancelled: false, complete: true, wallSeconds: 0,
        tokensPerSecond: 0, backend: { name: 'wasm', description: 'wasm', versions: {} },
      },
    });
    if (meta.origin.kind !== 'trained') throw new Error('expected a trained origin');
    expect(meta.origin.config.forgetBias).toBe(1);
    expect(meta.origin.config.recipe).toBeNull();
  });
});

describe('the forget-gate bias', () => {
  it('is set in the forget block of every LSTM layer and nowhere else', async () => {
    await selectBackend('cpu');
    const config = TrainConfigSchema.parse({ layers: 2, embeddingDim: 3, hiddenSize: 4, vocabSize: 7 });
    for (const forgetBias of [0, 1, -0.5]) {
      const model = buildRnnLm(architectureFor(config, 7), { initScale: 0.05, seed: 2, dropout: 0, forgetBias });
      const t = modelTensors(model);
      for (const layer of t.layers) {
        const b = Array.from(layer.bias.dataSync());
        expect(b).toEqual([...Array(4).fill(0), ...Array(4).fill(forgetBias), ...Array(8).fill(0)]);
      }
      // The kernels are drawn as before: the bias does not shift the random streams.
      expect(t.layers[0].kernel.dataSync()[0]).toBeCloseTo(
        buildRnnLm(architectureFor(config, 7), { initScale: 0.05, seed: 2, dropout: 0 }).layers[1].getWeights()[0].dataSync()[0],
        7,
      );
      model.dispose();
    }
    expect(tf.getBackend()).toBe('cpu');
  });
});

describe('the training form\'s recipe choice', () => {
  const defaults = TrainConfigSchema.parse({});
  it('fills the fields from the recipe, keeps id and corpus, and sends the recipe with the job', () => {
    const v = withRecipe(trainFormValues(defaults, { id: 'm', corpus: 'brown' }), 'verwimp2018', defaults);
    expect(v.fields.epochs).toBe('39');
    expect(v.fields.forgetBias).toBe('0');
    expect(v.fields.learningRate).toBe('1');
    expect(v.fields.patience).toBe('');
    expect(v).toMatchObject({ id: 'm', corpus: 'brown', recipe: 'verwimp2018', optimizer: 'sgd' });
    v.fields.epochs = '3';
    const checked = checkTrainForm(v, '/p', new Set());
    if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
    const parsed = jobKinds.train.params.parse(checked.params);
    expect(parsed.config).toMatchObject({ recipe: 'verwimp2018', epochs: 3, embeddingDropout: 0.5 });
    expect(recipeValues('verwimp2018').epochs).toBe(39);
  });

  it('returns to the engine\'s defaults with no recipe', () => {
    const v = withRecipe(withRecipe(trainFormValues(defaults, { id: 'm', corpus: 'b' }), 'verwimp2018', defaults), '', defaults);
    expect(v.recipe).toBe('');
    expect(v.fields.epochs).toBe('13');
    expect(v.id).toBe('m');
  });
});
