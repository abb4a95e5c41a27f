// The same PyTorch model read from its ONNX export and from its state_dict gives the same
// weights, cell and tying: so an ONNX import inherits what the state_dict tests prove
// against torch (log-probabilities, and state gradients equal to torch autograd's).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPytorchModel } from '../../../main/engine/model/import-pytorch';
import { readOnnxModel } from '../../../main/engine/model/onnx/read-onnx';
import type { RnnLmWeights } from '../../../main/engine/model/rnn-weights';
import { FIX, readFixtures } from './pytorch-helpers';

/** Largest |a − b| over two arrays of one length (Infinity when the lengths differ). */
function maxAbsDiff(a: Float32Array | undefined, b: Float32Array | undefined): number {
  if (!a || !b) return a === b ? 0 : Infinity;
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Every weight array of a model, named, bottom first. */
function arrays(w: RnnLmWeights): [string, Float32Array | undefined][] {
  return [
    ['embedding', w.embedding],
    ...w.layers.flatMap((l, i): [string, Float32Array | undefined][] => [
      [`layer ${i + 1} kernel`, l.kernel],
      [`layer ${i + 1} recurrent kernel`, l.recurrentKernel],
      [`layer ${i + 1} bias`, l.bias],
      [`layer ${i + 1} recurrent bias`, l.recurrentBias],
    ]),
    ['output kernel', w.outputKernel],
    ['output bias', w.outputBias],
  ];
}

describe('ONNX and state_dict of one PyTorch model', async () => {
  const fixtures = await readFixtures();
  // the dtype copies (f16, bf16, f64) have no ONNX export
  const exported = Object.entries(fixtures.models).filter(([name]) => existsSync(path.join(FIX, `${name}.onnx`)));
  it('covers every exported cell', () => {
    expect(new Set(exported.map(([, spec]) => spec.cell))).toEqual(new Set(['lstm', 'gru', 'rnn-tanh', 'rnn-relu']));
  });
  for (const [name, spec] of exported) {
    it(`${name}: the same cell, sizes, tying and weights (to float32 rounding) from .onnx and .pt`, async () => {
      const nonlinearity = spec.cell === 'rnn-relu' ? ('relu' as const) : undefined;
      const fromPt = await readPytorchModel(path.join(FIX, `${name}.pt`), { nonlinearity });
      const fromOnnx = await readOnnxModel(path.join(FIX, `${name}.onnx`));
      expect(fromOnnx.weights.layers.map((l) => [l.cell, l.units, l.inputSize, l.recurrentActivation])).toEqual(
        fromPt.weights.layers.map((l) => [l.cell, l.units, l.inputSize, l.recurrentActivation]),
      );
      expect(fromOnnx.tied).toBe(fromPt.tied);
      const pt = arrays(fromPt.weights);
      const onnx = arrays(fromOnnx.weights);
      for (let i = 0; i < pt.length; i++) {
        // biases may be summed in another order (b_ih + b_hh vs Wb + Rb): float32 rounding
        expect({ part: pt[i][0], diff: maxAbsDiff(onnx[i][1], pt[i][1]) }).toEqual({ part: pt[i][0], diff: expect.closeTo(0, 6) });
      }
    });
  }
});
