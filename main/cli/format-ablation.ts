// The text of `mnemoscope ablate`: one line per delay τ with Δ(τ), its SE and pairs, and the
// truncation curve T(k) at k = τ + 1, then the baseline and the work done. Run ids come from
// users: control characters are escaped.
import type { AblationCurve, AblationRecord } from '../../shared/schemas/ablation';
import { escapeControl } from './format-findings';

const num = (x: number | null | undefined, digits = 4) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits));

/** The first τ where the curve (negative values as 0) falls below `fraction` of its maximum, or null. */
export function fallsBelow(curve: AblationCurve, fraction = 0.1): number | null {
  const c = curve.mean.map((v) => Math.max(0, v ?? 0));
  const max = Math.max(0, ...c);
  if (max === 0) return null;
  const i = c.findIndex((v) => v < fraction * max);
  return i < 0 ? null : i;
}

export function formatAblation(r: AblationRecord): string {
  const lines = [
    escapeControl(`Context ablation '${r.id}': model '${r.model}', ${r.corpus}/${r.split}, mode ${r.config.mode}, ${r.counts.streams} streams × ${r.counts.length} steps`),
    '   τ      Δ(τ)        SE     pairs   T(k=τ+1)',
  ];
  for (let t = 0; t < r.delta.mean.length; t++) {
    lines.push(
      `${String(t).padStart(4)}  ${num(r.delta.mean[t]).padStart(9)}  ${num(r.delta.se[t]?.se ?? null).padStart(8)}  ${String(r.delta.pairs[t]).padStart(8)}  ${num(r.truncation.mean[t]).padStart(9)}`,
    );
  }
  const below = fallsBelow(r.delta);
  lines.push(
    `baseline loss ${num(r.baseline.meanLoss)} (perplexity ${num(r.baseline.perplexity, 2)}); Δ falls below 10 % of its maximum ${below === null ? `not by τ = ${r.config.maxDelay}` : `at τ = ${below}`}`,
    `${r.work.cellSteps.toLocaleString('en-US')} cell steps, ${r.work.outputRows.toLocaleString('en-US')} output rows, ${num(r.work.gflopsPerSecond, 1)} GFLOP/s, ${num(r.timings.totalSeconds, 1)} s`,
  );
  for (const w of r.warnings) lines.push(escapeControl(`warning: ${w}`));
  return lines.join('\n');
}
