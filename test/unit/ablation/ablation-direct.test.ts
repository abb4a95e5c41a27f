// Δ(τ) and T(k) of the batched passes (main/engine/ablation/share-passes.ts) against a direct
// recomputation with the float64 references of test/unit/gradients (no code shared with the
// engine): replace the token at s, rerun the whole stream from its start and subtract; for
// truncation, rerun from the zero state at u. Every cell, two layers, all three modes.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { JsGemmEngine } from '../../../main/engine/gradients/gemm-engine';
import { WasmGemmEngine } from '../../../main/engine/gradients/wasm-gemm-engine';
import { selectBackend } from '../../../main/engine/model/backend';
import type { Cell, RnnLmWeights } from '../../../main/engine/model/rnn-weights';
import { runSharePasses, type LossSink } from '../../../main/engine/ablation/share-passes';
import { drawReplacements, unigramCounts } from '../../../main/engine/ablation/replacements';
import type { GemmEngine } from '../../../main/engine/gradients/gemm-engine';
import type { AblationMode } from '../../../shared/schemas/ablation';
import { embedStream, forward64, randomTokens } from '../gradients/reference-lstm';
import { randomCellModel } from '../gradients/reference-cells';

const V = 17;
const E = 5;
const B = 3;
const L = 11;
const D = 4;

/** −log softmax(h·W + b)[y] in float64, written from the definition. */
function refLoss(w: RnnLmWeights, h: Float64Array, y: number): number {
  const logits = new Float64Array(w.vocabSize);
  for (let v = 0; v < w.vocabSize; v++) {
    let z = w.outputBias[v];
    for (let k = 0; k < h.length; k++) z += h[k] * w.outputKernel[k * w.vocabSize + v];
    logits[v] = z;
  }
  const max = Math.max(...logits);
  let sum = 0;
  for (const z of logits) sum += Math.exp(z - max);
  return max + Math.log(sum) - logits[y];
}

/** Losses at every t of one token sequence run from the zero state: out[t] predicts seq[t+1]. */
function streamLosses(w: RnnLmWeights, seq: ArrayLike<number>): number[] {
  const states = forward64(w, embedStream(w, seq));
  const top = w.layers.length - 1;
  const out: number[] = [];
  for (let t = 0; t + 1 < seq.length; t++) out.push(refLoss(w, states[t][top].h, seq[t + 1]));
  return out;
}

interface Collected {
  base: Map<string, number>;
  ablated: Map<string, number>;
  truncated: Map<string, number>;
}

function collect(): { sink: LossSink; got: Collected } {
  const got: Collected = { base: new Map(), ablated: new Map(), truncated: new Map() };
  const put = (m: Map<string, number>, key: string, v: number) => {
    if (m.has(key)) throw new Error(`loss ${key} emitted twice`);
    m.set(key, v);
  };
  return {
    got,
    sink: {
      baseline: (b, t, loss) => put(got.base, `${b},${t}`, loss),
      ablated: (b, s, tau, loss) => put(got.ablated, `${b},${s},${tau}`, loss),
      truncated: (b, u, j, loss) => put(got.truncated, `${b},${u},${j}`, loss),
    },
  };
}

/** Largest |engine − direct| over Δ per pair and over truncated losses; also checks the pair sets. */
function compareWithDirect(w: RnnLmWeights, tokens: Int32Array, repl: Int32Array, got: Collected): { delta: number; trunc: number; base: number; maxDelta: number } {
  let delta = 0;
  let trunc = 0;
  let base = 0;
  let maxDelta = 0;
  let pairs = 0;
  let truncPairs = 0;
  for (let b = 0; b < B; b++) {
    const stream = Array.from(tokens.subarray(b * L, (b + 1) * L));
    const ref = streamLosses(w, stream);
    for (let t = 0; t <= L - 2; t++) base = Math.max(base, Math.abs(got.base.get(`${b},${t}`)! - ref[t]));
    for (let s = 0; s < L; s++) {
      const changed = stream.slice();
      changed[s] = repl[b * L + s];
      const alt = streamLosses(w, changed);
      for (let tau = 0; tau <= D && s + tau <= L - 2; tau++) {
        const t = s + tau;
        const direct = alt[t] - ref[t];
        const engine = got.ablated.get(`${b},${s},${tau}`);
        expect(engine, `pair b=${b} s=${s} τ=${tau}`).toBeDefined();
        const engineDelta = engine! - got.base.get(`${b},${t}`)!;
        delta = Math.max(delta, Math.abs(engineDelta - direct));
        maxDelta = Math.max(maxDelta, Math.abs(direct));
        pairs++;
      }
      // truncation from the zero state at u = s
      const u = s;
      const cut = streamLosses(w, stream.slice(u, Math.min(L, u + D + 2)));
      for (let j = 0; j <= D && u + j <= L - 2; j++) {
        const engine = got.truncated.get(`${b},${u},${j}`);
        expect(engine, `truncation b=${b} u=${u} j=${j}`).toBeDefined();
        trunc = Math.max(trunc, Math.abs(engine! - cut[j]));
        truncPairs++;
      }
    }
  }
  expect(got.ablated.size).toBe(pairs);
  expect(got.truncated.size).toBe(truncPairs);
  expect(got.base.size).toBe(B * (L - 1));
  return { delta, trunc, base, maxDelta };
}

function run(w: RnnLmWeights, mode: AblationMode, engine: GemmEngine, rowsPerBatch: number, seed = 3) {
  const tokens = randomTokens(seed, B * L, V);
  // <unk> is id 0 here; random draws from a skewed "training" unigram
  const train = randomTokens(seed + 100, 200, V).map((v) => (v % 3 === 0 ? v : v % 5));
  const repl = drawReplacements(tokens, B, L, { mode, unkId: 0, unigram: unigramCounts(train, V), seed: 9 });
  const { sink, got } = collect();
  const work = runSharePasses({ weights: w, tokens, replacements: repl, streams: B, length: L, maxDelay: D, rowsPerBatch }, engine, sink);
  return { tokens, repl, got, work };
}

const CELLS: Cell[][] = [['lstm'], ['gru'], ['gru-classic'], ['rnn-tanh'], ['rnn-relu'], ['lstm', 'lstm'], ['gru', 'lstm'], ['rnn-tanh', 'gru-classic']];
const MODES: AblationMode[] = ['unk', 'random', 'shuffle'];

describe('ablation equals a direct recomputation (JS GEMM, float32 inputs)', () => {
  for (const cells of CELLS) {
    for (const mode of MODES) {
      it(`${cells.join('+')}, ${mode}`, () => {
        const w = randomCellModel(cells.length * 7 + mode.length, V, E, cells.map((_, i) => 6 + i), cells, 'sigmoid', 0.6);
        // 2 streams' worth of rows per batch: several windows, the last one short
        const { tokens, repl, got, work } = run(w, mode, new JsGemmEngine(), 2 * B);
        const err = compareWithDirect(w, tokens, repl, got);
        // Δ is not trivially zero, and the engine matches the direct rerun to float32 rounding
        expect(err.maxDelta).toBeGreaterThan(1e-2);
        expect(err.delta).toBeLessThan(5e-5);
        expect(err.trunc).toBeLessThan(5e-5);
        expect(err.base).toBeLessThan(5e-5);
        expect(work.outputRows).toBe(B * (L - 1) + got.ablated.size + got.truncated.size);
      });
    }
  }

  it('random and shuffle replacements follow their definitions', () => {
    const tokens = randomTokens(5, B * L, V);
    const sh = drawReplacements(tokens, B, L, { mode: 'shuffle', unkId: 0, seed: 4 });
    // each replacement is a token of the same stream
    for (let b = 0; b < B; b++) for (let s = 0; s < L; s++) expect(Array.from(tokens.subarray(b * L, (b + 1) * L))).toContain(sh[b * L + s]);
    const counts = new Float64Array(V);
    counts[3] = 1;
    counts[7] = 3;
    const rd = drawReplacements(new Int32Array(4000), 1, 4000, { mode: 'random', unkId: 0, unigram: counts, seed: 2 });
    const sevens = rd.filter((v) => v === 7).length;
    expect(rd.every((v) => v === 3 || v === 7)).toBe(true);
    expect(Math.abs(sevens / 4000 - 0.75)).toBeLessThan(0.03);
    // the same seed gives the same draws
    expect(Array.from(drawReplacements(tokens, B, L, { mode: 'shuffle', unkId: 0, seed: 4 }))).toEqual(Array.from(sh));
  });
});

describe('ablation on the wasm GEMM', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('matches the direct recomputation for a 2-layer LSTM and a GRU', () => {
    expect(tf.getBackend()).toBe('wasm');
    for (const cells of [['lstm', 'lstm'], ['gru']] as Cell[][]) {
      const w = randomCellModel(41, V, E, cells.map(() => 8), cells, 'sigmoid', 0.6);
      const engine = new WasmGemmEngine();
      try {
        const { tokens, repl, got } = run(w, 'shuffle', engine, 5);
        const err = compareWithDirect(w, tokens, repl, got);
        expect(err.maxDelta).toBeGreaterThan(1e-2);
        expect(err.delta).toBeLessThan(5e-5);
        expect(err.trunc).toBeLessThan(5e-5);
      } finally {
        engine.dispose();
      }
    }
  });
});

describe('the SIMD log-sum-exp of the output rows', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('matches the float64 loss of every row to float32 rounding, also with a large logit spread and V not a multiple of 4', async () => {
    const { OutputLosses, rowLoss } = await import('../../../main/engine/ablation/output-losses');
    for (const [Vout, scale] of [[1001, 1], [64, 40]] as const) {
      const w = randomCellModel(3, Vout, 4, [7], ['lstm'], 'sigmoid', scale);
      const engine = new WasmGemmEngine();
      try {
        const out = new OutputLosses(w, engine);
        const rows = 9;
        const h = Float64Array.from({ length: rows * 7 }, (_, i) => Math.sin(i));
        const targets = Int32Array.from({ length: rows }, (_, r) => (r * 37) % Vout);
        const got = new Float64Array(rows);
        out.losses(h, rows, targets, got);
        for (let r = 0; r < rows; r++) {
          const logits = new Float64Array(Vout);
          for (let v = 0; v < Vout; v++) {
            let z = w.outputBias[v];
            for (let k = 0; k < 7; k++) z += h[r * 7 + k] * w.outputKernel[k * Vout + v];
            logits[v] = z;
          }
          const want = rowLoss(logits, 0, Vout, targets[r]);
          expect(Math.abs(got[r] - want)).toBeLessThan(2e-5 * Math.max(1, Math.abs(want)));
        }
        out.dispose();
      } finally {
        engine.dispose();
      }
    }
  });
});
