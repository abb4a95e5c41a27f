// The findings check (issue 8 §3): for every finding, a synthetic run whose curves satisfy
// it and one whose curves violate it, checked for both answers and for the numbers the answer
// rests on; and the runs it cannot judge (class set missing, K < 2, D too small, runs made
// before analysis version 2, comparisons within 2 SE), which must come out null with a reason.
import { describe, expect, it } from 'vitest';
import { allOf, checkFindings, compare2se, ratioSe, spearman } from '../../../main/engine/runs/findings';
import { FINDING_IDS, RunFindingsSchema, type Finding, type FindingId } from '../../../shared/schemas/findings';
import type { RunRecord } from '../../../shared/schemas/run';
import { fixtureRun, PAPER_FREQUENCY, PAPER_PROPERTIES, PAPER_UPOS, type FixtureSpec } from './findings-fixture';

const find = (record: RunRecord, id: FindingId): Finding => {
  const f = checkFindings(record).findings.find((x) => x.id === id);
  if (!f) throw new Error(`no finding ${id}`);
  return f;
};
const run = (spec: FixtureSpec = {}) => fixtureRun(spec);

describe('helpers', () => {
  it('spearman: monotone, reversed, ties, constant, too short', () => {
    expect(spearman([0, 1, 2, 3], [1, 5, 7, 100])).toBeCloseTo(1, 12);
    expect(spearman([0, 1, 2, 3], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    // ranks of y with ties: [1.5, 1.5, 3, 4]; Pearson with [1, 2, 3, 4] = 0.9487
    expect(spearman([1, 2, 3, 4], [5, 5, 6, 7])).toBeCloseTo(0.9486832980505138, 12);
    // textbook example: d² = 0+1+1+0+4 → 1 − 6·6/(5·24) = 0.7
    expect(spearman([1, 2, 3, 4, 5], [1, 3, 2, 4, 6].map((r) => r * 10))).toBeCloseTo(0.9, 12);
    expect(spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])).toBeCloseTo(0.8, 12);
    expect(spearman([1, 2, 3], [2, 2, 2])).toBe(0);
    expect(spearman([1, 2], [1, 2])).toBeNull();
  });

  it('compare2se and three-valued AND', () => {
    expect(compare2se(0.21, 0.1)).toBe('above');
    expect(compare2se(0.19, 0.1)).toBe('within');
    expect(compare2se(-0.19, 0.1)).toBe('within');
    expect(compare2se(-0.21, 0.1)).toBe('below');
    expect(allOf([true, true])).toBe(true);
    expect(allOf([true, null])).toBeNull();
    expect(allOf([null, false])).toBe(false);
  });

  it('ratioSe is the delta method without the covariance', () => {
    // a/b with a = 2 ± 0.1, b = 4 ± 0.2: √((0.1/4)² + (2·0.2/16)²) = √(0.000625 + 0.000625)
    expect(ratioSe(2, 0.1, 4, 0.2)).toBeCloseTo(Math.sqrt(0.00125), 15);
  });
});

describe('a run shaped like the papers', () => {
  const result = checkFindings(run());

  it('reports every finding, in order, valid against the schema', () => {
    expect(RunFindingsSchema.parse(result)).toEqual(result);
    expect(result.findings.map((f) => f.id)).toEqual([...FINDING_IDS]);
    for (const f of result.findings) {
      expect(f.title.length).toBeGreaterThan(10);
      expect(f.source).toMatch(/Verwimp/);
      expect(f.test.length).toBeGreaterThan(20);
    }
  });

  it('every finding holds', () => {
    expect(Object.fromEntries(result.findings.map((f) => [f.id, f.holds]))).toEqual(Object.fromEntries(FINDING_IDS.map((id) => [id, true])));
    for (const f of result.findings) expect(f.reason).toBeNull();
  });
});

describe('sv-decay-fast', () => {
  it('holds when σ₁ and Σσ at τ = 5 are at most half their τ = 0 values', () => {
    const f = find(run(), 'sv-decay-fast');
    expect(f.holds).toBe(true);
    expect(f.numbers['sigma1@0']).toBe(3);
    expect(f.numbers['sigma1@5/sigma1@0']).toBeCloseTo((2 * 5 ** -1.2) / 3, 12);
  });
  it('does not hold when σ₁ barely decays (the demo model)', () => {
    const f = find(run({ sigma1: (t) => 7.6 - 0.12 * t }), 'sv-decay-fast');
    expect(f.holds).toBe(false);
    expect(f.numbers['sigma1@5/sigma1@0']).toBeCloseTo(7 / 7.6, 12);
  });
  it('does not hold when σ₁ halves but Σσ does not', () => {
    // Σσ = σ₁/ratio1: σ₁ halves by τ = 5, but ratio1 falls so that Σσ stays
    const f = find(run({ sigma1: (t) => 2 * 0.8 ** t, ratio1: (t) => 0.3 * 0.8 ** t, ratio5: () => 0.5 }), 'sv-decay-fast');
    expect(f.numbers['sigma1@5/sigma1@0']).toBeLessThan(0.5);
    expect(f.numbers['sum@5/sum@0']).toBeCloseTo(1, 12);
    expect(f.holds).toBe(false);
  });
  it('cannot tell with D < 5', () => {
    const f = find(run({ maxDelay: 4 }), 'sv-decay-fast');
    expect(f.holds).toBeNull();
    expect(f.reason).toMatch(/largest delay is 4.*up to 5/);
  });
});

describe('memory-after-20', () => {
  // (√256 + √64)·s̄ = 24·s̄; σ₁(20) = 2·20^−1.2 ≈ 0.0549
  const s20 = 2 * 20 ** -1.2;
  it('holds when σ₁(20) exceeds twice the noise σ₁ (√H + √E)·s̄', () => {
    const f = find(run({ noiseFloor: () => s20 / 24 / 2.1 }), 'memory-after-20');
    expect(f.holds).toBe(true);
    expect(f.numbers['noiseSigma1@20']).toBeCloseTo(s20 / 2.1, 12);
    expect(f.numbers.threshold).toBeCloseTo((2 * s20) / 2.1, 12);
  });
  it('does not hold when σ₁(20) is within twice the noise level', () => {
    const f = find(run({ noiseFloor: () => s20 / 24 / 1.9 }), 'memory-after-20');
    expect(f.holds).toBe(false);
    expect(f.detail).toMatch(/no memory detectable/);
  });
  it('uses the run’s H and E', () => {
    // H = 100, E = 36: noise σ₁ = 16·s̄
    const f = find(run({ hidden: 100, embedding: 36, noiseFloor: () => s20 / 16 / 1.9 }), 'memory-after-20');
    expect(f.numbers['noiseSigma1@20']).toBeCloseTo(s20 / 1.9, 12);
    expect(f.holds).toBe(false);
  });
  it('cannot tell with D < 20, without groups, or in a version-1 run', () => {
    expect(find(run({ maxDelay: 19 }), 'memory-after-20')).toMatchObject({ holds: null, reason: expect.stringMatching(/up to 20/) });
    expect(find(run({ groups: null }), 'memory-after-20')).toMatchObject({ holds: null, reason: expect.stringMatching(/K < 2/) });
    expect(find(run({ analysisVersion: 1 }), 'memory-after-20')).toMatchObject({ holds: null, reason: expect.stringMatching(/re-running the sweep/) });
  });
});

describe('selectivity-increases', () => {
  it('holds when both ratios rise by more than 2 SE to τ = 20 and rise with τ', () => {
    const f = find(run(), 'selectivity-increases');
    expect(f.holds).toBe(true);
    expect(f.numbers['ratio1.spearman']).toBeCloseTo(1, 12);
    expect(f.numbers['ratio1.rise']).toBeCloseTo(0.25 * (20 / 23), 12);
    expect(f.numbers['ratio1.rise.se']).toBeCloseTo(Math.sqrt(2) * 0.005, 12);
  });
  it('does not hold when the ratios are flat (the demo model)', () => {
    const f = find(run({ ratio1: () => 0.27, ratio5: () => 0.6 }), 'selectivity-increases');
    // a rise of 0 is within 2 SE, but ρ = 0 ≤ 0.5 decides it
    expect(f.numbers['ratio1.spearman']).toBe(0);
    expect(f.holds).toBe(false);
  });
  it('does not hold when the ratios fall', () => {
    expect(find(run({ ratio1: (t) => 0.3 - 0.005 * t }), 'selectivity-increases').holds).toBe(false);
  });
  it('does not hold when the ratio is higher at τ = 20 but falls with τ elsewhere (Spearman ≤ 0.5)', () => {
    const f = find(run({ ratio1: (t) => (t === 20 ? 0.5 : 0.2 - 0.003 * t) }), 'selectivity-increases');
    expect(f.numbers['ratio1.rise']).toBeCloseTo(0.3, 12);
    expect(f.numbers['ratio1.spearman']!).toBeLessThan(0);
    expect(f.holds).toBe(false);
  });
  it('uses τ = D when D < 20', () => {
    const f = find(run({ maxDelay: 8 }), 'selectivity-increases');
    expect(f.holds).toBe(true);
    expect(f.numbers['ratio1@8']).toBeCloseTo(ratio(8), 12);
    expect(f.test).toMatch(/σ₁\/Σσ\(8\)/);
  });
  it('cannot tell when the rise is within 2 SE; or without the ratio SEs', () => {
    const within = find(run({ ratio1: (t) => 0.2 + 0.001 * t, ratioSe: () => 0.02 }), 'selectivity-increases');
    expect(within.holds).toBeNull();
    expect(within.reason).toMatch(/SE too large.*σ₁\/Σσ/);
    const v1 = find(run({ analysisVersion: 1 }), 'selectivity-increases');
    expect(v1.holds).toBeNull();
    expect(v1.reason).toMatch(/SEs of σ₁\/Σσ.*re-running the sweep fixes this/);
    expect(v1.numbers['ratio1.spearman']).toBeCloseTo(1, 12);
    expect(find(run({ groups: null }), 'selectivity-increases').reason).toMatch(/K < 2/);
  });
});
function ratio(t: number) {
  return 0.08 + (0.25 * t) / (t + 3);
}

const upos = (patch: Record<string, Partial<(typeof PAPER_UPOS)[string]>>) =>
  Object.fromEntries(Object.entries({ ...PAPER_UPOS, ...Object.fromEntries(Object.keys(patch).map((k) => [k, { ...PAPER_UPOS[k], ...patch[k] }])) }));

describe('pronoun-largest-at-0', () => {
  it('holds when PRON exceeds every other part of speech by more than 2 SE (ignoring . and X)', () => {
    const f = find(run(), 'pronoun-largest-at-0');
    expect(f.holds).toBe(true);
    expect(f.numbers['PRON.sigma1@0']).toBe(5);
    expect(f.numbers['NOUN.sigma1@0']).toBe(4);
    expect(f.numbers).not.toHaveProperty('X.sigma1@0');
    expect(f.numbers).not.toHaveProperty('..sigma1@0');
  });
  it('does not hold when nouns exceed pronouns (the authors-recipe model: 3.76, 2.88, 2.85)', () => {
    const sets = { upos: upos({ NOUN: { sigma1: (t) => (t === 0 ? 3.76 : 1) }, VERB: { sigma1: (t) => (t === 0 ? 2.88 : 1) }, PRON: { sigma1: (t) => (t === 0 ? 2.85 : 1) } }) };
    const f = find(run({ classSets: sets }), 'pronoun-largest-at-0');
    expect(f.holds).toBe(false);
    expect(f.detail).toMatch(/NOUN \(3\.76\)/);
  });
  it('cannot tell when PRON leads by less than 2 SE, i.e. 2·√(SE² + SE²)', () => {
    // PRON 5 vs NOUN 4.87: difference 0.13 < 2·√2·0.05 = 0.1414
    const near = { upos: upos({ NOUN: { sigma1: (t) => (t === 0 ? 4.87 : 1) } }) };
    const f = find(run({ classSets: near }), 'pronoun-largest-at-0');
    expect(f.holds).toBeNull();
    expect(f.reason).toMatch(/SE too large.*NOUN/);
    // 4.85: difference 0.15 > 0.1414
    const clear = { upos: upos({ NOUN: { sigma1: (t) => (t === 0 ? 4.85 : 1) } }) };
    expect(find(run({ classSets: clear }), 'pronoun-largest-at-0').holds).toBe(true);
  });
  it('leaves out a part of speech with no token in the text', () => {
    const sets = { upos: upos({ ADJ: { sigma1: (t) => (t === 0 ? 9 : 1), pairs: () => 0 } }) };
    expect(find(run({ classSets: sets }), 'pronoun-largest-at-0').holds).toBe(true);
  });
  it('cannot tell without the upos set, without PRON, without class SEs, in a version-1 run, or with a class too rare for an SE', () => {
    expect(find(run({ classSets: { frequency: PAPER_FREQUENCY } }), 'pronoun-largest-at-0').reason).toMatch(/no class set 'upos'/);
    const noPron = Object.fromEntries(Object.entries(PAPER_UPOS).filter(([k]) => k !== 'PRON'));
    expect(find(run({ classSets: { upos: noPron } }), 'pronoun-largest-at-0').reason).toMatch(/no class PRON/);
    expect(find(run({ groups: null }), 'pronoun-largest-at-0').reason).toMatch(/K < 2/);
    const v1 = find(run({ analysisVersion: 1 }), 'pronoun-largest-at-0');
    expect(v1).toMatchObject({ holds: null, reason: expect.stringMatching(/per-class SEs.*re-running the sweep/) });
    expect(v1.detail).toMatch(/PRON 5; largest other NOUN 4/);
    const rare = { upos: upos({ VERB: { se: () => null } }) };
    expect(find(run({ classSets: rare }), 'pronoun-largest-at-0').reason).toMatch(/too few tokens of VERB/);
  });
});

describe('properties-drop-early', () => {
  it('holds when m and cos(d, H₅) over τ = 3..5 are at most 0.8 of max(τ = 0, 1) for every property', () => {
    const f = find(run(), 'properties-drop-early');
    expect(f.holds).toBe(true);
    expect(f.numbers['sg-pl.m.late/early']).toBeCloseTo(0.35 / 0.83, 12);
    expect(f.numbers['common-proper.cos5.late/early']).toBeCloseTo(0.5 / 0.9, 12);
  });
  it('does not hold when properties never drop (the demo model: m ≈ 0.5, cos ≈ 0.95)', () => {
    const flat = { 'sg-pl': { m: () => 0.5, cos5: () => 0.95 }, 'common-proper': { m: () => 0.5, cos5: () => 0.95 } };
    expect(find(run({ properties: flat }), 'properties-drop-early').holds).toBe(false);
  });
  it('does not hold when only cos(d, H₅) of one property stays (just above 0.8)', () => {
    const props = { ...PAPER_PROPERTIES, 'common-proper': { ...PAPER_PROPERTIES['common-proper'], cos5: (t: number) => (t <= 1 ? 0.9 : 0.73) } };
    const f = find(run({ properties: props }), 'properties-drop-early');
    expect(f.numbers['common-proper.cos5.late/early']).toBeCloseTo(0.73 / 0.9, 12);
    expect(f.holds).toBe(false);
    expect(f.detail).toMatch(/common-proper cos\(d, H₅\)/);
    const justBelow = { ...PAPER_PROPERTIES, 'common-proper': { ...PAPER_PROPERTIES['common-proper'], cos5: (t: number) => (t <= 1 ? 0.9 : 0.71) } };
    expect(find(run({ properties: justBelow }), 'properties-drop-early').holds).toBe(true);
  });
  it('checks any property of the run, not only the built-ins', () => {
    const props = { ...PAPER_PROPERTIES, tense: { m: () => 0.6, cos5: () => 0.2 } };
    expect(find(run({ properties: props }), 'properties-drop-early').holds).toBe(false);
  });
  it('cannot tell without properties, with D < 5, or with m undefined', () => {
    expect(find(run({ properties: {} }), 'properties-drop-early').reason).toMatch(/no properties/);
    expect(find(run({ maxDelay: 3 }), 'properties-drop-early').reason).toMatch(/up to 5/);
    const undef = { 'sg-pl': { m: (t: number) => (t === 4 ? null : 0.5), cos5: () => 0.5 } };
    expect(find(run({ properties: undef }), 'properties-drop-early').reason).toMatch(/m of property sg-pl is undefined at τ = 4/);
  });
});

describe('sgpl-then-cmpr', () => {
  it('holds when sg-pl leads at τ = 0 and common-proper at most later delays, each by more than 2 SE', () => {
    const f = find(run(), 'sgpl-then-cmpr');
    expect(f.holds).toBe(true);
    expect(f.numbers['delays.cmpr-above']).toBe(30);
    expect(f.numbers['difference@0']).toBeCloseTo(0.05, 12);
  });
  it('does not hold on the authors-recipe model (common-proper 0.85 > sg-pl 0.83 at τ = 0, sg-pl above later)', () => {
    const props = {
      'sg-pl': { m: (t: number) => (t === 0 ? 0.83 : 0.6), mSe: () => 0.01, cos5: () => 0.5 },
      'common-proper': { m: (t: number) => (t === 0 ? 0.85 : 0.39), mSe: () => 0.01, cos5: () => 0.5 },
    };
    const f = find(run({ properties: props }), 'sgpl-then-cmpr');
    expect(f.holds).toBe(false);
    expect(f.numbers['delays.sgpl-above']).toBe(30);
  });
  it('majority: common-proper above at 16 of 30 later delays holds; at 15 it does not', () => {
    const props = (n: number) => ({
      'sg-pl': PAPER_PROPERTIES['sg-pl'],
      'common-proper': { m: (t: number) => (t === 0 ? 0.78 : t <= n ? 0.8 : 0.2), mSe: () => 0.01, cos5: () => 0.5 },
    });
    expect(find(run({ properties: props(16) }), 'sgpl-then-cmpr').holds).toBe(true);
    const f = find(run({ properties: props(15) }), 'sgpl-then-cmpr');
    expect(f.numbers['delays.cmpr-above']).toBe(15);
    expect(f.holds).toBe(false);
  });
  it('majority: cannot tell when the delays within 2 SE could tip it (14 above, 3 within, 13 below)', () => {
    const props = {
      'sg-pl': PAPER_PROPERTIES['sg-pl'],
      'common-proper': { m: (t: number) => (t === 0 ? 0.78 : t <= 14 ? 0.8 : t <= 17 ? (t === 15 ? 0.35 : 0.36) : 0.2), mSe: () => 0.01, cos5: () => 0.5 },
    };
    const f = find(run({ properties: props }), 'sgpl-then-cmpr');
    expect([f.numbers['delays.cmpr-above'], f.numbers['delays.within-2se'], f.numbers['delays.sgpl-above']]).toEqual([14, 3, 13]);
    expect(f.holds).toBeNull();
    expect(f.reason).toMatch(/SE too large: at 3 of the 30 later delays/);
  });
  it('cannot tell when the τ = 0 difference is within 2 SE and the rest agrees', () => {
    const props = { ...PAPER_PROPERTIES, 'common-proper': { ...PAPER_PROPERTIES['common-proper'], m: (t: number) => (t === 0 ? 0.82 : 0.45) } };
    const f = find(run({ properties: props }), 'sgpl-then-cmpr');
    expect(f.holds).toBeNull();
    expect(f.reason).toMatch(/SE too large.*τ = 0/);
  });
  it('cannot tell without the properties or without groups', () => {
    expect(find(run({ properties: { 'sg-pl': PAPER_PROPERTIES['sg-pl'] } }), 'sgpl-then-cmpr').reason).toMatch(/no property common-proper/);
    expect(find(run({ groups: null }), 'sgpl-then-cmpr').reason).toMatch(/K < 2/);
  });
});

describe('decay-not-exponential', () => {
  it('holds when a power law or two exponentials is chosen', () => {
    expect(find(run({ decayChosen: 'power-law' }), 'decay-not-exponential')).toMatchObject({ holds: true, numbers: { 'aic.exponential-chosen': 30 } });
    expect(find(run({ decayChosen: 'two-exponentials' }), 'decay-not-exponential').holds).toBe(true);
  });
  it('does not hold when one exponential is chosen', () => {
    const f = find(run({ decayChosen: 'exponential' }), 'decay-not-exponential');
    expect(f.holds).toBe(false);
    expect(f.detail).toMatch(/one exponential fits best/);
  });
  it('does not hold when the only better fit pins a rate at the cap, and says so', () => {
    const r = run({ decayChosen: 'exponential' });
    const fits = r.summary.decayModels!.sigma1!.fits;
    // Two exponentials with a fast component at the cap: the lowest AIC of all, but not chosen.
    Object.assign(fits.find((f) => f.model === 'two-exponentials')!, { aic: -120, atRateCap: true });
    const f = find(r, 'decay-not-exponential');
    expect(f.holds).toBe(false);
    expect(f.detail).toMatch(/two exponentials \(AIC -120\) only fits the first delay with a rate at the cap/);
    expect(f.numbers['aic.next-exponential']).toBe(-70 - -90);
  });
  it('cannot tell without decay models (version 1) or with none fitted', () => {
    expect(find(run({ analysisVersion: 1 }), 'decay-not-exponential').reason).toMatch(/re-running the sweep/);
    expect(find(run({ decayChosen: null }), 'decay-not-exponential').reason).toMatch(/no decay model could be fitted/);
  });
});

describe('nouns-remembered-best', () => {
  it('holds when NOUN has the largest mean σ₁ over τ = 1..D (ignoring . and X)', () => {
    const f = find(run(), 'nouns-remembered-best');
    expect(f.holds).toBe(true);
    const mean = Array.from({ length: 30 }, (_, i) => 1.5 * 2 * (i + 1) ** -1.2).reduce((a, b) => a + b) / 30;
    expect(f.numbers['NOUN.sigma1@1..30']).toBeCloseTo(mean, 12);
  });
  it('does not hold when verbs are remembered better', () => {
    const sets = { upos: upos({ VERB: { sigma1: (t) => (t === 0 ? 3 : 2 * 2 * t ** -1.2) } }) };
    const f = find(run({ classSets: sets }), 'nouns-remembered-best');
    expect(f.holds).toBe(false);
    expect(f.detail).toMatch(/^VERB has the largest/);
  });
  it('cannot tell without the upos set or with D = 0', () => {
    expect(find(run({ classSets: { frequency: PAPER_FREQUENCY } }), 'nouns-remembered-best').holds).toBeNull();
    expect(find(run({ maxDelay: 0 }), 'nouns-remembered-best').reason).toMatch(/up to 1/);
  });
  it('works on a version-1 run (no SE needed)', () => {
    expect(find(run({ analysisVersion: 1 }), 'nouns-remembered-best').holds).toBe(true);
  });
});

describe('rare-remembered-longer', () => {
  it('holds when the rarest band with tokens keeps more of σ₁ from τ = 1 to 10 than freq-1-100, by more than 2 SE', () => {
    const f = find(run(), 'rare-remembered-longer');
    expect(f.holds).toBe(true);
    // freq-10001+ has no token and freq-unk is not a band: the lowest band is freq-5001-10000
    expect(f.test).toMatch(/\(freq-5001-10000\)/);
    expect(f.numbers['freq-5001-10000.retention']).toBeCloseTo(Math.exp(-0.45), 12);
    expect(f.numbers['freq-1-100.retention']).toBeCloseTo(Math.exp(-2.7), 12);
    // delta method: SEs 2 % of σ₁ at both delays → SE(ρ) = ρ·√(0.02² + 0.02²)
    expect(f.numbers['freq-1-100.retention.se']).toBeCloseTo(Math.exp(-2.7) * 0.02 * Math.SQRT2, 12);
  });
  it('does not hold when rare words decay faster', () => {
    const sets = { upos: PAPER_UPOS, frequency: { ...PAPER_FREQUENCY, 'freq-5001-10000': { sigma1: (t: number) => 1.5 * Math.exp(-0.5 * t), se: () => 0.001 } } };
    expect(find(run({ classSets: sets }), 'rare-remembered-longer').holds).toBe(false);
  });
  it('is decided at 2 SE of the difference exactly', () => {
    // retentions e^{−0.45} − e^{−2.7} ≈ 0.5704; make the SE of the difference 0.5704/1.9 and /2.1
    const diff = Math.exp(-0.45) - Math.exp(-2.7);
    const withSe = (sd: number) => {
      // equal relative SEs r at τ = 1 and 10 in both bands: SE(ρ) = ρ·r·√2; SE(diff) = r·√2·√(ρ_l² + ρ_h²)
      const r = sd / (Math.SQRT2 * Math.hypot(Math.exp(-0.45), Math.exp(-2.7)));
      const b = (a: number, k: number) => ({ sigma1: (t: number) => a * Math.exp(-k * t), se: (t: number) => r * a * Math.exp(-k * t) });
      return { upos: PAPER_UPOS, frequency: { 'freq-1-100': b(3, 0.3), 'freq-5001-10000': b(1.5, 0.05) } };
    };
    const within = find(run({ classSets: withSe(diff / 1.9) }), 'rare-remembered-longer');
    expect(within.numbers['difference.se']).toBeCloseTo(diff / 1.9, 12);
    expect(within.holds).toBeNull();
    expect(within.reason).toMatch(/SE too large/);
    expect(find(run({ classSets: withSe(diff / 2.1) }), 'rare-remembered-longer').holds).toBe(true);
  });
  it('cannot tell without the frequency set, with D < 10, with one band, or without class SEs', () => {
    expect(find(run({ classSets: { upos: PAPER_UPOS } }), 'rare-remembered-longer').reason).toMatch(/no class set 'frequency'/);
    expect(find(run({ maxDelay: 9 }), 'rare-remembered-longer').reason).toMatch(/up to 10/);
    const one = { frequency: { 'freq-1-100': PAPER_FREQUENCY['freq-1-100'], 'freq-unk': PAPER_FREQUENCY['freq-unk'] } };
    expect(find(run({ classSets: one }), 'rare-remembered-longer').reason).toMatch(/only one frequency band/);
    const v1 = find(run({ analysisVersion: 1 }), 'rare-remembered-longer');
    expect(v1).toMatchObject({ holds: null, reason: expect.stringMatching(/per-class SEs.*re-running/) });
    expect(v1.detail).toMatch(/freq-5001-10000 0\.638/);
  });
  it('resolves class names qualified as set/class', () => {
    const r = run();
    const renamed: RunRecord = structuredClone(r);
    const rename = (n: string) => (r.config.classes.find((c) => c.name === n)?.set === 'frequency' ? `frequency/${n}` : n);
    renamed.config.classes = r.config.classes.map((c) => ({ ...c, name: rename(c.name) }));
    renamed.counts.classPairs = Object.fromEntries(Object.entries(r.counts.classPairs).map(([k, v]) => [rename(k), v]));
    for (const d of renamed.summary.delays) {
      d.classes = Object.fromEntries(Object.entries(d.classes).map(([k, v]) => [rename(k), v]));
      d.classSe = Object.fromEntries(Object.entries(d.classSe).map(([k, v]) => [rename(k), v]));
    }
    const f = find(renamed, 'rare-remembered-longer');
    expect(f.holds).toBe(true);
    expect(f.numbers['freq-5001-10000.retention']).toBeCloseTo(Math.exp(-0.45), 12);
  });
});

describe('runs it cannot judge', () => {
  it('a version-1 run: every finding that needs the new statistics is null and says to re-run', () => {
    const result = checkFindings(run({ analysisVersion: 1 }));
    expect(result.analysisVersion).toBe(1);
    const byId = Object.fromEntries(result.findings.map((f) => [f.id, f]));
    for (const id of ['memory-after-20', 'selectivity-increases', 'pronoun-largest-at-0', 'decay-not-exponential', 'rare-remembered-longer'] as const) {
      expect(byId[id].holds, id).toBeNull();
      expect(byId[id].reason, id).toMatch(/re-running the sweep fixes this/);
    }
    // the ones that need no new statistic are still decided
    for (const id of ['sv-decay-fast', 'properties-drop-early', 'sgpl-then-cmpr', 'nouns-remembered-best'] as const) expect(byId[id].holds, id).toBe(true);
  });

  it('no groups (K < 2): every SE-based finding is null', () => {
    const byId = Object.fromEntries(checkFindings(run({ groups: null })).findings.map((f) => [f.id, f]));
    for (const id of ['memory-after-20', 'selectivity-increases', 'pronoun-largest-at-0', 'sgpl-then-cmpr', 'rare-remembered-longer'] as const) {
      expect(byId[id].holds, id).toBeNull();
      expect(byId[id].reason, id).toMatch(/K < 2/);
    }
  });

  it('a run with delay 0 only: every finding that needs later delays is null, none throws', () => {
    const result = checkFindings(run({ maxDelay: 0 }));
    expect(result.findings.filter((f) => f.holds !== null).map((f) => f.id)).toEqual(['pronoun-largest-at-0', 'decay-not-exponential']);
    for (const f of result.findings.filter((x) => x.holds === null)) expect(f.reason).toMatch(/largest delay is 0/);
  });
});
