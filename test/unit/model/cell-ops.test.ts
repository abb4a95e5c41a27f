// The GRU and vanilla-RNN layer ops (gru-layer-op.ts, rnn-layer-op.ts): their hand-written
// gradients (x through the embedding, W, U, b, the 'gru' recurrent bias) against tfjs
// autodiff of the same cells written with plain ops, and their forward pass against the
// tfjs layers a saved model runs (SimpleRNN, GRU with reset_after false, ResetAfterGRU).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../main/engine/model/backend';
import { assignWeights, tensorsFromWeights } from '../../../main/engine/model/extract-weights';
import type { LayerTensors, LmTensors, RnnState, Window } from '../../../main/engine/model/lstm-forward';
import { windowLogits, windowLoss, zeroState } from '../../../main/engine/model/lstm-forward';
import { buildRnnLm } from '../../../main/engine/model/rnn-lm';
import type { Cell, RecurrentActivation } from '../../../main/engine/model/rnn-weights';
import { architectureOfWeights } from '../../../main/engine/model/read-model';
import { filled, lcg, tinyCellWeights, tokenStream } from './helpers';

const gate = (a: RecurrentActivation) => (z: tf.Tensor) =>
  a === 'sigmoid' ? tf.sigmoid(z) : tf.clipByValue(tf.add(tf.mul(z, 0.2), 0.5), 0, 1);

/** One step of a cell with plain tfjs ops (autodiff reference); returns h and c. */
function referenceStep(l: LayerTensors, xt: tf.Tensor2D, h: tf.Tensor2D, c: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
  const W = l.kernel as tf.Tensor2D;
  const U = l.recurrentKernel as tf.Tensor2D;
  const H = U.shape[0];
  const act = gate(l.recurrentActivation);
  switch (l.cell) {
    case 'lstm': {
      const [zi, zf, zg, zo] = tf.split(tf.add(tf.add(tf.matMul(xt, W), tf.matMul(h, U)), l.bias), 4, 1);
      const c2 = tf.add(tf.mul(act(zf), c), tf.mul(act(zi), tf.tanh(zg))) as tf.Tensor2D;
      return [tf.mul(act(zo), tf.tanh(c2)) as tf.Tensor2D, c2];
    }
    case 'gru': {
      const [bIn, bRec] = tf.unstack(l.bias, 0);
      const [xz, xr, xh] = tf.split(tf.add(tf.matMul(xt, W), bIn), 3, 1);
      const [rz, rr, rh] = tf.split(tf.add(tf.matMul(h, U), bRec), 3, 1);
      const z = act(tf.add(xz, rz));
      const r = act(tf.add(xr, rr));
      const hh = tf.tanh(tf.add(xh, tf.mul(r, rh)));
      return [tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh)) as tf.Tensor2D, c];
    }
    case 'gru-classic': {
      const [Uzr, Uh] = tf.split(U, [2 * H, H], 1);
      const [xz, xr, xh] = tf.split(tf.add(tf.matMul(xt, W), l.bias), 3, 1);
      const [rz, rr] = tf.split(tf.matMul(h, Uzr), 2, 1);
      const z = act(tf.add(xz, rz));
      const r = act(tf.add(xr, rr));
      const hh = tf.tanh(tf.add(xh, tf.matMul(tf.mul(r, h) as tf.Tensor2D, Uh)));
      return [tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh)) as tf.Tensor2D, c];
    }
    case 'rnn-tanh':
    case 'rnn-relu': {
      const a = tf.add(tf.add(tf.matMul(xt, W), tf.matMul(h, U)), l.bias);
      return [(l.cell === 'rnn-tanh' ? tf.tanh(a) : tf.relu(a)) as tf.Tensor2D, c];
    }
  }
}

function referenceLoss(p: LmTensors, w: Window, state: RnnState): tf.Scalar {
  const { steps: T, batch: B } = w;
  let x: tf.Tensor = tf.gather(p.embedding, tf.tensor1d(w.inputs, 'int32'));
  p.layers.forEach((l, li) => {
    const H = l.recurrentKernel.shape[0] as number;
    let h = tf.tensor2d(state.h[li], [B, H]);
    let c = state.c[li].length ? tf.tensor2d(state.c[li], [B, H]) : tf.zeros([B, H]);
    const outs: tf.Tensor[] = [];
    for (let t = 0; t < T; t++) {
      const xt = tf.slice(x, [t * B, 0], [B, x.shape[1] as number]) as tf.Tensor2D;
      [h, c] = referenceStep(l, xt, h, c as tf.Tensor2D);
      outs.push(h);
    }
    x = tf.concat(outs, 0);
  });
  const logits = tf.add(tf.matMul(x as tf.Tensor2D, p.outputKernel as tf.Tensor2D), p.outputBias);
  const V = p.outputKernel.shape[1] as number;
  return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(w.targets, 'int32'), V), logits) as tf.Scalar;
}

type Spec = { cell: Cell; units: number; act?: RecurrentActivation };

const CASES: { name: string; layers: Spec[]; carried: boolean }[] = [
  { name: "'gru', 1 layer, zero state", layers: [{ cell: 'gru', units: 4 }], carried: false },
  { name: "'gru', 2 layers (hard_sigmoid, sigmoid), carried state", layers: [{ cell: 'gru', units: 4, act: 'hard_sigmoid' }, { cell: 'gru', units: 3 }], carried: true },
  { name: "'gru-classic', 1 layer, zero state", layers: [{ cell: 'gru-classic', units: 4 }], carried: false },
  { name: "'gru-classic', 2 layers (sigmoid, hard_sigmoid), carried state", layers: [{ cell: 'gru-classic', units: 4 }, { cell: 'gru-classic', units: 3, act: 'hard_sigmoid' }], carried: true },
  { name: "'rnn-tanh', 1 layer, zero state", layers: [{ cell: 'rnn-tanh', units: 4 }], carried: false },
  { name: "'rnn-tanh', 2 layers, carried state", layers: [{ cell: 'rnn-tanh', units: 4 }, { cell: 'rnn-tanh', units: 3 }], carried: true },
  { name: "'rnn-relu', 1 layer, zero state", layers: [{ cell: 'rnn-relu', units: 4 }], carried: false },
  { name: "'rnn-relu', 2 layers, carried state", layers: [{ cell: 'rnn-relu', units: 4 }, { cell: 'rnn-relu', units: 3 }], carried: true },
  { name: 'mixed: rnn-relu → gru → lstm, carried state', layers: [{ cell: 'rnn-relu', units: 4 }, { cell: 'gru', units: 3 }, { cell: 'lstm', units: 3 }], carried: true },
];

describe('GRU and RNN layer gradients', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  for (const c of CASES) {
    it(`equal autodiff of the plain-op cells: ${c.name}`, () => {
      const B = 3;
      const T = 5;
      const w0 = tinyCellWeights(7, 3, c.layers, 11);
      const p = tensorsFromWeights(w0);
      const vars = [p.embedding, ...p.layers.flatMap((l) => [l.kernel, l.recurrentKernel, l.bias]), p.outputKernel, p.outputBias].map(
        (t, i) => tf.variable(t, true, `cell_${c.layers.map((l) => l.cell).join('_')}_${c.carried}_${i}`),
      );
      const pv: LmTensors = {
        embedding: vars[0],
        layers: p.layers.map((l, i) => ({ ...l, kernel: vars[1 + 3 * i], recurrentKernel: vars[2 + 3 * i], bias: vars[3 + 3 * i] })),
        outputKernel: vars[vars.length - 2],
        outputBias: vars[vars.length - 1],
      };
      const ids = tokenStream(B * (T + 1), 7, 4);
      const win: Window = { inputs: ids.subarray(0, B * T), targets: ids.subarray(B, B * (T + 1)), steps: T, batch: B };
      const rnd = lcg(99);
      const state = zeroState(pv, B);
      if (c.carried) {
        state.h = state.h.map((h) => filled(h.length, rnd, 0.5));
        state.c = state.c.map((x) => filled(x.length, rnd, 0.9));
      }
      const mine = tf.variableGrads(() => windowLoss(pv, win, state, null, true).loss, vars);
      const ref = tf.variableGrads(() => referenceLoss(pv, win, state), vars);
      expect(mine.value.dataSync()[0]).toBeCloseTo(ref.value.dataSync()[0], 5);
      for (const v of vars) {
        const a = mine.grads[v.name].dataSync();
        const b = ref.grads[v.name].dataSync();
        expect(a.length).toBe(b.length);
        const scale = Math.max(1e-3, ...Array.from(b, Math.abs));
        for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]) / scale, `${v.name}[${i}]`).toBeLessThan(1e-4);
      }
      // The gradients are not trivially zero, and a 'gru' recurrent bias (row 1) gets its own.
      pv.layers.forEach((l, i) => {
        const g = Array.from(mine.grads[vars[3 + 3 * i].name].dataSync());
        expect(Math.max(...g.map(Math.abs)), `layer ${i + 1} bias gradient`).toBeGreaterThan(1e-4);
        if (l.cell === 'gru') {
          const n = g.length / 2;
          const diff = Math.max(...g.slice(0, n).map((x, j) => Math.abs(x - g[n + j])));
          expect(diff, 'input and recurrent bias gradients differ').toBeGreaterThan(1e-5);
        }
      });
      tf.dispose([...vars, mine.value, ref.value, ...Object.values(mine.grads), ...Object.values(ref.grads)]);
    });
  }
});

describe('GRU and RNN layer forward passes', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  const FORWARD: Spec[][] = [
    [{ cell: 'gru', units: 5 }],
    [{ cell: 'gru', units: 5, act: 'hard_sigmoid' }, { cell: 'gru', units: 4 }],
    [{ cell: 'gru-classic', units: 5 }],
    [{ cell: 'gru-classic', units: 5, act: 'hard_sigmoid' }, { cell: 'gru-classic', units: 4 }],
    [{ cell: 'rnn-tanh', units: 5 }, { cell: 'rnn-tanh', units: 4 }],
    [{ cell: 'rnn-relu', units: 5 }, { cell: 'rnn-relu', units: 4 }],
    [{ cell: 'lstm', units: 4 }, { cell: 'gru', units: 5 }, { cell: 'rnn-relu', units: 3 }],
  ];

  for (const layers of FORWARD) {
    const name = layers.map((l) => `${l.cell}${l.act === 'hard_sigmoid' ? ' (hard_sigmoid)' : ''}`).join(' → ');
    it(`equal the tfjs layers' own predict: ${name}`, () => {
      const V = 9;
      const B = 2;
      const T = 6;
      const w = tinyCellWeights(V, 3, layers, 5, 0.7);
      const arch = architectureOfWeights(w); // a linear Dense: predict returns logits
      const model = buildRnnLm(arch, { initScale: 0.05, seed: 1, dropout: 0.5 });
      assignWeights(model, w);
      const classes = model.layers.map((l) => l.getClassName()).filter((c) => c !== 'Embedding' && c !== 'Dropout' && c !== 'Dense');
      const expectClass: Record<Cell, string> = { lstm: 'LSTM', gru: 'ResetAfterGRU', 'gru-classic': 'GRU', 'rnn-tanh': 'SimpleRNN', 'rnn-relu': 'SimpleRNN' };
      expect(classes).toEqual(layers.map((l) => expectClass[l.cell]));
      const ids = tokenStream(B * T, V, 8);
      // predict reads [B, T] batch-major; the window is time-major (row t·B + b).
      const batchMajor = Int32Array.from({ length: B * T }, (_, i) => ids[(i % T) * B + Math.floor(i / T)]);
      const predicted = tf.tidy(() => (model.predict(tf.tensor2d(batchMajor, [B, T], 'int32')) as tf.Tensor).dataSync());
      const p = tensorsFromWeights(w);
      const logits = windowLogits(p, { inputs: ids, targets: ids, steps: T, batch: B }, zeroState(p, B)).logits.dataSync();
      let maxAbs = 0;
      for (let t = 0; t < T; t++) {
        for (let b = 0; b < B; b++) {
          for (let v = 0; v < V; v++) {
            const mine = logits[(t * B + b) * V + v];
            const theirs = predicted[(b * T + t) * V + v];
            maxAbs = Math.max(maxAbs, Math.abs(theirs));
            expect(Math.abs(mine - theirs), `t ${t} b ${b} v ${v}`).toBeLessThan(2e-5);
          }
        }
      }
      expect(maxAbs).toBeGreaterThan(0.1);
      model.dispose();
    });
  }
});
