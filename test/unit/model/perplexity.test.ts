// Perplexity against an independent hand computation (plain JS loops, no tfjs) of the LSTM
// forward pass and the softmax, with the PTB stream convention of batchify.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../main/engine/model/backend';
import { weightsPerplexity, evaluatePerplexity } from '../../../main/engine/model/perplexity';
import { buildRnnLm } from '../../../main/engine/model/rnn-lm';
import { assignWeights } from '../../../main/engine/model/extract-weights';
import type { RnnLmWeights } from '../../../main/engine/model/rnn-weights';
import { tinyWeights, tokenStream } from './helpers';

/** exp(mean −log p) over each stream's tokens 1..L−1, state from zero at each stream start. */
function handPerplexity(w: RnnLmWeights, tokens: Int32Array, B: number): number {
  const L = Math.floor(tokens.length / B);
  const sig = (z: number) => 1 / (1 + Math.exp(-z));
  const hard = (z: number) => Math.min(1, Math.max(0, 0.2 * z + 0.5));
  let nll = 0;
  for (let s = 0; s < B; s++) {
    const hs = w.layers.map((l) => new Array<number>(l.units).fill(0));
    const cs = w.layers.map((l) => new Array<number>(l.units).fill(0));
    for (let t = 0; t < L - 1; t++) {
      const tok = tokens[s * L + t];
      let x = Array.from(w.embedding.subarray(tok * w.embeddingDim, (tok + 1) * w.embeddingDim));
      w.layers.forEach((l, li) => {
        const H = l.units;
        const act = l.recurrentActivation === 'sigmoid' ? sig : hard;
        const z = new Array<number>(4 * H).fill(0);
        for (let q = 0; q < 4 * H; q++) {
          let v = l.bias[q];
          for (let k = 0; k < l.inputSize; k++) v += x[k] * l.kernel[k * 4 * H + q];
          for (let k = 0; k < H; k++) v += hs[li][k] * l.recurrentKernel[k * 4 * H + q];
          z[q] = v;
        }
        for (let j = 0; j < H; j++) {
          const i = act(z[j]);
          const f = act(z[H + j]);
          const g = Math.tanh(z[2 * H + j]);
          const o = act(z[3 * H + j]);
          cs[li][j] = f * cs[li][j] + i * g;
          hs[li][j] = o * Math.tanh(cs[li][j]);
        }
        x = hs[li].slice();
      });
      const V = w.vocabSize;
      const logits = new Array<number>(V);
      for (let v = 0; v < V; v++) {
        let a = w.outputBias[v];
        for (let k = 0; k < x.length; k++) a += x[k] * w.outputKernel[k * V + v];
        logits[v] = a;
      }
      const m = Math.max(...logits);
      const lse = m + Math.log(logits.reduce((acc, a) => acc + Math.exp(a - m), 0));
      nll += lse - logits[tokens[s * L + t + 1]];
    }
  }
  return Math.exp(nll / (B * (L - 1)));
}

describe.each(['cpu', 'wasm'] as const)('perplexity on %s', (backend) => {
  beforeAll(async () => {
    await selectBackend(backend);
  });

  it('matches a hand computation (V=5, E=3, H=2; remainder dropped, state carried across windows)', () => {
    const w = tinyWeights(5, 3, [2]);
    const tokens = tokenStream(23, 5); // B=2 → L=11, one token dropped; T=4 → windows of 4, 4, 2
    const r = weightsPerplexity(w, tokens, { batchSize: 2, bptt: 4 });
    expect(r.predicted).toBe(20);
    expect(r.used).toBe(22);
    expect(r.dropped).toBe(1);
    const hand = handPerplexity(w, tokens, 2);
    expect(Math.abs(r.perplexity - hand) / hand).toBeLessThan(1e-5);
  });

  it('matches by hand for two layers with hard_sigmoid, and through a Layers model', () => {
    const w = tinyWeights(6, 3, [4, 2], 21, ['hard_sigmoid', 'sigmoid']);
    const tokens = tokenStream(40, 6, 9);
    const hand = handPerplexity(w, tokens, 3);
    const r = weightsPerplexity(w, tokens, { batchSize: 3, bptt: 5 });
    expect(Math.abs(r.perplexity - hand) / hand).toBeLessThan(1e-5);
    const model = buildRnnLm(
      {
        vocabSize: 6,
        embeddingDim: 3,
        layers: [
          { units: 4, cell: 'lstm' as const, recurrentActivation: 'hard_sigmoid' },
          { units: 2, cell: 'lstm' as const, recurrentActivation: 'sigmoid' },
        ],
        outputActivation: 'softmax',
      },
      { initScale: 0.1, seed: 1, dropout: 0.5 },
    );
    assignWeights(model, w);
    const viaModel = evaluatePerplexity(model, tokens, { batchSize: 3, bptt: 5 });
    expect(Math.abs(viaModel.perplexity - hand) / hand).toBeLessThan(1e-5);
    model.dispose();
  });

  it('refuses a stream too short for its streams, and ids outside the vocabulary', () => {
    const w = tinyWeights(5, 3, [2]);
    expect(() => weightsPerplexity(w, tokenStream(5, 5), { batchSize: 3, bptt: 4, what: 'the test split' })).toThrow(
      /the test split has 5 tokens: too few for 3 parallel streams/,
    );
    expect(() => weightsPerplexity(w, Int32Array.from([1, 2, 7, 1]), { batchSize: 1, bptt: 4 })).toThrow(
      /token id 7 at position 2 is outside the vocabulary \(size 5\)/,
    );
  });
});
