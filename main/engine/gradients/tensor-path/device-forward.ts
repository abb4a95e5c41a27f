// The forward state of the tensor path on the device: RecurrentForward (cell-forward.ts) as
// tensor ops, so a step of the sweep enqueues its work without waiting for the device. The
// layers' stacked weights P, biases and (gru-classic) U_h are uploaded once (planOf, the same
// layout as the kernel path's forward); h and c of every stream stay on the device, and each
// step returns every layer's tangent coefficients [S, coefRows, H] (tangent-cells.ts) as
// tensors. The only upload per step is the [S, E] rows of the steps' tokens. Float32 throughout,
// where the kernel path computes the gates in float64 from float32 products: the sums differ
// by float32 rounding only (tensor-path.test.ts).
import * as tf from '@tensorflow/tfjs';
import type { RnnLmWeights } from '../../model/rnn-weights';
import { planOf, type LayerPlan } from '../cell-forward';
import { CLASSIC_COEF, GRU_COEF, LSTM_COEF, RNN_COEF, tangentCell } from '../tangent-cells';

interface DeviceLayerPlan {
  plan: LayerPlan;
  P: tf.Tensor2D;
  bias: tf.Tensor1D;
  Uh: tf.Tensor2D | null;
}

export class DeviceForward {
  private readonly layers: DeviceLayerPlan[];
  /** h and (LSTM) c per layer, [S, H] */
  private h: tf.Tensor2D[];
  private c: (tf.Tensor2D | null)[];

  constructor(
    private readonly weights: RnnLmWeights,
    depth: number,
    private readonly streams: number,
  ) {
    this.layers = weights.layers.slice(0, depth).map((l) => {
      const plan = planOf(l);
      return {
        plan,
        P: tf.tensor2d(plan.P, [plan.inSize + plan.H, plan.PW]),
        bias: tf.tensor1d(Float32Array.from(plan.bias)),
        Uh: plan.Uh ? tf.tensor2d(plan.Uh, [plan.H, plan.H]) : null,
      };
    });
    this.h = this.layers.map((l) => tf.zeros([streams, l.plan.H]));
    this.c = this.layers.map((l) => (l.plan.cell === 'lstm' ? tf.zeros([streams, l.plan.H]) : null));
  }

  /**
   * Advances every stream by one token (tokens[b] is stream b's) and returns each layer's
   * coefficients of this step, [S, coefRows, H_m]: the caller disposes them.
   */
  step(tokens: ArrayLike<number>): tf.Tensor3D[] {
    const { embedding, embeddingDim: E } = this.weights;
    // a new array each step: a backend may keep the array it was given (tfjs cpu does)
    const rows = new Float32Array(this.streams * E);
    for (let b = 0; b < this.streams; b++) rows.set(embedding.subarray(tokens[b] * E, tokens[b] * E + E), b * E);
    const coefs: tf.Tensor3D[] = [];
    const h: tf.Tensor2D[] = [];
    const c: (tf.Tensor2D | null)[] = [];
    tf.tidy(() => {
      let x: tf.Tensor2D = tf.tensor2d(rows, [this.streams, E]);
      for (let m = 0; m < this.layers.length; m++) {
        const s = cellStep(this.layers[m], x, this.h[m], this.c[m]);
        h.push(tf.keep(s.h));
        c.push(s.c && tf.keep(s.c));
        coefs.push(tf.keep(s.coef));
        x = s.h;
      }
    });
    for (const t of this.h) t.dispose();
    for (const t of this.c) t?.dispose();
    this.h = h;
    this.c = c;
    return coefs;
  }

  dispose(): void {
    for (const l of this.layers) for (const t of [l.P, l.bias, l.Uh]) t?.dispose();
    for (const t of this.h) t.dispose();
    for (const t of this.c) t?.dispose();
  }
}

interface CellOut {
  h: tf.Tensor2D;
  c: tf.Tensor2D | null;
  coef: tf.Tensor3D;
}

/** One layer's step (inside a tidy): pre-activations [x | h]·P + bias, then the cell's gates, as cell-forward.ts computes them. */
function cellStep(l: DeviceLayerPlan, x: tf.Tensor2D, hPrev: tf.Tensor2D, cPrev: tf.Tensor2D | null): CellOut {
  const { cell, H, hard } = l.plan;
  const z = tf.matMul(tf.concat([x, hPrev], 1), l.P).add(l.bias) as tf.Tensor2D;
  const block = (k: number) => z.slice([0, k * H], [-1, H]);
  const act = (pre: tf.Tensor2D) => (hard ? tf.clipByValue(pre.mul(0.2).add(0.5), 0, 1) : tf.sigmoid(pre)) as tf.Tensor2D;
  // σ'(pre) given y = σ(pre); the hard sigmoid's as tfjs autodiff has it (0.2 where 0 ≤ 0.2·pre + 0.5 ≤ 1)
  const actD = (pre: tf.Tensor2D, y: tf.Tensor2D) => {
    if (!hard) return y.mul(tf.scalar(1).sub(y)) as tf.Tensor2D;
    const u = pre.mul(0.2).add(0.5);
    return tf.logicalAnd(u.greaterEqual(0), u.lessEqual(1)).cast('float32').mul(0.2) as tf.Tensor2D;
  };
  const oneMinus = (t: tf.Tensor2D) => tf.scalar(1).sub(t) as tf.Tensor2D;
  const rows = new Array<tf.Tensor2D>(tangentCell(cell).coefRows);
  const coefOf = () => tf.stack(rows, 1) as tf.Tensor3D;
  if (cell === 'lstm') {
    const [zi, zf, zg, zo] = [0, 1, 2, 3].map(block);
    const ig = act(zi);
    const fg = act(zf);
    const gg = tf.tanh(zg);
    const og = act(zo);
    const cNew = fg.mul(cPrev as tf.Tensor2D).add(ig.mul(gg)) as tf.Tensor2D;
    const tc = tf.tanh(cNew);
    rows[LSTM_COEF.f] = fg;
    rows[LSTM_COEF.ai] = gg.mul(actD(zi, ig));
    rows[LSTM_COEF.af] = (cPrev as tf.Tensor2D).mul(actD(zf, fg));
    rows[LSTM_COEF.ag] = ig.mul(oneMinus(gg.square()));
    rows[LSTM_COEF.ao] = tc.mul(actD(zo, og));
    rows[LSTM_COEF.q] = og.mul(oneMinus(tc.square()));
    return { h: og.mul(tc), c: cNew, coef: coefOf() };
  }
  if (cell === 'gru' || cell === 'gru-classic') {
    const zz = act(block(0));
    const rr = act(block(1));
    // gru: r multiplies h·U_h + b'_h (its own block); gru-classic: ĥ from (r⊙h)·U_h
    const hn = cell === 'gru' ? block(3) : null;
    const hh = tf.tanh(hn ? block(2).add(rr.mul(hn)) : block(2).add(tf.matMul(rr.mul(hPrev), l.Uh as tf.Tensor2D))) as tf.Tensor2D;
    const cx = oneMinus(zz).mul(oneMinus(hh.square())) as tf.Tensor2D;
    const cz = hPrev.sub(hh).mul(actD(block(0), zz)) as tf.Tensor2D;
    if (hn) {
      rows[GRU_COEF.cz] = cz;
      rows[GRU_COEF.cr] = cx.mul(hn).mul(actD(block(1), rr));
      rows[GRU_COEF.cx] = cx;
      rows[GRU_COEF.ch] = cx.mul(rr);
      rows[GRU_COEF.z] = zz;
    } else {
      rows[CLASSIC_COEF.cz] = cz;
      rows[CLASSIC_COEF.cx] = cx;
      rows[CLASSIC_COEF.q] = actD(block(1), rr).mul(hPrev);
      rows[CLASSIC_COEF.r] = rr;
      rows[CLASSIC_COEF.z] = zz;
    }
    return { h: zz.mul(hPrev).add(oneMinus(zz).mul(hh)) as tf.Tensor2D, c: null, coef: coefOf() };
  }
  const pre = block(0);
  if (cell === 'rnn-relu') {
    rows[RNN_COEF.a] = pre.greater(0).cast('float32') as tf.Tensor2D;
    return { h: tf.relu(pre), c: null, coef: coefOf() };
  }
  const y = tf.tanh(pre);
  rows[RNN_COEF.a] = oneMinus(y.square());
  return { h: y, c: null, coef: coefOf() };
}
