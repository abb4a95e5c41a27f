// The sweep's forward state of GRU and RNN layers follows the cells of rnn-weights.ts: against
// tf.layers.gru (Keras reset_after false = gru-classic) and tf.layers.simpleRNN, against the
// float64 references of reference-cells.ts (also 'gru', which tfjs-layers lacks), and with the
// wasm GEMM for the pre-activations. Target c is refused on layers without a memory cell.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { RecurrentForward, reluDerivative } from '../../../main/engine/gradients/cell-forward';
import { CLASSIC_COEF, GRU_COEF } from '../../../main/engine/gradients/tangent-cells';
import { checkTargetState } from '../../../main/engine/gradients/run-sweep';
import { JsGemmEngine } from '../../../main/engine/gradients/gemm-engine';
import { jsKernels } from '../../../main/engine/gradients/tangent-step';
import { WasmGemmEngine } from '../../../main/engine/gradients/wasm-gemm-engine';
import { selectBackend } from '../../../main/engine/model/backend';
import { writeModelMeta } from '../../../main/engine/model/model-files';
import type { ProjectStore } from '../../../main/engine/project';
import { prepareRun } from '../../../main/engine/runs/prepare-run';
import { AnalyzeParamsSchema } from '../../../shared/schemas/run';
import { MODEL_META_SCHEMA_VERSION } from '../../../shared/schemas/model';
import type { Cell, RecurrentActivation, RnnLmWeights } from '../../../main/engine/model/rnn-weights';
import { embedStream, forward64, randomTokens, relError } from './reference-lstm';
import { randomCellModel } from './reference-cells';
import { sweepSums } from './sweep-helpers';

const V = 13;
const E = 5;
const T = 9;

/** The last layer's h at every step from a tf.layers model of the same weights. */
function kerasHidden(w: RnnLmWeights, tokens: Int32Array): Float32Array[] {
  return tf.tidy(() => {
    const model = tf.sequential();
    w.layers.forEach((l, m) => {
      const shape = m === 0 ? { inputShape: [T, E] } : {};
      const recurrentActivation = l.recurrentActivation === 'sigmoid' ? 'sigmoid' : 'hardSigmoid';
      const layer =
        l.cell === 'gru-classic'
          ? tf.layers.gru({ units: l.units, returnSequences: true, recurrentActivation, ...shape })
          : tf.layers.simpleRNN({ units: l.units, returnSequences: true, activation: l.cell === 'rnn-relu' ? 'relu' : 'tanh', ...shape });
      model.add(layer);
      const G = l.kernel.length / l.inputSize;
      model.layers[m].setWeights([tf.tensor2d(l.kernel, [l.inputSize, G]), tf.tensor2d(l.recurrentKernel, [l.units, G]), tf.tensor1d(l.bias)]);
    });
    const x = new Float32Array(T * E);
    tokens.forEach((v, t) => x.set(w.embedding.subarray(v * E, v * E + E), t * E));
    const y = model.predict(tf.tensor3d(x, [1, T, E])) as tf.Tensor;
    const H = w.layers[w.layers.length - 1].units;
    const data = y.dataSync() as Float32Array;
    return Array.from({ length: T }, (_, t) => data.slice(t * H, t * H + H));
  });
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('RecurrentForward, GRU and RNN layers', () => {
  const keras: [Cell, RecurrentActivation][] = [
    ['gru-classic', 'sigmoid'],
    ['gru-classic', 'hard_sigmoid'],
    ['rnn-tanh', 'sigmoid'],
    ['rnn-relu', 'sigmoid'],
  ];
  for (const [cell, act] of keras) {
    it(`matches tf.layers (${cell}, 2 layers, ${act}) and the float64 reference`, () => {
      const w = randomCellModel(7, V, E, [4, 6], [cell, cell], act, 1);
      const tokens = randomTokens(8, T, V);
      const ref = kerasHidden(w, tokens);
      const fwd = new RecurrentForward(w, 2, 1);
      const ref64 = forward64(w, embedStream(w, tokens));
      for (let t = 0; t < T; t++) {
        fwd.step([tokens[t]]);
        expect(relError(fwd.h[1], ref[t])).toBeLessThan(1e-5);
        expect(relError(fwd.h[1], ref64[t][1].h)).toBeLessThan(1e-12);
        expect(relError(fwd.h[0], ref64[t][0].h)).toBeLessThan(1e-12);
      }
    });
  }

  it('gru (reset after, two biases) matches the float64 reference, and differs from gru-classic on the same weights', () => {
    const w = randomCellModel(11, V, E, [4, 6], ['gru', 'gru'], 'sigmoid', 1);
    const tokens = randomTokens(12, T, V);
    const fwd = new RecurrentForward(w, 2, 1);
    const ref64 = forward64(w, embedStream(w, tokens));
    const classic: RnnLmWeights = { ...w, layers: w.layers.map((l) => ({ ...l, cell: 'gru-classic' as const, recurrentBias: undefined })) };
    const other = forward64(classic, embedStream(classic, tokens));
    for (let t = 0; t < T; t++) {
      fwd.step([tokens[t]]);
      expect(relError(fwd.h[1], ref64[t][1].h)).toBeLessThan(1e-12);
    }
    expect(relError(other[T - 1][1].h, ref64[T - 1][1].h)).toBeGreaterThan(0.01);
  });

  it('exercises both regions of hard sigmoid in the GRUs of the autodiff test (some gate derivatives are exactly 0)', () => {
    // cells-autodiff.test.ts cases 12 and 14: gru and gru-classic, hard sigmoid, 1 layer of 4
    for (const [i, cell, row] of [[12, 'gru', GRU_COEF.cz], [14, 'gru-classic', CLASSIC_COEF.q]] as const) {
      const w = randomCellModel(300 + i, 11, E, [4], [cell], 'hard_sigmoid', 1.2);
      const tokens = randomTokens(400 + i, 2 * 7, 11);
      const fwd = new RecurrentForward(w, 1, 2);
      let zero = 0;
      let nonzero = 0;
      for (let t = 0; t < 7; t++) {
        fwd.step([tokens[t], tokens[7 + t]]);
        for (let b = 0; b < 2; b++) {
          for (let k = 0; k < 4; k++) {
            if (fwd.coef[0][b * 5 * 4 + row * 4 + k] === 0) zero++;
            else nonzero++;
          }
        }
      }
      expect(zero, cell).toBeGreaterThan(0);
      expect(nonzero, cell).toBeGreaterThan(0);
    }
  });

  it("ReLU's derivative follows tf.grad, also at exactly 0", () => {
    const zs = [-1, -1e-30, 0, 1e-30, 2];
    const ad = tf.grad((x: tf.Tensor) => tf.relu(x).sum())(tf.tensor1d(zs)).dataSync();
    zs.forEach((z, i) => expect(reluDerivative(z), `z = ${z}`).toBe(ad[i]));
    expect(reluDerivative(0)).toBe(0);
  });

  it('with the wasm GEMM for the pre-activations, matches the float64 forward to float32 rounding (every cell)', async () => {
    await selectBackend('wasm');
    const w = randomCellModel(9, V, E, [4, 6, 5, 3], ['gru', 'gru-classic', 'rnn-relu', 'rnn-tanh'], 'sigmoid', 1);
    const S = 3;
    const tokens = randomTokens(10, S * T, V);
    const engine = new WasmGemmEngine();
    const fast = new RecurrentForward(w, 4, S, engine);
    const exact = new RecurrentForward(w, 4, S);
    for (let t = 0; t < T; t++) {
      const step = [0, 1, 2].map((b) => tokens[b * T + t]);
      fast.step(step);
      exact.step(step);
      // float32 rounding of the pre-activations grows a little with each layer it passes
      for (let m = 0; m < 4; m++) {
        expect(relError(fast.h[m], exact.h[m]), `layer ${m + 1}`).toBeLessThan(1e-5 * (m + 1));
        expect(relError(fast.coef[m], exact.coef[m]), `layer ${m + 1}`).toBeLessThan(1e-5 * (m + 1));
      }
    }
    fast.dispose();
    engine.dispose();
    await tf.setBackend('cpu');
  });
});

describe('target c on layers without a memory cell', () => {
  it('is refused with a user error that names the layer and its cell', () => {
    expect(() => checkTargetState('c', 2, 'gru')).toThrow(/^the state c exists only in LSTM layers; layer 2 is a GRU: use --state h$/);
    expect(() => checkTargetState('c', 1, 'rnn-tanh')).toThrow(/layer 1 is an RNN \(tanh\): use --state h$/);
    expect(() => checkTargetState('c', 1, 'gru-classic')).toThrow(expect.objectContaining({ name: 'UserError' }));
    expect(() => checkTargetState('h', 1, 'gru')).not.toThrow();
    expect(() => checkTargetState('c', 1, 'lstm')).not.toThrow();
  });

  it('asserted by a share\'s sweep (an internal error: the edge refuses it first), for the target layer only', () => {
    const w = randomCellModel(5, V, E, [4, 3], ['gru', 'lstm'], 'sigmoid', 0.5);
    const tokens = randomTokens(6, 2 * T, V);
    const run = (layer: number) => sweepSums(w, tokens, 2, T, { state: 'c', layer, D: 2 }, new JsGemmEngine(), jsKernels);
    expect(() => run(1)).toThrow(/^sweep job: state c on a gru layer/);
    expect(() => run(1)).not.toThrow(expect.objectContaining({ name: 'UserError' }));
    expect(run(2).count[0]).toBe(2 * T);
  });

  it('where an analysis is asked for (prepareRun, so the CLI, app and WebSocket), before any weights are read', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'mnemo-state-c-'));
    try {
      // only the model's architecture exists: the refusal must come before anything else is read
      await writeModelMeta(root, {
        schemaVersion: MODEL_META_SCHEMA_VERSION,
        created: new Date().toISOString(),
        architecture: {
          vocabSize: V,
          embeddingDim: E,
          layers: [
            { units: 4, cell: 'lstm', recurrentActivation: 'sigmoid' },
            { units: 4, cell: 'gru', recurrentActivation: 'sigmoid' },
          ],
          outputActivation: 'linear',
        },
        origin: { kind: 'imported', source: { vocab: '/nowhere/vocab.txt', weightFiles: [] }, notes: [] },
      });
      const store = { requireItem: async () => ({}), itemDir: () => root } as unknown as ProjectStore;
      const params = (over: object) => AnalyzeParamsSchema.parse({ project: root, model: 'm', corpus: 'c', id: 'r', ...over });
      await expect(prepareRun(params({ state: 'c' }), store)).rejects.toThrow(/^the state c exists only in LSTM layers; layer 2 is a GRU: use --state h$/);
      await expect(prepareRun(params({ state: 'c', layer: 2 }), store)).rejects.toThrow(expect.objectContaining({ name: 'UserError' }));
      // layer 1 is an LSTM: past the check, it fails later on the missing vocabulary
      await expect(prepareRun(params({ state: 'c', layer: 1 }), store)).rejects.toThrow(/vocab/i);
      await expect(prepareRun(params({ state: 'h' }), store)).rejects.toThrow(/vocab/i);
      // no state asked for: h on the GRU layer, so past the check too
      await expect(prepareRun(params({}), store)).rejects.toThrow(/vocab/i);
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});
