// What the sweep needs to know about a layer's cell (DESIGN §4 for the LSTM; the GRU and RNN
// forms below). Every cell is advanced the same way: per stream and step its coefficients are
// folded into M, the live tangents' stacked inputs [dx | dh_prev] times M give the GEMM
// output, and a fused elementwise pass (`advance`) turns that into the new tangents.
//
//   lstm         M = [fold_c | fold_o], width 2H; advance keeps dc (see tangent-step.ts).
//   gru          (reset after: ĥ = tanh(xW_h + b_h + r⊙(hU_h + b'_h))), with hn = hU_h + b'_h,
//                cz = (h−ĥ)σ'(z), cx = (1−z)tanh'(ĥ), cr = cx·hn·σ'(r), ch = cx·r:
//                input rows W_z·cz + W_r·cr + W_h·cx, recurrent rows U_z·cz + U_r·cr + U_h·ch + diag(z).
//   gru-classic  (ĥ = tanh(xW_h + (r⊙h)U_h + b_h)), with q = σ'(r)⊙h_prev:
//                M = [W_z;U_z]·cz + [W_h; diag(r)U_h]·cx + ([W_r;U_r]·diag(q))·(U_h·diag(cx)) + [0; diag(z)],
//                the third term one small [K,H]·[H,H] GEMM per stream and step (`product`).
//   rnn-*        M = [W; U]·diag(φ'(pre)).
// For the GRUs and RNNs M has width H and gives dh directly: advance only flushes and copies.
import type { Cell } from '../model/rnn-weights';
import { gateCount, hasCellState } from '../model/rnn-weights';

/** LSTM coefficient rows (each H long, per stream and layer), in this order. */
export const LSTM_COEF = { f: 0, ai: 1, af: 2, ag: 3, ao: 4, q: 5 } as const;
/** 'gru' coefficient rows. */
export const GRU_COEF = { cz: 0, cr: 1, cx: 2, ch: 3, z: 4 } as const;
/** 'gru-classic' coefficient rows (r and z are the gates themselves). */
export const CLASSIC_COEF = { cz: 0, cx: 1, q: 2, r: 3, z: 4 } as const;
/** RNN coefficient row: φ'(pre). */
export const RNN_COEF = { a: 0 } as const;

export interface TangentCell {
  readonly cell: Cell;
  /** G: gate blocks of the kernels ([in, G·H]) */
  readonly gates: number;
  /** M's width in units of H (the GEMM output per tangent row) */
  readonly width: 1 | 2;
  /** coefficient rows per stream */
  readonly coefRows: number;
  /** keeps a memory-cell tangent dc besides dh (the LSTM) */
  readonly memory: boolean;
  /** needs the [K,H]·[H,H] product term (gru-classic) */
  readonly product: boolean;
}

const COEF_ROWS: Record<Cell, number> = { lstm: 6, gru: 5, 'gru-classic': 5, 'rnn-tanh': 1, 'rnn-relu': 1 };

export function tangentCell(cell: Cell): TangentCell {
  return {
    cell,
    gates: gateCount(cell),
    width: cell === 'lstm' ? 2 : 1,
    coefRows: COEF_ROWS[cell],
    memory: hasCellState(cell),
    product: cell === 'gru-classic',
  };
}
