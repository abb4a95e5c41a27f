// How lists of runs name each run's kind (issue 13): a run without `kind` is a sweep.
import { describe, expect, it } from 'vitest';
import { runKind, runKindCounts } from '../../../renderer/src/lib/state/run-kind';
import { jobTitle } from '../../../renderer/src/lib/state/job-titles';

describe('run kinds', () => {
  it('reads a missing kind as a sweep', () => {
    expect(runKind({})).toBe('sweep');
    expect(runKind({ kind: 'ablation' })).toBe('ablation');
  });

  it('counts each kind, singular and plural, leaving out a kind with none', () => {
    expect(runKindCounts([{ kind: 'sweep' }, {}, { kind: 'ablation' }])).toBe('2 sweeps, 1 ablation');
    expect(runKindCounts([{ kind: 'ablation' }, { kind: 'ablation' }])).toBe('2 ablations');
    expect(runKindCounts([{}])).toBe('1 sweep');
    expect(runKindCounts([])).toBe('');
  });

  it('names an ablation job by its run id', () => {
    expect(jobTitle('ablate', { id: 'small-ablate-unk-d30' })).toBe("Context ablation 'small-ablate-unk-d30'");
  });
});
