// Plot (f): the vocabulary words whose embeddings are best aligned (largest |cos|) with the
// leading right singular vectors v_1..v_k of Ḡ_τ, on each side of the direction.
import type { RunRecord } from '../../../../shared/schemas/run';
import { toCsv } from './csv';

export interface AlignedWordRow {
  word: string;
  cos: number;
}

export interface AlignedPanel {
  k: number;
  /** σ_k at this delay, when the summary kept it */
  sigma: number | null;
  positive: AlignedWordRow[];
  negative: AlignedWordRow[];
}

export function alignedPanels(record: RunRecord, tau: number, directions = 5, perSide = 8): AlignedPanel[] {
  const d = record.summary.delays.find((x) => x.tau === tau);
  if (!d) return [];
  return d.aligned
    .filter((a) => a.k <= directions)
    .sort((a, b) => a.k - b.k)
    .map((a) => ({
      k: a.k,
      sigma: d.topSigma[a.k - 1] ?? null,
      positive: [...a.positive].sort((x, y) => y.cos - x.cos).slice(0, perSide).map(({ word, cos }) => ({ word, cos })),
      negative: [...a.negative].sort((x, y) => x.cos - y.cos).slice(0, perSide).map(({ word, cos }) => ({ word, cos })),
    }));
}

/** The largest |cos| shown, for a symmetric axis shared by the panels. */
export function alignedExtent(panels: readonly AlignedPanel[]): number {
  let m = 0;
  for (const p of panels) for (const w of [...p.positive, ...p.negative]) m = Math.max(m, Math.abs(w.cos));
  return m > 0 ? m : 1;
}

export function alignedToCsv(panels: readonly AlignedPanel[], tau: number): string {
  const rows: (string | number | null)[][] = [];
  for (const p of panels) {
    p.positive.forEach((w, i) => rows.push([tau, p.k, p.sigma, 'positive', i + 1, w.word, w.cos]));
    p.negative.forEach((w, i) => rows.push([tau, p.k, p.sigma, 'negative', i + 1, w.word, w.cos]));
  }
  return toCsv(['delay', 'k', 'sigma_k', 'side', 'rank', 'word', 'cos'], rows);
}
