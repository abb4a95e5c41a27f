// Per-delay memory of one property in one Ḡ stack (DESIGN §3): σ₁, r = ‖Ḡ_τ d̂‖, m = r/σ₁
// and cos(d, H_5). The benchmark looks at two stacks: Ḡ over all sources (what a run
// reports by default) and Ḡ^marker over marker sources only (what the state keeps of a marker).
import { type DelayStack, delayMatrix, finiteOrNull, propertyMemory, spectrumOf } from '../analysis';

export interface ProfileRow {
  tau: number;
  sigma1: number;
  /** r = ‖Ḡ_τ d̂‖ */
  r: number;
  /** m = r/σ₁; null when σ₁ = 0 */
  m: number | null;
  /** cos(d, H_5) = ‖V_5ᵀ d̂‖ */
  cos5: number;
}

export function memoryProfile(G: DelayStack, unit: ArrayLike<number>): ProfileRow[] {
  const rows: ProfileRow[] = [];
  for (let tau = 0; tau < G.delays; tau++) {
    const g = delayMatrix(G, tau);
    const s = spectrumOf(g, { vectors: 5, left: false });
    const pm = propertyMemory(g, s, unit, 5);
    rows.push({ tau, sigma1: s.sigma1, r: pm.r, m: finiteOrNull(pm.m), cos5: pm.cos[pm.cos.length - 1] ?? 0 });
  }
  return rows;
}
