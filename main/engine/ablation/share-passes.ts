// One worker's share of an ablation: S whole streams of L tokens, in three passes, each a
// batch of rows advanced one cell step at a time (RecurrentForward: one GEMM per layer and
// step) with their V-way output rows batched (OutputLosses):
//   baseline   the S streams from the zero state: ℓ(t), t = 0..L−2;
//   ablate     the baseline again, caching the state of every layer before each source s of a
//              window of W steps; then D+1 steps from those states, the first input replaced:
//              row (b, s) after j steps gives ℓ_τ(t) at t = s + j, τ = j;
//   truncate   for each start u of a window, D+1 steps from the zero state with the true
//              inputs: after j steps, the loss at t = u + j seen with k = j + 1 tokens.
// Every pass costs O(S·L·(D+1)) cell steps and as many output rows; no stream is rerun per source.
// The losses go to a LossSink (accumulate.ts sums them; the tests keep them all).
import type { RnnLmWeights } from '../model/rnn-weights';
import { RecurrentForward } from '../gradients/cell-forward';
import type { GemmEngine } from '../gradients/gemm-engine';
import { JobCancelledError } from '../errors';
import { OutputLosses } from './output-losses';

export interface ShareInput {
  weights: RnnLmWeights;
  /** [S, L] row-major */
  tokens: Int32Array;
  /** [S, L]: the token that replaces the input at (b, s) */
  replacements: Int32Array;
  streams: number;
  length: number;
  maxDelay: number;
  /** continuation rows per batch (S·W); default ROWS_PER_BATCH */
  rowsPerBatch?: number;
}

/** Receives every loss of a share, stream indices local to the share. */
export interface LossSink {
  /** ℓ(t) of stream b, t ≤ L−2; all come before any ablated() */
  baseline(b: number, t: number, loss: number): void;
  /** ℓ_τ(s + τ) with the input at s replaced */
  ablated(b: number, s: number, tau: number, loss: number): void;
  /** the loss at t = u + j from the zero state at u (k = j + 1 tokens seen) */
  truncated(b: number, u: number, j: number, loss: number): void;
}

export type SharePhase = 'baseline' | 'ablate' | 'truncate';

export interface ShareHooks {
  isCancelled?: () => boolean;
  /** after each batch: cell steps done in this phase (rows × steps) */
  onWork?: (phase: SharePhase, cellSteps: number) => void;
}

export interface ShareWork {
  cellSteps: number;
  outputRows: number;
}

/**
 * Rows advanced together. At H = 256 a [256, 320]·[320, 1024] cell GEMM and a [256, 257]·[257, 10k]
 * output GEMM keep the wasm GEMM near its best rate, while a batch's logits stay ~10 MB.
 */
export const ROWS_PER_BATCH = 256;

/** Cell steps each pass makes, for progress before it starts (baseline: S·L; the others S·L·(D+1) + S·L). */
export function plannedCellSteps(streams: number, length: number, maxDelay: number): Record<SharePhase, number> {
  const n = streams * length;
  return { baseline: n, ablate: n + n * (maxDelay + 1), truncate: n * (maxDelay + 1) };
}

export function runSharePasses(input: ShareInput, engine: GemmEngine, sink: LossSink, hooks: ShareHooks = {}): ShareWork {
  const { weights, streams: S, length: L } = input;
  const D = input.maxDelay;
  const W = Math.max(1, Math.ceil((input.rowsPerBatch ?? ROWS_PER_BATCH) / S));
  const R = S * W;
  const depth = weights.layers.length;
  const out = new OutputLosses(weights, engine);
  const base = new RecurrentForward(weights, depth, S, engine);
  const cont = new RecurrentForward(weights, depth, R, engine);
  const work: ShareWork = { cellSteps: 0, outputRows: 0 };
  const ctx: PassContext = { input, out, cont, W, R, D, L, S, work, hooks };
  try {
    baselinePass(ctx, base, sink);
    base.reset();
    for (let s0 = 0; s0 < L; s0 += W) {
      cancelCheck(hooks);
      const w = Math.min(W, L - s0);
      // cache each source's state (every layer) in its continuation row, advancing the baseline
      const step = new Int32Array(S);
      for (let i = 0; i < w; i++) {
        for (let m = 0; m < depth; m++) {
          const H = base.h[m].length / S;
          cont.h[m].set(base.h[m], i * S * H);
          if (base.c[m].length) cont.c[m].set(base.c[m], i * S * H);
        }
        for (let b = 0; b < S; b++) step[b] = input.tokens[b * L + s0 + i];
        base.step(step);
      }
      work.cellSteps += w * S;
      continuation(ctx, s0, w, true, (b, s, j, loss) => sink.ablated(b, s, j, loss));
      hooks.onWork?.('ablate', w * S * (D + 2));
    }
    for (let u0 = 0; u0 < L; u0 += W) {
      cancelCheck(hooks);
      const w = Math.min(W, L - u0);
      cont.reset();
      continuation(ctx, u0, w, false, (b, u, j, loss) => sink.truncated(b, u, j, loss));
      hooks.onWork?.('truncate', w * S * (D + 1));
    }
  } finally {
    base.dispose();
    cont.dispose();
    out.dispose();
  }
  work.outputRows = out.rows;
  return work;
}

interface PassContext {
  input: ShareInput;
  out: OutputLosses;
  cont: RecurrentForward;
  W: number;
  R: number;
  D: number;
  L: number;
  S: number;
  work: ShareWork;
  hooks: ShareHooks;
}

function cancelCheck(hooks: ShareHooks): void {
  if (hooks.isCancelled?.()) throw new JobCancelledError();
}

/** ℓ(t) of every stream, W steps of top-layer states per output batch. */
function baselinePass(ctx: PassContext, base: RecurrentForward, sink: LossSink): void {
  const { input, out, S, L, W } = ctx;
  const top = base.h[base.depth - 1];
  const H = top.length / S;
  const hs = new Float64Array(W * S * H);
  const targets = new Int32Array(W * S);
  const losses = new Float64Array(W * S);
  const step = new Int32Array(S);
  for (let t0 = 0; t0 < L - 1; t0 += W) {
    cancelCheck(ctx.hooks);
    const w = Math.min(W, L - 1 - t0);
    for (let i = 0; i < w; i++) {
      for (let b = 0; b < S; b++) {
        step[b] = input.tokens[b * L + t0 + i];
        targets[i * S + b] = input.tokens[b * L + t0 + i + 1];
      }
      base.step(step);
      hs.set(top, i * S * H);
    }
    out.losses(hs, w * S, targets, losses);
    for (let i = 0; i < w; i++) for (let b = 0; b < S; b++) sink.baseline(b, t0 + i, losses[i * S + b]);
    ctx.work.cellSteps += w * S;
    ctx.hooks.onWork?.('baseline', w * S);
  }
}

/**
 * D+1 steps of the continuation rows of sources (or starts) s0..s0+w−1, row (s − s0)·S + b,
 * from the states already in ctx.cont. The first input is the replacement (ablate) or the true
 * token (truncate). Only the rows whose step t = s + j has a next word (t ≤ L−2) get an
 * output row: rows are ordered by s, so they are a prefix.
 */
function continuation(ctx: PassContext, s0: number, w: number, replaced: boolean, emit: (b: number, s: number, j: number, loss: number) => void): void {
  const { input, out, cont, S, L, R, D } = ctx;
  const top = cont.h[cont.depth - 1];
  const tokens = new Int32Array(R);
  const targets = new Int32Array(R);
  const losses = new Float64Array(R);
  for (let j = 0; j <= D; j++) {
    const liveSteps = Math.max(0, Math.min(w, L - 1 - j - s0));
    if (liveSteps === 0) break;
    for (let i = 0; i < w; i++) {
      const s = s0 + i;
      for (let b = 0; b < S; b++) {
        const r = i * S + b;
        const t = s + j;
        // past the stream's end a row is dead; it still steps (the batch is one GEMM) on token 0
        tokens[r] = t >= L ? 0 : j === 0 && replaced ? input.replacements[b * L + s] : input.tokens[b * L + t];
        targets[r] = t <= L - 2 ? input.tokens[b * L + t + 1] : -1;
      }
    }
    cont.step(tokens);
    ctx.work.cellSteps += w * S;
    out.losses(top, liveSteps * S, targets, losses);
    for (let i = 0; i < liveSteps; i++) for (let b = 0; b < S; b++) emit(b, s0 + i, j, losses[i * S + b]);
  }
}
