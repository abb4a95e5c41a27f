// The forward-tangent sweep of DESIGN §4 over one chunk of S streams.
//
// Each stream keeps its live sources in a FIFO ordered by source step (a ring of D+1
// slots): a step pushes the new source at the back and, after the step, pops the one
// that reached delay D (or all of them at the end of the streams). A source's tangent is
// E rows (one per input column), so FIFO position p of stream b owns rows p·E..p·E+E-1
// of that stream's GEMM inputs:
//   layer 1:  In_1 = [dh¹_{t-1}]               (a new source is left out: its rows are fold(W¹))
//   layer m:  In_m = [dh^{m-1}_t | dh^m_{t-1}]  (one GEMM with the stacked [W^m; U^m])
// The right-hand side is the stream's folded M (tangent-step.ts, tangent-cells.ts), so there
// is one 2-D GEMM per stream, layer and block of sources; each layer's cell decides M's width
// and whether a memory-cell tangent dc is kept (the LSTM's). Next step's inputs are allocated
// before the fused loop runs, and the loop writes each surviving source's dh straight into its next
// row (position p - expired): nothing is copied or compacted. All layers of a block run
// before the next block so the GEMM output is still in cache when the loop reads it, and
// blocks run position-major across streams so the sources that add into the same
// (group, delay) accumulator follow each other (groups are time windows, see groupOf).
import type { RnnLmWeights } from '../model/rnn-weights';
import type { CancelToken } from '../cancel-token';
import type { F32Buf } from './buffers';
import type { GemmEngine, GemmMatrix } from './gemm-engine';
import { RecurrentForward } from './cell-forward';
import { tangentCell, type TangentCell } from './tangent-cells';
import { zeroRows, type TangentKernels } from './tangent-step';
import { PendingSums, type SumBuffers } from './accumulator';
import type { TokenIndex } from './class-index';
import { groupOf } from './stream-layout';

export type TargetState = 'c' | 'h';

export interface SweepSettings {
  target: TargetState;
  /** 1-based target layer */
  layer: number;
  maxDelay: number;
  groups: number;
  /** sources per GEMM block; 0 = choose from the sizes */
  slotsPerBlock?: number;
}

export interface Chunk {
  /** [streams, length] row-major */
  tokens: Int32Array;
  streams: number;
  length: number;
  /** [streams·length]: nonzero where a source starts (sampling path); null = every position */
  sampleMask: Uint8Array | null;
}

export interface SweepStats {
  /** nominal flops: 2·E·(G·H_m)·K_m per (source, step) and layer (G gate blocks), the count of DESIGN §4 for the unfolded recurrence */
  flops: number;
  /** flops the GEMMs actually executed (folded: 2·E·(width·H_m)·K_m per source, and gru-classic's product terms) */
  gemmFlops: number;
  /** tangent values flushed to zero below FLUSH_BELOW */
  flushed: number;
  /** (source, step) pairs accumulated */
  pairs: number;
  /** target positions (stream steps) processed */
  positions: number;
}

export interface SweepHooks {
  /** called after every step with the number of positions (streams) it covered */
  onStep?: (positions: number) => void;
  /** the job's token, read between steps (its flag is shared with the thread that cancels) */
  cancel?: CancelToken;
}

export function defaultSlotsPerBlock(_H: number, E: number): number {
  // ~512 GEMM rows: the GEMM is near its best from there on (measured at H = 256, E = 64:
  // 256 to 1024 rows within a few %), and the block's output (rows × 2H floats at most)
  // stays small enough to be read back from cache
  return Math.max(1, Math.round(512 / E));
}

/** What one chunk's run shares between its steps and blocks. */
interface RunState {
  R: number;
  /** ring slot of FIFO position p of stream b: b·R + (head[b] + p) % R */
  head: Int32Array;
  count: Int32Array;
  slotSource: Int32Array;
  slotGroup: Int32Array;
  slotToken: Int32Array;
  streams: StreamStep[];
  /** per layer: memory-cell tangents [S·R, E, H_m] (LSTM layers, else null) and this step's coefficients [S, coefRows, H_m] */
  dcRing: (F32Buf | null)[];
  coefs: F32Buf[];
  /** target h: the target layer's dh of every source of the current block, [S, spb, E, H_L] (kept until the flush) */
  dhKeep: F32Buf | null;
  /** scratch: fold(W¹) for a new source, [E, width·H_1] (folded where it is used: it stays in cache) */
  freshRows: F32Buf;
  /** gru-classic at layer 1, per stream: this step's product term of the W¹ rows, [E, H_1] (else empty) */
  freshTerm: F32Buf[];
  /** accumulator additions of the current block of every stream */
  pending: PendingSums;
}

/** Per-step state of one stream's FIFO. */
interface StreamStep {
  fresh: boolean;
  expiring: number;
  cur: GemmMatrix[][];
  next: GemmMatrix[][];
  weights: (GemmMatrix | null)[];
}

export class ChunkSweep {
  private readonly L: number;
  private readonly E: number;
  private readonly H: number[];
  /** GEMM input width of layer m: H_1, or H_{m-1} + H_m */
  private readonly K: number[];
  /** column where layer m's own recurrent part starts in its GEMM input */
  private readonly rc: number[];
  /** unfolded right-hand sides [K_m, G·H_m]: U¹, or [W^m; U^m]; and W¹ for new sources */
  private readonly stacked: F32Buf[];
  private readonly kernel1: F32Buf;
  private readonly cells: TangentCell[];
  private readonly spb: number;
  readonly stats: SweepStats = { flops: 0, gemmFlops: 0, flushed: 0, pairs: 0, positions: 0 };

  constructor(
    private readonly weights: RnnLmWeights,
    private readonly engine: GemmEngine,
    private readonly kernels: TangentKernels,
    private readonly settings: SweepSettings,
    private readonly index: TokenIndex,
    private readonly sums: SumBuffers,
  ) {
    const L = settings.layer;
    if (!Number.isInteger(L) || L < 1 || L > weights.layers.length) {
      throw new Error(`layer ${L} does not exist (the model has ${weights.layers.length})`);
    }
    this.L = L;
    this.E = weights.embeddingDim;
    const layers = weights.layers.slice(0, L);
    this.cells = layers.map((l) => tangentCell(l.cell));
    if (settings.target === 'c' && !this.cells[L - 1].memory) {
      throw new Error(`target c needs an LSTM layer; layer ${L} is a ${layers[L - 1].cell}`);
    }
    this.H = layers.map((l) => l.units);
    this.K = layers.map((l, m) => (m === 0 ? l.units : l.inputSize + l.units));
    this.rc = layers.map((l, m) => (m === 0 ? 0 : l.inputSize));
    const space = engine.space;
    const put = (parts: Float32Array[]) => {
      const buf = space.f32(parts.reduce((n, p) => n + p.length, 0));
      let off = buf.base;
      for (const p of parts) {
        buf.array().set(p, off);
        off += p.length;
      }
      return buf;
    };
    this.stacked = layers.map((l, m) => (m === 0 ? put([l.recurrentKernel]) : put([l.kernel, l.recurrentKernel])));
    this.kernel1 = put([layers[0].kernel]);
    const Ht = this.H[L - 1];
    this.spb = settings.slotsPerBlock && settings.slotsPerBlock > 0 ? settings.slotsPerBlock : defaultSlotsPerBlock(Ht, this.E);
    if (sums.rows !== this.E || sums.cols !== Ht || sums.maxDelay !== settings.maxDelay) {
      throw new Error('accumulator shape does not match the sweep');
    }
  }

  dispose(): void {
    for (const b of this.stacked) this.engine.space.free(b);
    this.engine.space.free(this.kernel1);
  }

  /** Runs the sweep over one chunk, adding into the accumulator given at construction. */
  run(chunk: Chunk, hooks: SweepHooks = {}): void {
    const { E, L, H, K, rc, spb, engine, cells } = this;
    const space = engine.space;
    const { streams: S, length: T, tokens, sampleMask } = chunk;
    const D = this.settings.maxDelay;
    const R = D + 1;
    // on the wasm heap the forward's pre-activations go through the engine's GEMM too (see RecurrentForward)
    const fwd = new RecurrentForward(this.weights, L, S, space.heap ? engine : null);
    const owned: F32Buf[] = [];
    const alloc = (n: number) => {
      const b = space.f32(n);
      b.array().fill(0, b.base, b.base + n);
      owned.push(b);
      return b;
    };
    const dcRing = H.map((h, m) => (cells[m].memory ? alloc(S * R * E * h) : null));
    const coefs = H.map((h, m) => alloc(S * cells[m].coefRows * h));
    const dhKeep = this.settings.target === 'h' ? alloc(S * spb * E * H[L - 1]) : null;
    const freshRows = alloc(E * cells[0].width * H[0]);
    const freshTerm = cells[0].product ? Array.from({ length: S }, () => alloc(E * H[0])) : [];
    // per-stream FIFO: the ring slot of position p is b·R + (head[b] + p) % R
    const head = new Int32Array(S);
    const count = new Int32Array(S);
    const slotSource = new Int32Array(S * R);
    const slotGroup = new Int32Array(S * R);
    const slotToken = new Int32Array(S * R);
    const stepTokens = new Int32Array(S);
    const starts = (b: number, t: number) => sampleMask === null || sampleMask[b * T + t] !== 0;

    // GEMM inputs of one stream for one step: layer 1 holds `old` sources, higher layers
    // `old + fresh`; the recurrent part of a fresh source is zero.
    const allocate = (old: number, nFresh: number): GemmMatrix[][] =>
      H.map((h, m) => {
        const slots = m === 0 ? old : old + nFresh;
        const blocks: GemmMatrix[] = [];
        for (let p0 = 0; p0 < slots; p0 += spb) blocks.push(engine.matrix(Math.min(spb, slots - p0) * E, K[m]));
        for (let p = m === 0 ? slots : old; p < slots; p++) {
          const blk = Math.floor(p / spb);
          zeroRows(blocks[blk], h, E, (p - blk * spb) * E * K[m] + rc[m], K[m]);
        }
        return blocks;
      });
    const releaseInputs = (inputs: GemmMatrix[][]) => {
      for (const blocks of inputs) for (const b of blocks) engine.release(b);
    };
    const releaseWeights = (st: StreamStep) => {
      for (let m = 0; m < L; m++) {
        const w = st.weights[m];
        if (w) engine.release(w);
        st.weights[m] = null;
      }
    };

    const streams: StreamStep[] = [];
    for (let b = 0; b < S; b++) {
      streams.push({ fresh: false, expiring: 0, cur: allocate(0, starts(b, 0) ? 1 : 0), next: [], weights: H.map(() => null) });
    }
    const pending = new PendingSums(this.sums);
    const state: RunState = { R, head, count, slotSource, slotGroup, slotToken, streams, dcRing, coefs, dhKeep, freshRows, freshTerm, pending };
    try {
      for (let t = 0; t < T; t++) {
        hooks.cancel?.throwIfCancelled();
        const last = t === T - 1;
        let maxCount = 0;
        for (let b = 0; b < S; b++) {
          const st = streams[b];
          // 1. a new source joins the back of the stream's FIFO
          st.fresh = starts(b, t);
          if (st.fresh) {
            const r = b * R + ((head[b] + count[b]) % R);
            slotSource[r] = t;
            slotGroup[r] = groupOf(t, T, this.settings.groups);
            slotToken[r] = tokens[b * T + t];
            count[b]++;
          }
          // 2. who leaves after this step (the oldest) and next step's inputs
          let nExp = count[b];
          if (!last) {
            nExp = 0;
            while (nExp < count[b] && slotSource[b * R + ((head[b] + nExp) % R)] <= t - D) nExp++;
          }
          st.expiring = nExp;
          st.next = last ? [] : allocate(count[b] - nExp, starts(b, t + 1) ? 1 : 0);
          stepTokens[b] = tokens[b * T + t];
          maxCount = Math.max(maxCount, count[b]);
        }
        // 3. forward state at step t; its coefficients folded into each stream's M
        fwd.step(stepTokens);
        for (let m = 0; m < L; m++) {
          const c = coefs[m];
          c.array().set(fwd.coef[m], c.base);
        }
        for (let b = 0; b < S; b++) {
          const st = streams[b];
          const nOld = count[b] - (st.fresh ? 1 : 0);
          for (let m = 0; m < L; m++) {
            const old = count[b] > 0 && (m > 0 || nOld > 0);
            const term = m === 0 && st.fresh && cells[0].product ? freshTerm[b] : null;
            if (old) st.weights[m] = engine.matrix(K[m], cells[m].width * H[m]);
            if (old || term) this.fold(b, m, st.weights[m], term, coefs[m]);
          }
        }
        // 4. blocks of sources, position-major across streams; then the block's additions,
        // where all streams' sources of one delay go into their accumulator in one pass
        for (let p0 = 0, j = 0; p0 < maxCount; p0 += spb, j++) {
          for (let b = 0; b < S; b++) {
            if (p0 < count[b]) this.block(state, b, j, p0, t, last);
          }
          pending.flush(this.kernels);
        }
        // 5. retire this step's inputs and weights, and the expired sources
        for (let b = 0; b < S; b++) {
          const st = streams[b];
          releaseWeights(st);
          releaseInputs(st.cur);
          st.cur = st.next;
          st.next = [];
          head[b] = (head[b] + st.expiring) % R;
          count[b] -= st.expiring;
        }
        this.stats.positions += S;
        hooks.onStep?.(S);
      }
    } finally {
      for (const st of streams) {
        releaseWeights(st);
        releaseInputs(st.cur);
        releaseInputs(st.next);
      }
      for (const b of owned) space.free(b);
      fwd.dispose();
    }
  }

  /**
   * Stream b's M of layer m into `w`. gru-classic first forms its product term
   * Y = ([W;U]_r·diag(q))·(U_h·diag(cx)); at layer 1 with a new source its first E rows
   * belong to W¹ and are kept in `term` for that source's fold.
   */
  private fold(b: number, m: number, w: GemmMatrix | null, term: F32Buf | null, coef: F32Buf): void {
    const { E, H, K, rc, cells, kernels, engine, stacked, kernel1 } = this;
    const { cell, coefRows, product } = cells[m];
    const Hm = H[m];
    const coefOff = b * coefRows * Hm;
    if (!product) {
      if (w) kernels.fold(cell, stacked[m], K[m], rc[m], Hm, coef, coefOff, w, null, 0);
      return;
    }
    const top = term ? E : 0;
    const A = engine.matrix(top + K[m], Hm);
    const P = engine.matrix(Hm, Hm);
    try {
      if (term) kernels.classicFactors(kernel1, E, E, Hm, coef, coefOff, A, 0, null);
      kernels.classicFactors(stacked[m], K[m], rc[m], Hm, coef, coefOff, A, top * Hm, P);
      const Y = engine.multiply(A, P);
      this.stats.gemmFlops += 2 * (top + K[m]) * Hm * Hm;
      if (w) kernels.fold(cell, stacked[m], K[m], rc[m], Hm, coef, coefOff, w, Y, top * Hm);
      if (term) term.array().set(Y.array().subarray(Y.base, Y.base + E * Hm), term.base);
    } finally {
      engine.releaseOutput();
      engine.release(A);
      engine.release(P);
    }
  }

  /** One block of one stream's sources: every layer's GEMM and fused kernel, then accumulation. */
  private block(state: RunState, b: number, j: number, p0: number, t: number, last: boolean): void {
    const { E, L, H, K, rc, spb, engine, kernels, cells } = this;
    const { R, slotSource, slotGroup, slotToken, dcRing, coefs, dhKeep, freshRows, freshTerm, pending } = state;
    const { offsets, members, word } = this.index;
    const targetC = this.settings.target === 'c';
    const st = state.streams[b];
    const n = state.count[b];
    const head = state.head[b];
    const p1 = Math.min(p0 + spb, n);
    const nOld = n - (st.fresh ? 1 : 0);
    for (let m = 0; m < L; m++) {
      const Hm = H[m];
      const cell = cells[m];
      const width = cell.width * Hm;
      const end = m === 0 ? Math.min(p1, nOld) : p1;
      const g = end > p0 ? engine.multiply(st.cur[m][j], st.weights[m] as GemmMatrix) : null;
      if (g) this.stats.gemmFlops += 2 * (end - p0) * E * width * K[m];
      for (let p = p0; p < p1; p++) {
        const r = b * R + ((head + p) % R);
        const s = slotSource[r];
        const fresh = s === t;
        const useFresh = m === 0 && fresh;
        if (useFresh) {
          kernels.fold(cell.cell, this.kernel1, E, E, Hm, coefs[0], b * cell.coefRows * Hm, freshRows, cell.product ? freshTerm[b] : null, 0);
        }
        // dh goes to next step's row of this layer (if the source survives) and to this
        // step's input of the layer above
        let o1: F32Buf | null = null;
        let o1Off = 0;
        if (p >= st.expiring && !last) {
          const q = p - st.expiring;
          const blk = Math.floor(q / spb);
          o1 = st.next[m][blk];
          o1Off = (q - blk * spb) * E * K[m] + rc[m];
        }
        const up = m < L - 1;
        // only the target layer's dh for target h is read after the step (by the flush)
        const keepOff = ((b * spb + (p - p0)) * E) * Hm;
        const keep = !up && !targetC ? dhKeep : null;
        this.stats.flushed += kernels.advance(
          Hm,
          E,
          useFresh ? freshRows : (g as F32Buf),
          useFresh ? 0 : (p - p0) * E * width,
          dcRing[m],
          r * E * Hm,
          fresh,
          coefs[m],
          b * cell.coefRows * Hm,
          keep,
          keepOff,
          o1,
          o1Off,
          K[m],
          up ? st.cur[m + 1][j] : null,
          (p - p0) * E * (up ? K[m + 1] : 0),
          up ? K[m + 1] : 0,
        );
        this.stats.flops += 2 * E * cell.gates * Hm * (m === 0 ? (fresh ? 0 : Hm) : rc[m] + (fresh ? 0 : Hm));
        if (!up) {
          const tok = slotToken[r];
          pending.add(targetC ? (dcRing[m] as F32Buf) : (dhKeep as F32Buf), targetC ? r * E * Hm : keepOff, t - s, slotGroup[r],
            members, offsets[tok], offsets[tok + 1], word[tok]);
          this.stats.pairs++;
        }
      }
      engine.releaseOutput();
    }
  }
}
