// The forward-tangent sweep of DESIGN §4 as tensor ops, for a backend whose strength is big
// batched products (a GPU through tfjs-node-gpu). Everything the sweep keeps stays on the
// device: the folded weights, the tangents of every slot of every stream ([S, R, E, H] per
// layer, plus dc for LSTM layers) and the accumulators (device-sums.ts). One step is, per
// layer, one batched matMul of all slots' stacked inputs [dh^{m-1}_t | dh^m_{t-1}] with the
// streams' folded M (device-cells.ts), a few elementwise ops (the same advance as
// tangent-step.ts), and scatter-adds into the accumulators. The forward state and its gates
// run on the device as well (device-forward.ts), and the host keeps the bookkeeping of slots,
// delays, groups and counts: a step uploads a few small tensors and reads nothing back, so
// the device waits for the host only when a group window's sums are read (device-sums.ts).
//
// Differences from the kernel path, none of which changes a sum beyond float32 rounding:
// empty slots go through the product as zeros (fixed shapes), the accumulators add in float32
// between read-backs (device-sums.ts), and values below FLUSH_BELOW are not flushed (the
// kernel path flushes them so the CPU never meets denormals; a GPU flushes them itself), so
// `flushed` stays 0.
import * as tf from '@tensorflow/tfjs';
import type { RnnLmWeights } from '../../model/rnn-weights';
import type { Chunk, SweepHooks, SweepSettings, SweepStats } from '../chunk-sweep';
import type { GradientSums } from '../accumulator';
import type { TokenIndex } from '../class-index';
import { disposeLayer, foldLayer, foldRows, uploadLayer, type DeviceLayer } from './device-cells';
import { DeviceSums, deviceSumsShape } from './device-sums';
import { DeviceForward } from './device-forward';
import { SlotSchedule } from './slot-schedule';
import { LSTM_COEF } from '../tangent-cells';

export interface TensorSweepStats extends SweepStats {
  /** seconds spent waiting for read-backs of the accumulators */
  readBackSeconds: number;
}

export class TensorSweep {
  private readonly L: number;
  private readonly E: number;
  private readonly layers: DeviceLayer[];
  readonly stats: TensorSweepStats = { flops: 0, gemmFlops: 0, flushed: 0, pairs: 0, positions: 0, readBackSeconds: 0 };

  constructor(
    private readonly weights: RnnLmWeights,
    private readonly settings: SweepSettings,
    private readonly index: TokenIndex,
    /** float64 sums in the sweep's [E, H] block layout (accumulator.ts), added into */
    private readonly sums: GradientSums,
  ) {
    this.L = settings.layer;
    this.E = weights.embeddingDim;
    const layers = weights.layers.slice(0, this.L);
    if (settings.target === 'c' && layers[this.L - 1].cell !== 'lstm') throw new Error(`target c needs an LSTM layer; layer ${this.L} is a ${layers[this.L - 1].cell}`);
    const Ht = layers[this.L - 1].units;
    if (sums.rows !== this.E || sums.cols !== Ht || sums.maxDelay !== settings.maxDelay) throw new Error('accumulator shape does not match the sweep');
    this.layers = layers.map((l, m) => uploadLayer(l, m === 0));
  }

  dispose(): void {
    for (const l of this.layers) disposeLayer(l);
  }

  /** Sweeps one chunk of streams, adding into the sums given at construction. */
  run(chunk: Chunk, hooks: SweepHooks = {}): void {
    const { E, L, layers, settings } = this;
    const { streams: S, length: T, tokens, sampleMask } = chunk;
    const D = settings.maxDelay;
    const starts = (b: number, t: number) => sampleMask === null || sampleMask[b * T + t] !== 0;
    const schedule = new SlotSchedule(S, T, D, starts);
    const R = schedule.slots;
    const Ht = layers[L - 1].H;
    const acc = new DeviceSums(deviceSumsShape(this.sums, T), this.index, this.sums);
    // the forward state on the device too, its weights uploaded once (device-forward.ts)
    const fwd = new DeviceForward(this.weights, L, S);
    // per layer: dh [S, R, E, H] and (LSTM) dc, all zero at the start of the streams
    let dh: tf.Tensor4D[] = layers.map((l) => tf.zeros([S, R, E, l.H]));
    let dc: (tf.Tensor4D | null)[] = layers.map((l) => (l.cell.memory ? tf.zeros([S, R, E, l.H]) : null));
    const stepTokens = new Int32Array(S);
    // this step's coefficients from the forward (disposed after the step, or in finally)
    let coefs: tf.Tensor3D[] = [];
    try {
      for (let t = 0; t < T; t++) {
        hooks.cancel?.throwIfCancelled();
        for (let b = 0; b < S; b++) stepTokens[b] = tokens[b * T + t];
        coefs = fwd.step(stepTokens);
        const plan = schedule.step(t);
        if (plan.live.length === 0) for (const x of coefs) x.dispose();
        else {
          const next = tf.tidy((): { outH: tf.Tensor4D[]; outC: tf.Tensor4D[] } => {
            const carry = tf.tensor4d(plan.carry, [S, R, 1, 1]);
            const fresh = plan.freshCount > 0 ? tf.tensor4d(plan.fresh, [S, R, 1, 1]) : null;
            const outH: tf.Tensor4D[] = [];
            const outC: tf.Tensor4D[] = [];
            for (let m = 0; m < L; m++) {
              const l = layers[m];
              const H = l.H;
              const coef = coefs[m];
              const prev = dh[m].mul(carry);
              const input = m === 0 ? prev : tf.concat([outH[m - 1], prev], 3);
              const K = input.shape[3] as number;
              // per column block (the LSTM's c and o, else h): the product of all slots, plus a new source's fold(W¹)
              const w1 = m === 0 && fresh ? foldRows(l, l.fresh as tf.Tensor3D, false, coef) : null;
              const g = foldLayer(l, coef).map((M, i) => {
                const out = tf.matMul(input.reshape([S, R * E, K]), M).reshape([S, R, E, H]) as tf.Tensor4D;
                return w1 && fresh ? (out.add(fresh.mul((w1[i] as tf.Tensor3D).reshape([S, 1, E, H]))) as tf.Tensor4D) : out;
              });
              if (l.cell.memory) {
                const f = coefRow4(coef, LSTM_COEF.f);
                const q = coefRow4(coef, LSTM_COEF.q);
                // carry·f is [S, R, 1, H]: one pass over the tangents keeps and scales them
                const c = (dc[m] as tf.Tensor4D).mul(carry.mul(f)).add(g[0]) as tf.Tensor4D;
                outC.push(c);
                outH.push(g[1].add(q.mul(c)) as tf.Tensor4D);
              } else {
                outH.push(g[0]);
              }
            }
            return { outH, outC };
          });
          for (const x of coefs) x.dispose();
          for (const x of dh) x.dispose();
          for (const x of dc) x?.dispose();
          dh = next.outH;
          // dc of the LSTM layers in layer order
          let ci = 0;
          dc = layers.map((l) => (l.cell.memory ? next.outC[ci++] : null));
          const target = settings.target === 'c' ? (dc[L - 1] as tf.Tensor4D) : dh[L - 1];
          const y = target.reshape([S * R, E * Ht]) as tf.Tensor2D;
          acc.add(t, y, plan.live, plan.liveSource, plan.live.map((i, j) => tokens[Math.floor(i / R) * T + plan.liveSource[j]]));
          y.dispose();
          this.count(S, plan.live.length, plan.freshCount, S * R);
        }
        acc.checkpoint(t);
        this.stats.positions += S;
        hooks.onStep?.(S);
      }
    } finally {
      for (const x of coefs) x.dispose();
      for (const x of dh) x.dispose();
      for (const x of dc) x?.dispose();
      this.stats.readBackSeconds += acc.readBackSeconds;
      acc.dispose();
      fwd.dispose();
    }
  }

  /** Nominal flops as the kernel path counts them (chunk-sweep.ts), and the products actually run on all slots. */
  private count(S: number, live: number, fresh: number, slots: number): void {
    const { E, layers } = this;
    const old = live - fresh;
    for (let m = 0; m < layers.length; m++) {
      const { H, cell, input } = layers[m];
      const inRows = input ? input.shape[0] : 0;
      this.stats.flops += 2 * E * cell.gates * H * (old * (inRows + H) + fresh * inRows);
      this.stats.gemmFlops += 2 * slots * E * (inRows + H) * cell.width * H;
      // gru-classic's product term in every stream's fold (and in layer 1's fold of W¹ for new sources)
      if (cell.product) this.stats.gemmFlops += 2 * S * (inRows + H + (m === 0 && fresh > 0 ? E : 0)) * H * H;
    }
    this.stats.pairs += live;
  }
}

/** Coefficient row `row` of [S, rows, H] as [S, 1, 1, H] (one scale per unit, the same for every slot and input column). */
function coefRow4(coef: tf.Tensor3D, row: number): tf.Tensor4D {
  const [S, , H] = coef.shape;
  return coef.slice([0, row, 0], [S, 1, H]).reshape([S, 1, 1, H]);
}
