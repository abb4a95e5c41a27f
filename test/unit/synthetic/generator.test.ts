// The generator puts the information exactly where the benchmark says: a target of the
// marker's class exactly K tokens after every marker, nothing informative anywhere else,
// and the same stream for the same seed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEC, type SyntheticSpec, episodesText, generateSplit, syntheticWords } from '../../../main/engine/synthetic';
import { preprocessToken } from '../../../main/engine/corpus/preprocess';
import { DEFAULT_PREPROCESSING } from '../../../shared/schemas/corpus';

const specArb = fc.record({
  span: fc.integer({ min: 1, max: 12 }),
  markersPerClass: fc.integer({ min: 1, max: 6 }),
  targetsPerClass: fc.integer({ min: 1, max: 4 }),
  fillers: fc.integer({ min: 1, max: 20 }),
  maxGap: fc.integer({ min: 0, max: 4 }),
  independentTargets: fc.constant(false),
});
const seedArb = fc.integer({ min: 1, max: 2 ** 31 - 1 });

type Kind = 'marker-a' | 'marker-b' | 'target-a' | 'target-b' | 'filler';

function kinds(spec: SyntheticSpec): Map<string, Kind> {
  const w = syntheticWords(spec);
  const m = new Map<string, Kind>();
  for (const [list, kind] of [
    [w.markerA, 'marker-a'],
    [w.markerB, 'marker-b'],
    [w.targetA, 'target-a'],
    [w.targetB, 'target-b'],
    [w.fillers, 'filler'],
  ] as const) {
    for (const word of list) {
      expect(m.has(word), `'${word}' in two classes`).toBe(false);
      m.set(word, kind);
    }
  }
  return m;
}

describe('synthetic generator', () => {
  it('puts a target of the marker class exactly K tokens after every marker, and targets nowhere else', () => {
    fc.assert(
      fc.property(specArb, seedArb, fc.integer({ min: 1, max: 60 }), (spec, seed, n) => {
        const kind = kinds(spec);
        const stream = generateSplit(spec, 'train', n, seed).flatMap((e) => e.words);
        const at = (t: number) => kind.get(stream[t]);
        const K = spec.span;
        let markers = 0;
        for (let t = 0; t < stream.length; t++) {
          const k = at(t);
          if (k === undefined) return false;
          if (k === 'marker-a' || k === 'marker-b') {
            markers++;
            if (t + K < stream.length && at(t + K) !== (k === 'marker-a' ? 'target-a' : 'target-b')) return false;
            // Between a marker and its target: fillers only (no second marker, no target).
            for (let j = 1; j < K && t + j < stream.length; j++) if (at(t + j) !== 'filler') return false;
          }
          if ((k === 'target-a' || k === 'target-b') && (t < K || at(t - K) !== (k === 'target-a' ? 'marker-a' : 'marker-b'))) return false;
        }
        return markers === n;
      }),
      { numRuns: 200 },
    );
  });

  it('builds each episode as marker, K−1 fillers, target, 0..G fillers', () => {
    fc.assert(
      fc.property(specArb, seedArb, (spec, seed) => {
        const kind = kinds(spec);
        return generateSplit(spec, 'valid', 20, seed).every(
          (e) =>
            e.words.length >= spec.span + 1 &&
            e.words.length <= spec.span + 1 + spec.maxGap &&
            kind.get(e.words[0]) === `marker-${e.cls}` &&
            kind.get(e.words[spec.span]) === `target-${e.cls}` &&
            e.words.every((w, i) => i === 0 || i === spec.span || kind.get(w) === 'filler'),
        );
      }),
    );
  });

  it('is deterministic per seed and split, and a longer split extends a shorter one', () => {
    fc.assert(
      fc.property(specArb, seedArb, (spec, seed) => {
        const a = generateSplit(spec, 'train', 30, seed);
        expect(generateSplit(spec, 'train', 30, seed)).toEqual(a);
        expect(generateSplit(spec, 'train', 60, seed).slice(0, 30)).toEqual(a);
      }),
      { numRuns: 50 },
    );
    const spec = { ...DEFAULT_SPEC, span: 5 };
    const text = (seed: number, split: 'train' | 'test') => episodesText(generateSplit(spec, split, 200, seed));
    expect(text(1, 'train')).not.toBe(text(2, 'train'));
    expect(text(1, 'train')).not.toBe(text(1, 'test'));
  });

  it('draws classes, words and gaps uniformly', () => {
    const spec: SyntheticSpec = { ...DEFAULT_SPEC, span: 3, maxGap: 2 };
    const w = syntheticWords(spec);
    const eps = generateSplit(spec, 'train', 20000, 7);
    const share = (pred: (e: (typeof eps)[number]) => boolean) => eps.filter(pred).length / eps.length;
    expect(share((e) => e.cls === 'a')).toBeCloseTo(0.5, 1);
    for (let g = 0; g <= 2; g++) expect(share((e) => e.words.length === 4 + g)).toBeCloseTo(1 / 3, 1);
    for (const m of w.markerA) expect(share((e) => e.words[0] === m)).toBeCloseTo(0.5 / w.markerA.length, 1);
    const fillers = eps.flatMap((e) => e.words.filter((x) => x.startsWith('fill')));
    for (const f of w.fillers) expect(fillers.filter((x) => x === f).length / fillers.length).toBeCloseTo(1 / w.fillers.length, 1);
  });

  it('makes the target class a coin flip in the control corpus', () => {
    const spec: SyntheticSpec = { ...DEFAULT_SPEC, span: 4, independentTargets: true };
    const eps = generateSplit(spec, 'train', 10000, 3);
    const agree = eps.filter((e) => e.words[4].startsWith(e.cls === 'a' ? 'atarg' : 'btarg')).length / eps.length;
    expect(agree).toBeGreaterThan(0.47);
    expect(agree).toBeLessThan(0.53);
    // Still a target exactly K after each marker.
    expect(eps.every((e) => /^[ab]targ/.test(e.words[4]))).toBe(true);
  });

  it('uses words the corpus importer keeps as they are', () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        for (const word of kinds(spec).keys()) expect(preprocessToken(word, DEFAULT_PREPROCESSING)).toBe(word);
      }),
      { numRuns: 30 },
    );
  });

  it('refuses specs it cannot honour', () => {
    const base = { ...DEFAULT_SPEC, span: 5 };
    expect(() => generateSplit({ ...base, span: 0 }, 'train', 1, 1)).toThrow(/span/);
    expect(() => generateSplit({ ...base, fillers: 0 }, 'train', 1, 1)).toThrow(/fillers/);
    expect(() => generateSplit({ ...base, maxGap: 1.5 }, 'train', 1, 1)).toThrow(/maxGap/);
  });
});
