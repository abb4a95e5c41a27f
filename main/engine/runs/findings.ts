// The findings check (issue 8 §3): does this run agree with what Verwimp et al. found about
// LSTM memory? Each finding gets holds = true (the test passes), false (it fails) or null
// (cannot tell: a class set, a delay, the groups or a statistic it needs is missing, or a
// comparison is within 2 SE), with the values it rests on and the exact test. Pure: it reads
// only run.json (a RunRecord). The README's "Checking a run against the paper" documents
// every test; keep the two in step.
//
// Conventions used throughout:
// - SE = standard error over the K groups of the run (run-summary.ts). The summary keeps
//   one SE per quantity, not the group values, so the SE of a difference a − b of two
//   quantities from the same groups is taken as √(SE_a² + SE_b²): exact for independent
//   estimates, and conservative (too large) when they are positively correlated across the
//   groups, which same-group estimates usually are.
// - A claim "a > b by more than 2 SE" is true when a − b > 2·SE, false when b − a > 2·SE
//   (the opposite holds clearly), and null ("SE too large") in between.
// - Several conditions combine with three-valued logic: false if any is false, else null if
//   any is null, else true. A statistic the run lacks makes the finding null outright.
import { CELL_LABELS, type Cell } from '../../../shared/schemas/model';
import { analysedCell, type RunClass, type RunRecord } from '../../../shared/schemas/run';
import type { DelaySummary } from '../../../shared/schemas/run-summary';
import { FINDING_IDS, type Finding, type FindingId, type RunFindings } from '../../../shared/schemas/findings';
import type { AblationRecord } from '../../../shared/schemas/ablation';
import { gradientMatchesBehaviour } from './behaviour-finding';

const BLACKBOX_2018 = 'Verwimp, Van hamme, Renkens & Wambacq 2018, "State Gradients for RNN Memory Analysis", BlackboxNLP';
const CSL_2020 = 'Verwimp, Van hamme & Wambacq 2020, "State gradients for analyzing memory in LSTM language models", Computer Speech & Language';

/** Title and source of each finding. */
export const FINDING_INFO: Record<FindingId, { title: string; source: string }> = {
  'sv-decay-fast': { title: 'σ₁ and Σσ fall steeply with delay', source: BLACKBOX_2018 },
  'memory-after-20': { title: 'Some memory remains after 20 words', source: BLACKBOX_2018 },
  'selectivity-increases': { title: 'Memory becomes more selective with delay (σ₁/Σσ and top-5/Σσ increase)', source: BLACKBOX_2018 },
  'pronoun-largest-at-0': { title: 'At delay 0, pronouns have the largest σ₁ among parts of speech', source: BLACKBOX_2018 },
  'properties-drop-early': { title: 'Properties (m and cos(d, H₅)) fall sharply after a delay of 1–2', source: `${BLACKBOX_2018}, Figure 1` },
  'sgpl-then-cmpr': { title: 'sg-pl is better remembered at delay 0, common-proper at later delays', source: `${BLACKBOX_2018}, Figure 1` },
  'decay-not-exponential': { title: 'σ₁(τ) decays like a power law or two exponentials, not one exponential', source: CSL_2020 },
  'nouns-remembered-best': { title: 'Nouns have the largest σ₁ over delays τ ≥ 1 among parts of speech', source: CSL_2020 },
  'rare-remembered-longer': { title: 'Low-frequency words decay more slowly than high-frequency words', source: CSL_2020 },
  'gradient-matches-behaviour': {
    title: 'What the state remembers fades with what the predictions use: σ₁(τ) and Δ(τ) fall below 10 % within ±2 delays',
    source: 'Khandelwal, He, Qi & Jurafsky 2018, "Sharp Nearby, Fuzzy Far Away", ACL (context ablation), beside the state gradients',
  },
};

/** The class set of parts of speech, and its classes that are not parts of speech. */
export const POS_SET = 'upos';
const NOT_POS = new Set(['.', 'X']);
export const NOUN_CLASS = 'NOUN';
export const PRONOUN_CLASS = 'PRON';
/** The frequency class set and its bands, most frequent first (main/engine/corpus/frequency-class-set.ts). */
export const FREQUENCY_SET = 'frequency';
export const FREQUENCY_BAND_ORDER = ['freq-1-100', 'freq-101-1000', 'freq-1001-5000', 'freq-5001-10000', 'freq-10001+'] as const;
/** The built-in properties compared by sgpl-then-cmpr (main/engine/analysis/properties.ts). */
export const SGPL = 'sg-pl';
export const CMPR = 'common-proper';

type Numbers = Record<string, number | null>;
type Outcome = Omit<Finding, 'id' | 'title' | 'source'>;
type Comparison = 'above' | 'below' | 'within';

/** Three significant digits, exponent notation for the very small or large. */
export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a < 1e-3 || a >= 1e5) return x.toExponential(2).replace('e+', 'e');
  return String(Number(x.toPrecision(3)));
}

/** a − b against 2·se: above (a > b by more than 2 SE), below (b > a by more than 2 SE), or within. */
export function compare2se(diff: number, se: number): Comparison {
  if (diff > 2 * se) return 'above';
  if (-diff > 2 * se) return 'below';
  return 'within';
}

/** Three-valued AND: false if any is false, else null if any is null, else true. */
export function allOf(values: readonly (boolean | null)[]): boolean | null {
  if (values.includes(false)) return false;
  if (values.includes(null)) return null;
  return true;
}

const asTruth = (c: Comparison): boolean | null => (c === 'above' ? true : c === 'below' ? false : null);

/** Ranks 1..n, ties sharing their mean rank. */
function ranks(x: readonly number[]): number[] {
  const order = x.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(x.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) r[order[k][1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

/** Spearman's rank correlation (Pearson's of the ranks, ties averaged); 0 when either side is constant; null with < 3 points. */
export function spearman(x: readonly number[], y: readonly number[]): number | null {
  const n = x.length;
  if (n < 3 || y.length !== n) return null;
  const rx = ranks(x);
  const ry = ranks(y);
  const mean = (n + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (rx[i] - mean) * (ry[i] - mean);
    sxx += (rx[i] - mean) ** 2;
    syy += (ry[i] - mean) ** 2;
  }
  return sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy);
}

/** The SE of a difference of two quantities from the same K groups, as the tests use it. */
const seOfDifference = (a: number, b: number) => Math.sqrt(a * a + b * b);

/** Delta-method SE of a ratio a/b, leaving out the covariance of a and b. */
export function ratioSe(a: number, seA: number, b: number, seB: number): number {
  return Math.sqrt((seA / b) ** 2 + ((a * seB) / (b * b)) ** 2);
}

/** What every test reads from the run. */
class RunView {
  readonly D: number;
  readonly K: number | null;
  readonly version: number;
  private readonly byTau = new Map<number, DelaySummary>();

  constructor(readonly record: RunRecord) {
    for (const d of record.summary.delays) this.byTau.set(d.tau, d);
    // D: the largest delay with every delay 0..D present (a valid run has them all).
    let D = -1;
    while (this.byTau.has(D + 1)) D++;
    this.D = D;
    this.K = record.summary.groups;
    this.version = record.summary.analysisVersion;
  }

  at(tau: number): DelaySummary {
    const d = this.byTau.get(tau);
    if (!d) throw new MissingDelay(tau);
    return d;
  }

  /** The classes of one set, as the run names them. */
  classesOf(set: string): RunClass[] {
    return this.record.config.classes.filter((c) => c.set === set);
  }

  /** Source pairs of a class at τ; null when the run does not record them. */
  pairs(name: string, tau: number): number | null {
    return this.record.counts.classPairs[name]?.[tau] ?? null;
  }

  hasSet(set: string): boolean {
    return this.record.config.classSets.includes(set) || this.classesOf(set).length > 0;
  }

  /** Why a group statistic is missing: an old run, no groups, or not recorded. */
  missing(what: string): string {
    if (this.version < 2) return `${what}: not in this run, which was made before analysis version 2 recorded them; re-running the sweep fixes this`;
    if (this.K === null) return `${what}: the run has no standard errors (fewer than 2 groups, K < 2); re-run the sweep with 2 or more groups`;
    return `${what}: not recorded in this run; re-running the sweep fixes this`;
  }

  get kText(): string {
    return this.K === null ? 'K' : `K = ${this.K}`;
  }
}

class MissingDelay extends Error {
  constructor(readonly tau: number) {
    super(`delay ${tau} is missing from the run summary`);
  }
}

const cannot = (test: string, reason: string, numbers: Numbers = {}, detail = ''): Outcome => ({
  holds: null,
  reason,
  detail,
  test,
  numbers,
});

const decided = (test: string, holds: boolean, detail: string, numbers: Numbers): Outcome => ({ holds, reason: null, detail, test, numbers });

const tooFewDelays = (test: string, v: RunView, need: number) =>
  cannot(test, `the run's largest delay is ${v.D}; this test needs delays up to ${need} (sweep with --max-delay ${need} or more)`);

const SE_NOTE = 'SE of a difference √(SE_a² + SE_b²) (conservative: the summary keeps no paired group values)';

function svDecayFast(v: RunView): Outcome {
  const test = 'σ₁(5) ≤ ½·σ₁(0) and Σσ(5) ≤ ½·Σσ(0) (full-data values)';
  if (v.D < 5) return tooFewDelays(test, v, 5);
  const [d0, d5] = [v.at(0), v.at(5)];
  const a = d0.sigma1 > 0 ? d5.sigma1 / d0.sigma1 : null;
  const b = d0.sum > 0 ? d5.sum / d0.sum : null;
  const numbers: Numbers = { 'sigma1@0': d0.sigma1, 'sigma1@5': d5.sigma1, 'sigma1@5/sigma1@0': a, 'sum@0': d0.sum, 'sum@5': d5.sum, 'sum@5/sum@0': b };
  if (a === null || b === null) return cannot(test, 'σ₁(0) is 0: the state does not depend on the input at delay 0', numbers);
  const holds = a <= 0.5 && b <= 0.5;
  const failed = [a > 0.5 ? 'σ₁' : '', b > 0.5 ? 'Σσ' : ''].filter(Boolean).join(' and ');
  const detail = `σ₁(5)/σ₁(0) = ${fmt(a)} and Σσ(5)/Σσ(0) = ${fmt(b)}: ${holds ? 'both at most ½' : `${failed} kept more than ½`}`;
  return decided(test, holds, detail, numbers);
}

function memoryAfter20(v: RunView): Outcome {
  const { hidden: H, embedding: E } = v.record.summary.shape;
  const test =
    `σ₁(20) > 2·(√H + √E)·s̄ with H = ${H}, E = ${E}; s̄ is the RMS of the per-entry SEs of Ḡ₂₀ over the ${v.kText} groups, ` +
    'and (√H + √E)·s̄ is σ₁ of an H×E matrix of pure noise of that size';
  if (v.D < 20) return tooFewDelays(test, v, 20);
  const d = v.at(20);
  const numbers: Numbers = { 'sigma1@20': d.sigma1, 'noiseFloor@20': d.noiseFloor, H, E };
  if (d.noiseFloor === null) return cannot(test, v.missing('the noise floor s̄ of Ḡ₂₀'), numbers);
  const noise = (Math.sqrt(H) + Math.sqrt(E)) * d.noiseFloor;
  const ratio = noise > 0 ? d.sigma1 / noise : null;
  Object.assign(numbers, { 'noiseSigma1@20': noise, threshold: 2 * noise, 'sigma1@20/noiseSigma1@20': ratio });
  const holds = d.sigma1 > 2 * noise;
  const detail = holds
    ? `σ₁(20) = ${fmt(d.sigma1)} is ${ratio === null ? 'above' : `${fmt(ratio)} times`} the noise level ${fmt(noise)}`
    : `σ₁(20) = ${fmt(d.sigma1)} is within twice the noise level ${fmt(noise)}: no memory detectable at τ = 20`;
  return decided(test, holds, detail, numbers);
}

function selectivityIncreases(v: RunView): Outcome {
  const T = Math.min(v.D, 20);
  const test =
    `σ₁/Σσ(${T}) − σ₁/Σσ(0) > 2·SE and top-5/Σσ(${T}) − top-5/Σσ(0) > 2·SE (τ = min(D, 20); SE over the ${v.kText} groups, ${SE_NOTE}); ` +
    `and Spearman's ρ of each ratio with τ over τ = 0..${v.D} > 0.5`;
  if (v.D < 2) return tooFewDelays(test, v, 2);
  const numbers: Numbers = {};
  const parts: { label: string; key: 'ratio1' | 'ratio5'; rise: Comparison | null; rho: number | null; diff: number | null; se: number | null }[] = [];
  for (const [key, label] of [
    ['ratio1', 'σ₁/Σσ'],
    ['ratio5', 'top-5/Σσ'],
  ] as const) {
    const points = v.record.summary.delays.filter((d) => d[key] !== null);
    const rho = spearman(
      points.map((d) => d.tau),
      points.map((d) => d[key] as number),
    );
    const [r0, rT] = [v.at(0)[key], v.at(T)[key]];
    const [s0, sT] = [v.at(0).se?.[key]?.se ?? null, v.at(T).se?.[key]?.se ?? null];
    const diff = r0 !== null && rT !== null ? rT - r0 : null;
    const se = s0 !== null && sT !== null ? seOfDifference(s0, sT) : null;
    Object.assign(numbers, {
      [`${key}@0`]: r0,
      [`${key}@${T}`]: rT,
      [`${key}.se@0`]: s0,
      [`${key}.se@${T}`]: sT,
      [`${key}.rise`]: diff,
      [`${key}.rise.se`]: se,
      [`${key}.spearman`]: rho,
    });
    parts.push({ label, key, rise: diff !== null && se !== null ? compare2se(diff, se) : null, rho, diff, se });
  }
  const undefinedAt = parts.find((p) => p.diff === null);
  if (undefinedAt) return cannot(test, `${undefinedAt.label} is undefined at τ = 0 or ${T} (Σσ = 0 there)`, numbers);
  if (parts.some((p) => p.se === null)) {
    const rhos = parts.map((p) => `ρ(${p.label}) = ${fmt(p.rho)}`).join(', ');
    return cannot(test, v.missing('the SEs of σ₁/Σσ and top-5/Σσ'), numbers, `without SEs only the rank correlations are known: ${rhos}`);
  }
  const holds = allOf(parts.flatMap((p) => [asTruth(p.rise as Comparison), p.rho !== null ? p.rho > 0.5 : null]));
  const describe = (p: (typeof parts)[number]) =>
    `${p.label} ${p.diff! >= 0 ? 'rises' : 'falls'} by ${fmt(Math.abs(p.diff!))} (2 SE = ${fmt(2 * p.se!)}), ρ = ${fmt(p.rho)}`;
  const detail = parts.map(describe).join('; ');
  if (holds === null) {
    const within = parts.filter((p) => p.rise === 'within').map((p) => p.label);
    return cannot(test, `SE too large: the change of ${within.join(' and ')} from τ = 0 to ${T} is within 2 SE`, numbers, detail);
  }
  return decided(test, holds, detail, numbers);
}

interface PosView {
  /** the parts of speech the run accumulated, with their run names */
  pos: RunClass[];
  target: RunClass;
}

/** The run's parts of speech and one of them, or why they are not there. */
function partsOfSpeech(v: RunView, target: string): PosView | string {
  if (!v.hasSet(POS_SET)) {
    return `the run has no class set '${POS_SET}' (universal parts of speech): sweep a corpus with part-of-speech tags with that class set`;
  }
  const pos = v.classesOf(POS_SET).filter((c) => !NOT_POS.has(c.class));
  const found = pos.find((c) => c.class === target);
  if (!found) return `the run has no class ${target} in '${POS_SET}' (none of its words is in the model's vocabulary)`;
  if (pos.length < 2) return `the run has no part of speech besides ${target}`;
  return { pos, target: found };
}

function pronounLargestAt0(v: RunView): Outcome {
  const test = `σ₁(0) of ${PRONOUN_CLASS} − σ₁(0) of every other part of speech (the '${POS_SET}' classes but '.' and X) > 2·SE; SE over the ${v.kText} groups, ${SE_NOTE}`;
  const found = partsOfSpeech(v, PRONOUN_CLASS);
  if (typeof found === 'string') return cannot(test, found);
  const d0 = v.at(0);
  const numbers: Numbers = {};
  const rows = found.pos.map((c) => {
    const sigma1 = d0.classes[c.name]?.sigma1 ?? null;
    const se = d0.classSe[c.name]?.sigma1?.se ?? null;
    numbers[`${c.class}.sigma1@0`] = sigma1;
    numbers[`${c.class}.se@0`] = se;
    return { c, sigma1, se, pairs: v.pairs(c.name, 0) };
  });
  const pron = rows.find((r) => r.c === found.target)!;
  if (pron.pairs === 0 || pron.sigma1 === null) return cannot(test, `no ${PRONOUN_CLASS} token in the analysed text`, numbers);
  // A part of speech with no token in the text has nothing to compare.
  const others = rows.filter((r) => r !== pron && r.pairs !== 0 && r.sigma1 !== null);
  if (others.length === 0) return cannot(test, `no other part of speech has a token in the analysed text`, numbers);
  const largest = others.reduce((a, b) => (b.sigma1! > a.sigma1! ? b : a));
  const pointDetail = `${PRONOUN_CLASS} ${fmt(pron.sigma1)}; largest other ${largest.c.class} ${fmt(largest.sigma1)}`;
  if (Object.keys(d0.classSe).length === 0) return cannot(test, v.missing('per-class SEs'), numbers, `point estimates at τ = 0: ${pointDetail}`);
  const noSe = [pron, ...others].filter((r) => r.se === null).map((r) => r.c.class);
  if (noSe.length) {
    return cannot(test, `too few tokens of ${noSe.join(', ')} for a standard error at τ = 0 (fewer than 2 of the K groups have one)`, numbers, pointDetail);
  }
  const compared = others.map((r) => ({ r, diff: pron.sigma1! - r.sigma1!, se: seOfDifference(pron.se!, r.se!) }));
  for (const x of compared) numbers[`${PRONOUN_CLASS}-${x.r.c.class}.se`] = x.se;
  const below = compared.filter((x) => compare2se(x.diff, x.se) === 'below');
  const within = compared.filter((x) => compare2se(x.diff, x.se) === 'within');
  if (below.length) {
    const names = below.map((x) => `${x.r.c.class} (${fmt(x.r.sigma1)})`).join(', ');
    return decided(test, false, `at τ = 0, ${names} exceed${below.length === 1 ? 's' : ''} ${PRONOUN_CLASS} (${fmt(pron.sigma1)}) by more than 2 SE`, numbers);
  }
  if (within.length) {
    const names = within.map((x) => `${x.r.c.class} (${fmt(x.r.sigma1)}, 2 SE of the difference ${fmt(2 * x.se)})`).join(', ');
    return cannot(test, `SE too large: ${PRONOUN_CLASS} (${fmt(pron.sigma1)}) and ${names} differ by less than 2 SE`, numbers, pointDetail);
  }
  return decided(test, true, `at τ = 0, ${PRONOUN_CLASS} (${fmt(pron.sigma1)}) exceeds every other part of speech by more than 2 SE; next: ${largest.c.class} ${fmt(largest.sigma1)}`, numbers);
}

function propertiesDropEarly(v: RunView): Outcome {
  const test = 'for every property of the run: mean of m over τ = 3..5 ≤ 0.8·max(m(0), m(1)), and the same for cos(d, H₅) (full-data values)';
  const names = v.record.summary.properties.map((p) => p.name);
  if (names.length === 0) return cannot(test, 'the run has no properties (the default sg-pl and common-proper need the class set paper)');
  if (v.D < 5) return tooFewDelays(test, v, 5);
  const numbers: Numbers = {};
  const failures: string[] = [];
  const ratios: string[] = [];
  for (const name of names) {
    for (const [label, key, get] of [
      ['m', 'm', (d: DelaySummary) => d.properties[name]?.m ?? null],
      ['cos(d, H₅)', 'cos5', (d: DelaySummary) => d.properties[name]?.cos[4] ?? null],
    ] as const) {
      const values = [0, 1, 2, 3, 4, 5].map((t) => get(v.at(t)));
      const missingAt = values.findIndex((x) => x === null);
      if (missingAt >= 0) {
        const why = key === 'm' ? 'σ₁ is 0 there' : 'the run kept fewer than 5 singular vectors';
        return cannot(test, `${label} of property ${name} is undefined at τ = ${missingAt} (${why})`, numbers);
      }
      const x = values as number[];
      const early = Math.max(x[0], x[1]);
      const late = (x[3] + x[4] + x[5]) / 3;
      const ratio = early > 0 ? late / early : null;
      Object.assign(numbers, { [`${name}.${key}.early`]: early, [`${name}.${key}.late`]: late, [`${name}.${key}.late/early`]: ratio });
      ratios.push(`${name} ${label} ${fmt(ratio)}`);
      if (!(late <= 0.8 * early)) failures.push(`${name} ${label} keeps ${fmt(ratio)} of max(τ = 0, 1) over τ = 3..5`);
    }
  }
  if (failures.length) return decided(test, false, `no sharp drop: ${failures.join('; ')}`, numbers);
  return decided(test, true, `mean over τ = 3..5 relative to max(τ = 0, 1): ${ratios.join(', ')} (all ≤ 0.8)`, numbers);
}

function sgplThenCmpr(v: RunView): Outcome {
  const test =
    `m(${SGPL}) − m(${CMPR}) > 2·SE at τ = 0, and m(${CMPR}) − m(${SGPL}) > 2·SE at more than half of τ = 1..${v.D}; ` +
    `SE over the ${v.kText} groups, ${SE_NOTE}`;
  const have = new Set(v.record.summary.properties.map((p) => p.name));
  const absent = [SGPL, CMPR].filter((p) => !have.has(p));
  if (absent.length) return cannot(test, `the run has no property ${absent.join(' or ')} (the built-ins need the class set paper)`);
  if (v.D < 1) return tooFewDelays(test, v, 1);
  const m = (p: string, t: number) => v.at(t).properties[p]?.m ?? null;
  const se = (p: string, t: number) => v.at(t).properties[p]?.mSe?.se ?? null;
  const numbers: Numbers = {
    [`${SGPL}.m@0`]: m(SGPL, 0),
    [`${CMPR}.m@0`]: m(CMPR, 0),
    [`${SGPL}.mSe@0`]: se(SGPL, 0),
    [`${CMPR}.mSe@0`]: se(CMPR, 0),
  };
  if (numbers[`${SGPL}.m@0`] === null || numbers[`${CMPR}.m@0`] === null) return cannot(test, 'm is undefined at τ = 0 (σ₁ is 0 there)', numbers);
  if (numbers[`${SGPL}.mSe@0`] === null || numbers[`${CMPR}.mSe@0`] === null) return cannot(test, v.missing('the SEs of m'), numbers);
  const diff0 = m(SGPL, 0)! - m(CMPR, 0)!;
  const se0 = seOfDifference(se(SGPL, 0)!, se(CMPR, 0)!);
  const first = compare2se(diff0, se0);
  let later = 0;
  let sgplLater = 0;
  let unclear = 0;
  for (let t = 1; t <= v.D; t++) {
    const [a, b, sa, sb] = [m(CMPR, t), m(SGPL, t), se(CMPR, t), se(SGPL, t)];
    const c = a === null || b === null || sa === null || sb === null ? 'within' : compare2se(a - b, seOfDifference(sa, sb));
    if (c === 'above') later++;
    else if (c === 'below') sgplLater++;
    else unclear++;
  }
  Object.assign(numbers, {
    'difference@0': diff0,
    'difference.se@0': se0,
    'delays.cmpr-above': later,
    'delays.sgpl-above': sgplLater,
    'delays.within-2se': unclear,
    'delays.later': v.D,
  });
  const half = v.D / 2;
  const laterTruth = later > half ? true : later + unclear <= half ? false : null;
  const holds = allOf([asTruth(first), laterTruth]);
  const at0 =
    first === 'above'
      ? `at τ = 0 ${SGPL} (${fmt(m(SGPL, 0))}) > ${CMPR} (${fmt(m(CMPR, 0))}) by more than 2 SE`
      : first === 'below'
        ? `at τ = 0 ${CMPR} (${fmt(m(CMPR, 0))}) > ${SGPL} (${fmt(m(SGPL, 0))}) by more than 2 SE`
        : `at τ = 0 ${SGPL} ${fmt(m(SGPL, 0))} and ${CMPR} ${fmt(m(CMPR, 0))} are within 2 SE (${fmt(2 * se0)})`;
  const detail = `${at0}; over τ = 1..${v.D}, ${CMPR} is above by more than 2 SE at ${later}, ${SGPL} at ${sgplLater}, within 2 SE at ${unclear}`;
  if (holds === null) {
    const why =
      first === 'within'
        ? `the difference of m at τ = 0 is within 2 SE`
        : `at ${unclear} of the ${v.D} later delays the difference is within 2 SE, too many to tell whether ${CMPR} is above at more than half`;
    return cannot(test, `SE too large: ${why}`, numbers, detail);
  }
  return decided(test, holds, detail, numbers);
}

const MODEL_NAMES: Record<string, string> = { exponential: 'one exponential', 'two-exponentials': 'two exponentials', 'power-law': 'a power law' };

function decayNotExponential(v: RunView): Outcome {
  const models = v.record.summary.decayModels?.sigma1 ?? null;
  const range = models ? `τ = ${models.from}..${models.to}${models.weighted ? ', weighted by the group SEs' : ''}` : 'τ ≥ 1';
  const test =
    `the decay model of σ₁(τ) with the lowest AIC among one exponential, two exponentials and a power law (fitted for ${range}; ` +
    'a fit with a rate at the cap of 10/token only fits one delay and is not chosen) is not the single exponential';
  if (!models) return cannot(test, v.version < 2 ? v.missing('the decay models of σ₁') : 'the run has no decay models of σ₁');
  const numbers: Numbers = {};
  for (const f of models.fits) Object.assign(numbers, { [`${f.model}.aic`]: f.aic, [`${f.model}.r2`]: f.r2 });
  if (models.chosen === null) return cannot(test, 'no decay model could be fitted to σ₁(τ) (too few delays with σ₁ > 0)', numbers);
  const chosen = models.fits.find((f) => f.model === models.chosen);
  const exp = models.fits.find((f) => f.model === 'exponential');
  const name = MODEL_NAMES[models.chosen];
  const holds = models.chosen !== 'exponential';
  let detail: string;
  if (holds) {
    const gap = exp?.aic != null && chosen?.aic != null ? exp.aic - chosen.aic : null;
    numbers['aic.exponential-chosen'] = gap;
    detail = `${name} fits best (AIC ${fmt(chosen?.aic)}, R² ${fmt(chosen?.r2)}); one exponential: AIC ${fmt(exp?.aic)}, R² ${fmt(exp?.r2)}`;
  } else {
    const eligible = (f: (typeof models.fits)[number]) => f.model !== 'exponential' && f.aic !== null;
    const next = models.fits.filter((f) => eligible(f) && !f.atRateCap).sort((a, b) => a.aic! - b.aic!)[0];
    const capped = models.fits.filter((f) => eligible(f) && f.atRateCap);
    numbers['aic.next-exponential'] = next && exp?.aic != null ? next.aic! - exp.aic : null;
    detail =
      `one exponential fits best (AIC ${fmt(exp?.aic)}, R² ${fmt(exp?.r2)})${next ? `; next: ${MODEL_NAMES[next.model]} (AIC ${fmt(next.aic)})` : ''}` +
      capped.map((f) => `; ${MODEL_NAMES[f.model]} (AIC ${fmt(f.aic)}) only fits the first delay with a rate at the cap, and is not chosen`).join('');
  }
  return decided(test, holds, detail, numbers);
}

function nounsRememberedBest(v: RunView): Outcome {
  const test = `the mean of σ₁ over τ = 1..${v.D} is largest for ${NOUN_CLASS} among the parts of speech (the '${POS_SET}' classes but '.' and X; full-data values)`;
  const found = partsOfSpeech(v, NOUN_CLASS);
  if (typeof found === 'string') return cannot(test, found);
  if (v.D < 1) return tooFewDelays(test, v, 1);
  const numbers: Numbers = {};
  const means: { c: RunClass; mean: number; pairs: number | null }[] = [];
  for (const c of found.pos) {
    let sum = 0;
    let pairs: number | null = 0;
    for (let t = 1; t <= v.D; t++) {
      const s = v.at(t).classes[c.name];
      if (!s) return cannot(test, `class ${c.class} has no spectrum at τ = ${t} in the run summary`, numbers);
      sum += s.sigma1;
      const p = v.pairs(c.name, t);
      pairs = pairs === null || p === null ? null : pairs + p;
    }
    means.push({ c, mean: sum / v.D, pairs });
    numbers[`${c.class}.sigma1@1..${v.D}`] = sum / v.D;
  }
  const noun = means.find((x) => x.c === found.target)!;
  if (noun.pairs === 0) return cannot(test, `no ${NOUN_CLASS} token in the analysed text`, numbers);
  const others = means.filter((x) => x !== noun).sort((a, b) => b.mean - a.mean);
  const best = others[0];
  const holds = noun.mean > best.mean;
  const detail = holds
    ? `${NOUN_CLASS} ${fmt(noun.mean)}; next: ${best.c.class} ${fmt(best.mean)}`
    : `${best.c.class} has the largest mean σ₁ (${fmt(best.mean)}); ${NOUN_CLASS} ${fmt(noun.mean)}`;
  return decided(test, holds, detail, numbers);
}

function rareRememberedLonger(v: RunView): Outcome {
  const baseTest = (low: string) =>
    `σ₁(10)/σ₁(1) of the lowest-frequency band (${low}) − that of the highest (freq-1-100) > 2·SE; each retention's SE by the delta method, ` +
    '√((SE(σ₁(10))/σ₁(1))² + (σ₁(10)·SE(σ₁(1))/σ₁(1)²)²), leaving out the covariance of σ₁(1) and σ₁(10) (positive across the groups, ' +
    `so the SE comes out too large: conservative); SE over the ${v.kText} groups, ${SE_NOTE}`;
  let test = baseTest('the rarest band with tokens');
  if (!v.hasSet(FREQUENCY_SET)) {
    return cannot(test, `the run has no class set '${FREQUENCY_SET}' (frequency bands): sweep with it (every corpus gets it when next opened)`);
  }
  if (v.D < 10) return tooFewDelays(test, v, 10);
  const bands = FREQUENCY_BAND_ORDER.map((b) => v.classesOf(FREQUENCY_SET).find((c) => c.class === b)).filter(
    (c): c is RunClass => c !== undefined && v.pairs(c.name, 1) !== 0 && v.pairs(c.name, 10) !== 0,
  );
  const high = bands.find((c) => c.class === FREQUENCY_BAND_ORDER[0]);
  if (!high) return cannot(test, `the run has no token of the band ${FREQUENCY_BAND_ORDER[0]} at τ = 1 and 10`);
  const low = bands[bands.length - 1];
  if (low === high) return cannot(test, 'only one frequency band has tokens in the analysed text at τ = 1 and 10');
  test = baseTest(low.class);
  const numbers: Numbers = {};
  const band = (c: RunClass) => {
    const [s1, s10] = [v.at(1).classes[c.name]?.sigma1 ?? null, v.at(10).classes[c.name]?.sigma1 ?? null];
    const [e1, e10] = [v.at(1).classSe[c.name]?.sigma1?.se ?? null, v.at(10).classSe[c.name]?.sigma1?.se ?? null];
    const retention = s1 !== null && s10 !== null && s1 > 0 ? s10 / s1 : null;
    const se = retention !== null && e1 !== null && e10 !== null ? ratioSe(s10 as number, e10, s1 as number, e1) : null;
    Object.assign(numbers, {
      [`${c.class}.sigma1@1`]: s1,
      [`${c.class}.sigma1@10`]: s10,
      [`${c.class}.se@1`]: e1,
      [`${c.class}.se@10`]: e10,
      [`${c.class}.retention`]: retention,
      [`${c.class}.retention.se`]: se,
    });
    return { c, retention, se, s1 };
  };
  const [lo, hi] = [band(low), band(high)];
  const noRetention = [lo, hi].find((b) => b.retention === null);
  if (noRetention) return cannot(test, `σ₁(1) of ${noRetention.c.class} is 0 or missing: no retention to compare`, numbers);
  const pointDetail = `retention σ₁(10)/σ₁(1): ${low.class} ${fmt(lo.retention)}, ${high.class} ${fmt(hi.retention)}`;
  if (lo.se === null || hi.se === null) {
    const noSe = Object.keys(v.at(1).classSe).length === 0 ? v.missing('per-class SEs') : `too few tokens of ${[lo, hi].filter((b) => b.se === null).map((b) => b.c.class).join(' and ')} for a standard error at τ = 1 or 10`;
    return cannot(test, noSe, numbers, pointDetail);
  }
  const diff = lo.retention! - hi.retention!;
  const se = seOfDifference(lo.se, hi.se);
  Object.assign(numbers, { difference: diff, 'difference.se': se });
  const c = compare2se(diff, se);
  const detail = `${pointDetail}; difference ${fmt(diff)}, 2 SE = ${fmt(2 * se)}`;
  if (c === 'within') return cannot(test, 'SE too large: the retentions of the two bands differ by less than 2 SE', numbers, detail);
  return decided(test, c === 'above', detail, numbers);
}

const CHECKS: Record<(typeof FINDING_IDS)[number], (v: RunView) => Outcome> = {
  'sv-decay-fast': svDecayFast,
  'memory-after-20': memoryAfter20,
  'selectivity-increases': selectivityIncreases,
  'pronoun-largest-at-0': pronounLargestAt0,
  'properties-drop-early': propertiesDropEarly,
  'sgpl-then-cmpr': sgplThenCmpr,
  'decay-not-exponential': decayNotExponential,
  'nouns-remembered-best': nounsRememberedBest,
  'rare-remembered-longer': rareRememberedLonger,
};

/** What a reader of the check must know when the analysed layer is not an LSTM, or null for an LSTM. */
export function cellCaveat(cell: Cell): string | null {
  if (cell === 'lstm') return null;
  return (
    `This run analyses a ${CELL_LABELS[cell]} layer. The published findings were made on LSTM language models: the expected values ` +
    `come from an LSTM, so an answer here says how this ${CELL_LABELS[cell]} compares with those LSTMs, not whether the papers are right.`
  );
}

/** Every finding, in the order of FINDING_IDS, for one run. */
/** The findings of a sweep, then the rows that need an ablation of the same model, corpus and split beside it. */
export function checkFindingsWithAblation(record: RunRecord, ablation: AblationRecord): RunFindings {
  const own = checkFindings(record);
  const id = 'gradient-matches-behaviour';
  const row: Finding = { id, ...FINDING_INFO[id], ...gradientMatchesBehaviour(record, ablation) };
  return { ...own, findings: [...own.findings, row], ablation: ablation.id };
}

export function checkFindings(record: RunRecord): RunFindings {
  const v = new RunView(record);
  const findings = FINDING_IDS.map((id): Finding => {
    let outcome: Outcome;
    try {
      outcome = CHECKS[id](v);
    } catch (err) {
      if (!(err instanceof MissingDelay)) throw err;
      const test = 'the test reads delays the run summary does not have (see the README, "Checking a run against the paper")';
      outcome = cannot(test, `delay ${err.tau} is missing from the run summary, which should hold every delay 0..${record.config.maxDelay}`);
    }
    return { id, ...FINDING_INFO[id], ...outcome };
  });
  const cell = analysedCell(record);
  return { run: record.id, analysisVersion: record.summary.analysisVersion, cell, caveat: cellCaveat(cell), findings };
}
