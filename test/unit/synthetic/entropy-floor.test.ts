// The closed-form floor against an independent computation: an exact Bayesian filter over
// the generator's hidden state (phase in the episode, marker class, gap fillers left)
// gives the ideal predictor's log-loss on a sampled stream. It must equal the empirical
// floor to rounding, and both must approach the analytic entropy rate.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SPEC,
  type SyntheticSpec,
  empiricalFloor,
  entropyFloor,
  generateSplit,
  syntheticWords,
} from '../../../main/engine/synthetic';

/** Hidden states: 'M' next is a marker; 'F:c:o' next is filler o of class c's episode; 'T:c' next is c's target; 'R:r' r gap fillers left. */
function idealLogLoss(spec: SyntheticSpec, stream: string[]): number {
  const w = syntheticWords(spec);
  const K = spec.span;
  const G = spec.maxGap;
  const [markerA, markerB, targetA, targetB, fillers] = [w.markerA, w.markerB, w.targetA, w.targetB, w.fillers].map((l) => new Set(l));
  const classOf = (word: string): 'a' | 'b' | null => (markerA.has(word) ? 'a' : markerB.has(word) ? 'b' : null);
  const afterTarget = (): Map<string, number> => {
    const m = new Map<string, number>();
    for (let r = 0; r <= G; r++) m.set(r === 0 ? 'M' : `R:${r}`, 1 / (G + 1));
    return m;
  };
  const add = (m: Map<string, number>, k: string, p: number) => m.set(k, (m.get(k) ?? 0) + p);
  let belief = new Map<string, number>([['M', 1]]);
  let nats = 0;
  for (const word of stream) {
    const next = new Map<string, number>();
    let total = 0;
    for (const [state, p] of belief) {
      const [kind, x, y] = state.split(':');
      let pw = 0;
      let to: Map<string, number> | string | null = null;
      if (kind === 'M') {
        const c = classOf(word);
        if (c) {
          pw = 1 / (2 * spec.markersPerClass);
          to = K > 1 ? `F:${c}:1` : `T:${c}`;
        }
      } else if (kind === 'F') {
        if (fillers.has(word)) {
          pw = 1 / spec.fillers;
          const o = Number(y);
          to = o + 1 < K ? `F:${x}:${o + 1}` : `T:${x}`;
        }
      } else if (kind === 'T') {
        const either = spec.independentTargets;
        if (((either || x === 'a') && targetA.has(word)) || ((either || x === 'b') && targetB.has(word))) {
          pw = 1 / (either ? 2 * spec.targetsPerClass : spec.targetsPerClass);
          to = afterTarget();
        }
      } else if (kind === 'R') {
        if (fillers.has(word)) {
          pw = 1 / spec.fillers;
          const r = Number(x) - 1;
          to = r === 0 ? 'M' : `R:${r}`;
        }
      }
      if (pw === 0 || to === null) continue;
      total += p * pw;
      if (typeof to === 'string') add(next, to, p * pw);
      else for (const [s, q] of to) add(next, s, p * pw * q);
    }
    expect(total, `'${word}' is impossible under the generator`).toBeGreaterThan(0);
    nats -= Math.log(total);
    belief = new Map([...next].map(([s, p]) => [s, p / total]));
  }
  return nats;
}

describe('entropy floor', () => {
  const specs: SyntheticSpec[] = [
    { ...DEFAULT_SPEC, span: 5 },
    { ...DEFAULT_SPEC, span: 1, maxGap: 0 },
    { ...DEFAULT_SPEC, span: 3, maxGap: 3, markersPerClass: 2, targetsPerClass: 1, fillers: 5 },
    { ...DEFAULT_SPEC, span: 4, independentTargets: true },
  ];
  for (const spec of specs) {
    it(`matches an exact filter over the hidden state (K=${spec.span}, G=${spec.maxGap}${spec.independentTargets ? ', control' : ''})`, () => {
      const episodes = generateSplit(spec, 'test', 3000, 11);
      const stream = episodes.flatMap((e) => e.words);
      const filtered = idealLogLoss(spec, stream) / stream.length;
      expect(filtered).toBeCloseTo(empiricalFloor(spec, episodes), 9);
      // 3000 episodes: the sample's floor is within a percent of the entropy rate.
      expect(Math.abs(filtered / entropyFloor(spec).crossEntropy - 1)).toBeLessThan(0.01);
    });
  }

  it('charges a forgetful model ln 2 per episode, and nothing in the control corpus', () => {
    const spec = { ...DEFAULT_SPEC, span: 5 };
    const f = entropyFloor(spec);
    expect(f.meanEpisodeLength).toBe(6.5);
    expect(f.withoutMemory.crossEntropy - f.crossEntropy).toBeCloseTo(Math.log(2) / 6.5, 12);
    const c = entropyFloor({ ...spec, independentTargets: true });
    expect(c.crossEntropy).toBeCloseTo(f.withoutMemory.crossEntropy, 12);
    expect(c.withoutMemory.crossEntropy).toBeCloseTo(c.crossEntropy, 12);
  });
});
