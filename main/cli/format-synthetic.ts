// The text report of `mnemoscope synthetic`: the per-delay memory of the marker property
// for Ḡ (all sources) and Ḡ^marker (marker sources), the blind span estimate, then the verdict.
import type { JobResult } from '../../shared/jobs';

type SyntheticBenchmarkResult = JobResult<'synthetic'>;
import { shown } from './terminal-text';

const num = (x: number | null, digits = 3) => (x === null || !Number.isFinite(x) ? 'n/a' : x.toFixed(digits));
const sci = (x: number) => (x === 0 ? '0' : x.toExponential(2));

export function formatSyntheticReport(r: SyntheticBenchmarkResult): string {
  const K = r.spec.span;
  const v = r.verdict;
  const ref = r.profiles.marker[K - 1]?.r ?? NaN;
  const lines = [
    `synthetic benchmark '${r.id}': K = ${K}, gap 0..${r.spec.maxGap}, ${r.spec.markersPerClass} markers/class, ` +
      `${r.spec.fillers} fillers, seed ${r.seed}${r.spec.independentTargets ? ' (CONTROL: targets independent of the marker)' : ''}`,
    `perplexity: model ${num(r.perplexity.model)}, floor ${num(r.perplexity.floor)} (this valid split ${num(r.perplexity.validFloor)}), ` +
      `without memory ${num(r.perplexity.withoutMemory)}; memory gain ${num(v.memoryGain, 2)}`,
    `training: ${r.training.epochs} epochs (best ${r.training.bestEpoch}), ${r.training.seconds.toFixed(1)} s, ` +
      `${Math.round(r.training.tokensPerSecond)} tokens/s on ${r.training.backend}`,
    '',
    `property marker = marker-a − marker-b; cos(d, ē_marker − ē_filler) = ${num(r.presenceCosine, 2)} ` +
      '(near ±1: d also measures that a marker came, not only its class)',
    'Ḡ over all sources | Ḡ^marker over marker sources',
    '    τ        σ₁        r      m  |       σ₁        r  r/r(K−1)      m',
  ];
  const n = Math.min(r.profiles.all.length, v.overwrittenBy + 8);
  for (let t = 0; t < n; t++) {
    const a = r.profiles.all[t];
    const m = r.profiles.marker[t];
    const notes = [
      t === K - 1 ? 'last delay the marker is needed' : '',
      t === r.estimatedSpan ? 'estimated span (knee of r)' : '',
      t === v.overwrittenBy ? 'every marker overwritten' : '',
    ].filter(Boolean);
    const note = notes.length ? `  ← ${notes.join('; ')}` : '';
    lines.push(
      `${String(t).padStart(5)} ${sci(a.sigma1).padStart(9)} ${sci(a.r).padStart(8)} ${num(a.m, 2).padStart(6)}  | ` +
        `${sci(m.sigma1).padStart(8)} ${sci(m.r).padStart(8)} ${num(m.r / ref, 3).padStart(9)} ${num(m.m, 2).padStart(6)}${note}`,
    );
  }
  const est = v.spanEstimate;
  lines.push(
    '',
    `estimated span (blind: from r of Ḡ^marker alone, not told K): ${r.estimatedSpan ?? 'none'}` +
      `${r.estimatedSpan === null ? '' : r.estimatedSpan === K ? ' = K' : ` ≠ K = ${K}`}`,
    `  ${est.reason}`,
  );
  lines.push('', `verdict: ${v.passed ? 'PASS — the analysis finds the memory where it was put' : 'FAIL'}`);
  for (const c of v.checks) {
    lines.push(`  ${c.passed ? 'ok  ' : 'FAIL'} ${c.name.padEnd(8)} ${num(c.value)} ${c.kind === 'min' ? '≥' : '≤'} ${c.threshold}  ${c.description}`);
  }
  lines.push(
    `  m of Ḡ^marker: mean ${num(v.within.m, 2)} over τ = 0..${K - 1}, ${num(v.beyond.m, 2)} over τ = ${v.overwrittenBy}..${v.overwrittenBy + 6} ` +
      '(m is relative to σ₁, so it need not fall once the marker is forgotten; r does)',
    `corpus, model and run '${r.id}' are in the project; the verdict is in ${shown(r.runDir)}/synthetic.json`,
  );
  return lines.join('\n');
}
