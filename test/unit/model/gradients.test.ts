// The hand-written gradients (embedding lookup, LSTM layer BPTT, fused softmax
// cross-entropy) against tfjs autodiff of the same model written with plain ops, on the
// cpu backend, where every op has its gradient kernel.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../main/engine/model/backend';
import type { LmTensors, RnnState, Window } from '../../../main/engine/model/lstm-forward';
import { windowLoss } from '../../../main/engine/model/lstm-forward';
import { tensorsFromWeights } from '../../../main/engine/model/extract-weights';
import { filled, lcg, tinyWeights, tokenStream } from './helpers';

function referenceLoss(p: LmTensors, w: Window, state: RnnState): tf.Scalar {
  const { steps: T, batch: B } = w;
  let x: tf.Tensor = tf.gather(p.embedding, tf.tensor1d(w.inputs, 'int32'));
  p.layers.forEach((l, li) => {
    const H = l.recurrentKernel.shape[0] as number;
    const act = (z: tf.Tensor) =>
      l.recurrentActivation === 'sigmoid' ? tf.sigmoid(z) : tf.clipByValue(tf.add(tf.mul(z, 0.2), 0.5), 0, 1);
    let h: tf.Tensor = tf.tensor2d(state.h[li], [B, H]);
    let c: tf.Tensor = tf.tensor2d(state.c[li], [B, H]);
    const outs: tf.Tensor[] = [];
    for (let t = 0; t < T; t++) {
      const xt = tf.slice(x, [t * B, 0], [B, x.shape[1] as number]);
      const z = tf.add(tf.add(tf.matMul(xt as tf.Tensor2D, l.kernel as tf.Tensor2D), tf.matMul(h as tf.Tensor2D, l.recurrentKernel as tf.Tensor2D)), l.bias);
      const [zi, zf, zg, zo] = tf.split(z, 4, 1);
      c = tf.add(tf.mul(act(zf), c), tf.mul(act(zi), tf.tanh(zg)));
      h = tf.mul(act(zo), tf.tanh(c));
      outs.push(h);
    }
    x = tf.concat(outs, 0);
  });
  const logits = tf.add(tf.matMul(x as tf.Tensor2D, p.outputKernel as tf.Tensor2D), p.outputBias);
  const V = p.outputKernel.shape[1] as number;
  return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(w.targets, 'int32'), V), logits) as tf.Scalar;
}

describe('custom gradients', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('equal autodiff of the plain-op model (2 layers, sigmoid + hard_sigmoid, non-zero carried state)', () => {
    const B = 3;
    const T = 4;
    const w0 = tinyWeights(7, 3, [4, 3], 5, ['sigmoid', 'hard_sigmoid']);
    const p = tensorsFromWeights(w0);
    const vars = [p.embedding, ...p.layers.flatMap((l) => [l.kernel, l.recurrentKernel, l.bias]), p.outputKernel, p.outputBias].map(
      (t, i) => tf.variable(t, true, `gc_${i}`),
    );
    const pv: LmTensors = {
      embedding: vars[0],
      layers: p.layers.map((l, i) => ({
        kernel: vars[1 + 3 * i],
        recurrentKernel: vars[2 + 3 * i],
        bias: vars[3 + 3 * i],
        cell: l.cell,
        recurrentActivation: l.recurrentActivation,
      })),
      outputKernel: vars[vars.length - 2],
      outputBias: vars[vars.length - 1],
    };
    const ids = tokenStream(B * (T + 1), 7, 4);
    const win: Window = { inputs: ids.subarray(0, B * T), targets: ids.subarray(B, B * (T + 1)), steps: T, batch: B };
    const rnd = lcg(99);
    const state: RnnState = {
      h: [filled(B * 4, rnd, 0.5), filled(B * 3, rnd, 0.5)],
      c: [filled(B * 4, rnd, 0.9), filled(B * 3, rnd, 0.9)],
    };
    const mine = tf.variableGrads(() => windowLoss(pv, win, state, null, true).loss, vars);
    const ref = tf.variableGrads(() => referenceLoss(pv, win, state), vars);
    expect(mine.value.dataSync()[0]).toBeCloseTo(ref.value.dataSync()[0], 5);
    for (const v of vars) {
      const a = mine.grads[v.name].dataSync();
      const b = ref.grads[v.name].dataSync();
      const scale = Math.max(1e-3, ...Array.from(b, Math.abs));
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]) / scale, `${v.name}[${i}]`).toBeLessThan(1e-4);
    }
  });
});
