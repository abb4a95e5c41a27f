// What a listed run is: a state-gradient sweep or a context ablation (issue 13). A run
// without `kind` is a sweep (run.json files from before ablations say nothing).
import type { RunKind } from '../../../../shared/schemas/ablation';

export const runKind = (r: { kind?: RunKind }): RunKind => r.kind ?? 'sweep';

export const RUN_KIND_LABEL: Record<RunKind, string> = { sweep: 'sweep', ablation: 'ablation' };

export const RUN_KIND_TITLE: Record<RunKind, string> = {
  sweep: 'Delay sweep: state gradients ∂s_t/∂x_(t−τ) and their singular values',
  ablation: 'Context ablation: the rise in loss Δ(τ) when the input τ tokens back is replaced',
};

/** '2 sweeps, 1 ablation'; '' for none. */
export function runKindCounts(runs: readonly { kind?: RunKind }[]): string {
  const n = { sweep: 0, ablation: 0 };
  for (const r of runs) n[runKind(r)]++;
  const part = (k: number, one: string) => (k === 0 ? null : `${k} ${one}${k === 1 ? '' : 's'}`);
  return [part(n.sweep, 'sweep'), part(n.ablation, 'ablation')].filter((x) => x !== null).join(', ');
}
