// The folded right-hand sides M of tangent-cells.ts as tensor ops: per stream and step the
// cell's coefficients scale the columns of the stacked weights (and the GRUs add their
// diagonal and product terms), for all streams at once, [S, K, width·H]. Same formulas as
// the kernel path's folds (tangent-step.ts), so both paths compute the same products.
import * as tf from '@tensorflow/tfjs';
import type { Cell, RecurrentLayerWeights } from '../../model/rnn-weights';
import { CLASSIC_COEF, GRU_COEF, LSTM_COEF, RNN_COEF, tangentCell, type TangentCell } from '../tangent-cells';

/** One layer's weights on the device, split by gate block: rows of the input kernel and of the recurrent kernel. */
export interface DeviceLayer {
  cell: TangentCell;
  H: number;
  /** [in, G, H] (null for layer 1: its input rows only start new sources, see `fresh`) */
  input: tf.Tensor3D | null;
  /** [H, G, H] */
  recurrent: tf.Tensor3D;
  /** layer 1's input kernel W¹ [E, G, H] */
  fresh: tf.Tensor3D | null;
  /** [1, H, H] identity (GRUs: diag(z) on the recurrent rows) */
  eye: tf.Tensor3D | null;
}

export function uploadLayer(l: RecurrentLayerWeights, first: boolean): DeviceLayer {
  const cell = tangentCell(l.cell);
  const G = cell.gates;
  const H = l.units;
  const kernel = tf.tensor3d(l.kernel, [l.inputSize, G, H]);
  return {
    cell,
    H,
    input: first ? null : kernel,
    recurrent: tf.tensor3d(l.recurrentKernel, [H, G, H]),
    fresh: first ? kernel : null,
    eye: cell.cell === 'gru' || cell.cell === 'gru-classic' ? tf.tidy(() => tf.eye(H).reshape<tf.Tensor3D>([1, H, H])) : null,
  };
}

export function disposeLayer(d: DeviceLayer): void {
  for (const t of [d.input, d.recurrent, d.fresh, d.eye]) t?.dispose();
}

/** Coefficient row `row` of [S, rows, H] as [S, 1, H] (a column scale for every stream). */
function coefRow(coef: tf.Tensor3D, row: number): tf.Tensor3D {
  const [S, , H] = coef.shape;
  return coef.slice([0, row, 0], [S, 1, H]);
}

/** Gate block `g` of [K, G, H] as [1, K, H]. */
function gate(P: tf.Tensor3D, g: number): tf.Tensor3D {
  const [K, , H] = P.shape;
  return P.slice([0, g, 0], [K, 1, H]).reshape([1, K, H]);
}

/**
 * M for the rows of P ([K, G, H]) and every stream, as its `width` column blocks of [S, K, H]
 * (the LSTM's c and o blocks are kept apart: two products instead of one and two slices).
 * `recurrent` says the rows are rows of U (the GRUs give them their own terms and diag(z));
 * `coef` is [S, coefRows, H].
 */
export function foldRows(layer: DeviceLayer, P: tf.Tensor3D, recurrent: boolean, coef: tf.Tensor3D): tf.Tensor3D[] {
  return tf.tidy(() => FOLDS[layer.cell.cell](layer, P, recurrent, coef));
}

type Fold = (layer: DeviceLayer, P: tf.Tensor3D, recurrent: boolean, coef: tf.Tensor3D) => tf.Tensor3D[];

const foldLstm: Fold = (_l, P, _rec, C) => {
  const c = gate(P, 0)
    .mul(coefRow(C, LSTM_COEF.ai))
    .add(gate(P, 1).mul(coefRow(C, LSTM_COEF.af)))
    .add(gate(P, 2).mul(coefRow(C, LSTM_COEF.ag)));
  const o = gate(P, 3).mul(coefRow(C, LSTM_COEF.ao));
  return [c as tf.Tensor3D, o as tf.Tensor3D];
};

const diagZ = (l: DeviceLayer, C: tf.Tensor3D, zRow: number): tf.Tensor3D => (l.eye as tf.Tensor3D).mul(coefRow(C, zRow));

const foldGru: Fold = (l, P, rec, C) => {
  const m = gate(P, 0)
    .mul(coefRow(C, GRU_COEF.cz))
    .add(gate(P, 1).mul(coefRow(C, GRU_COEF.cr)))
    .add(gate(P, 2).mul(coefRow(C, rec ? GRU_COEF.ch : GRU_COEF.cx)));
  return [(rec ? m.add(diagZ(l, C, GRU_COEF.z)) : m) as tf.Tensor3D];
};

/**
 * gru-classic: [W_z;U_z]·cz + [W_h; diag(r)U_h]·cx + ([W_r;U_r]·diag(q))·(U_h·diag(cx)) + [0; diag(z)],
 * the product term one batched [S, K, H]·[S, H, H] matMul.
 */
const foldClassic: Fold = (l, P, rec, C) => {
  const [S, , H] = C.shape;
  const cx = coefRow(C, CLASSIC_COEF.cx);
  const uh = gate(l.recurrent, 2); // [1, H, H]
  const product = tf.matMul(gate(P, 1).mul(coefRow(C, CLASSIC_COEF.q)) as tf.Tensor3D, uh.mul(cx) as tf.Tensor3D);
  let h = gate(P, 2).mul(cx);
  if (rec) h = h.mul(coefRow(C, CLASSIC_COEF.r).reshape([S, H, 1])); // row i of U_h scaled by r_i
  const m = gate(P, 0).mul(coefRow(C, CLASSIC_COEF.cz)).add(h).add(product);
  return [(rec ? m.add(diagZ(l, C, CLASSIC_COEF.z)) : m) as tf.Tensor3D];
};

const foldRnn: Fold = (_l, P, _rec, C) => [gate(P, 0).mul(coefRow(C, RNN_COEF.a)) as tf.Tensor3D];

const FOLDS: Record<Cell, Fold> = { lstm: foldLstm, gru: foldGru, 'gru-classic': foldClassic, 'rnn-tanh': foldRnn, 'rnn-relu': foldRnn };

/** Layer m's whole M, blocks of [S, K_m, H]: its input rows (layers above the first) over its recurrent rows. */
export function foldLayer(layer: DeviceLayer, coef: tf.Tensor3D): tf.Tensor3D[] {
  return tf.tidy(() => {
    const rec = foldRows(layer, layer.recurrent, true, coef);
    if (!layer.input) return rec;
    const inp = foldRows(layer, layer.input, false, coef);
    return rec.map((r, i) => tf.concat([inp[i], r], 1));
  });
}
