// A training window's loss and gradients, dropout on, on the wasm backend (the output layer
// and dropout on Mnemoscope's kernels, dropped units skipped) against the cpu backend (plain
// tfjs ops, the mask applied as a multiply): the same seed draws the same masks, so the two
// must agree to float32 rounding, for every parameter of a two-layer model.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../main/engine/model/backend';
import { tensorsFromWeights } from '../../../main/engine/model/extract-weights';
import type { RnnState } from '../../../main/engine/model/lstm-forward';
import { windowGradients, type TrainableTensors } from '../../../main/engine/model/train-step';
import { mulberry32 } from '../../../main/engine/seeded-random';
import { filled, lcg, maxRelativeError, tinyWeights, tokenStream } from './helpers';

const V = 301;
const B = 5;
const T = 7;

function windowOn(backendName: 'cpu' | 'wasm') {
  const p = tensorsFromWeights(tinyWeights(V, 6, [12, 10], 5));
  const named = [p.embedding, ...p.layers.flatMap((l) => [l.kernel, l.recurrentKernel, l.bias]), p.outputKernel, p.outputBias];
  const variables = named.map((t, i) => tf.variable(t, true, `${backendName}_${i}`));
  const params: TrainableTensors = {
    embedding: variables[0],
    layers: p.layers.map((l, i) => ({ ...l, kernel: variables[1 + 3 * i], recurrentKernel: variables[2 + 3 * i], bias: variables[3 + 3 * i] })),
    outputKernel: variables[variables.length - 2],
    outputBias: variables[variables.length - 1],
    variables,
  };
  const rnd = lcg(9);
  const state: RnnState = { h: [filled(B * 12, rnd, 0.5), filled(B * 10, rnd, 0.5)], c: [filled(B * 12, rnd, 0.5), filled(B * 10, rnd, 0.5)] };
  const tokens = tokenStream(B * T + 1, V, 4);
  const w = { inputs: tokens.subarray(0, B * T), targets: tokens.subarray(1), steps: T, batch: B };
  const drop = { rng: mulberry32(17), embedding: 0.3, output: 0.5 };
  const g = windowGradients(params, w, state, drop, T);
  if (!g.grads) throw new Error('loss not finite');
  const grads = variables.map((v) => g.grads?.[v.name].dataSync() as Float32Array);
  return { loss: g.loss, grads, state: g.state };
}

describe('a training window with dropout', () => {
  it('has the same loss, gradients and next state on wasm (own kernels) as on cpu (tfjs ops)', async () => {
    await selectBackend('cpu');
    const cpu = windowOn('cpu');
    await selectBackend('wasm');
    const wasm = windowOn('wasm');
    expect(Math.abs(wasm.loss - cpu.loss)).toBeLessThan(1e-5 * cpu.loss);
    expect(wasm.grads.length).toBe(cpu.grads.length);
    wasm.grads.forEach((g, i) => expect(maxRelativeError(g, cpu.grads[i]), `parameter ${i}`).toBeLessThan(1e-4));
    cpu.state.h.forEach((h, l) => expect(maxRelativeError(wasm.state.h[l], h)).toBeLessThan(1e-5));
    // Dropped units in the top layer: the output kernel's rows see fewer inputs, not none.
    expect(cpu.grads[cpu.grads.length - 2].some((v) => v !== 0)).toBe(true);
  });
});
