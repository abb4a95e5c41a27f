// Synthetic run records for the findings tests: every curve the findings check reads is
// given as a function of τ, so a test can build a run that satisfies or violates a finding
// on purpose. `paperLikeRun()` agrees with every finding (the shape the papers report); the
// options replace one curve at a time. The result is validated with the run.json schema.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { openProject } from '../../../main/engine/project';
import { RunRecordSchema, type RunRecord } from '../../../shared/schemas/run';
import type { DecayModelName, DelaySummary } from '../../../shared/schemas/run-summary';

type Curve = (t: number) => number;
type MaybeCurve = (t: number) => number | null;

export interface ClassCurve {
  sigma1: Curve;
  /** SE of σ₁ at τ; null = no SE (too few groups with a pair) */
  se?: MaybeCurve;
  /** source pairs at τ (default 100) */
  pairs?: Curve;
  /** word types in the vocabulary (default 10) */
  types?: number;
}

export interface PropertyCurve {
  m: MaybeCurve;
  mSe?: MaybeCurve;
  /** cos(d, H₅) */
  cos5: Curve;
}

export interface FixtureSpec {
  id?: string;
  maxDelay?: number;
  /** K; null = no groups */
  groups?: number | null;
  analysisVersion?: 1 | 2;
  hidden?: number;
  embedding?: number;
  sigma1?: Curve;
  sigma1Se?: Curve;
  ratio1?: Curve;
  ratio5?: Curve;
  ratioSe?: Curve;
  /** s̄ of Ḡ_τ */
  noiseFloor?: Curve;
  /** class set → class → curve */
  classSets?: Record<string, Record<string, ClassCurve>>;
  properties?: Record<string, PropertyCurve>;
  /** the chosen decay model of σ₁; null: none fitted; undefined key in `decay: false`: no decay models at all */
  decayChosen?: DecayModelName | null;
  decayModels?: boolean;
}

const sigmaPaper: Curve = (t) => (t === 0 ? 3 : 2 * t ** -1.2);
const ratio1Paper: Curve = (t) => 0.08 + (0.25 * t) / (t + 3);
const ratio5Paper: Curve = (t) => Math.min(0.95, 0.34 + (0.5 * t) / (t + 3));

/** Parts of speech: PRON largest at τ = 0, NOUN largest over τ ≥ 1; '.' and X larger still, to show they are left out. */
export const PAPER_UPOS: Record<string, ClassCurve> = {
  NOUN: { sigma1: (t) => (t === 0 ? 4 : 1.5 * sigmaPaper(t)), se: () => 0.05 },
  VERB: { sigma1: (t) => (t === 0 ? 3 : 1.0 * sigmaPaper(t)), se: () => 0.05 },
  PRON: { sigma1: (t) => (t === 0 ? 5 : 0.8 * sigmaPaper(t)), se: () => 0.05 },
  ADJ: { sigma1: (t) => (t === 0 ? 2 : 0.7 * sigmaPaper(t)), se: () => 0.05 },
  '.': { sigma1: (t) => (t === 0 ? 6 : 2 * sigmaPaper(t)), se: () => 0.05 },
  X: { sigma1: (t) => (t === 0 ? 7 : 3 * sigmaPaper(t)), se: () => 0.05 },
};

const band = (a: number, k: number): ClassCurve => ({ sigma1: (t) => a * Math.exp(-k * t), se: (t) => 0.02 * a * Math.exp(-k * t) });

/** Frequency bands: the rarer, the slower the decay; freq-10001+ has no token, freq-unk the slowest decay (both must be ignored). */
export const PAPER_FREQUENCY: Record<string, ClassCurve> = {
  'freq-1-100': band(3, 0.3),
  'freq-101-1000': band(2.5, 0.2),
  'freq-1001-5000': band(2, 0.1),
  'freq-5001-10000': band(1.5, 0.05),
  'freq-10001+': { ...band(1, 0.01), pairs: () => 0 },
  'freq-unk': band(1, 0.001),
};

export const PAPER_PROPERTIES: Record<string, PropertyCurve> = {
  'sg-pl': { m: (t) => (t === 0 ? 0.83 : t === 1 ? 0.7 : 0.35), mSe: () => 0.01, cos5: (t) => (t <= 1 ? 0.9 : 0.5) },
  'common-proper': { m: (t) => (t === 0 ? 0.78 : t === 1 ? 0.75 : 0.45), mSe: () => 0.01, cos5: (t) => (t <= 1 ? 0.9 : 0.5) },
};

const se = (value: number, s: number | null, groups: number) => (s === null ? null : { mean: value, sd: s * Math.sqrt(groups), se: s, groups });

export function fixtureRun(spec: FixtureSpec = {}): RunRecord {
  const D = spec.maxDelay ?? 30;
  const K = spec.groups === undefined ? 10 : spec.groups;
  const version = spec.analysisVersion ?? 2;
  const H = spec.hidden ?? 256;
  const E = spec.embedding ?? 64;
  const sigma1 = spec.sigma1 ?? sigmaPaper;
  const sigma1Se = spec.sigma1Se ?? ((t: number) => 0.01 * sigma1(t));
  const ratio1 = spec.ratio1 ?? ratio1Paper;
  const ratio5 = spec.ratio5 ?? ratio5Paper;
  const ratioSe = spec.ratioSe ?? (() => 0.005);
  const noiseFloor = spec.noiseFloor ?? (() => 0.0005);
  const sets = spec.classSets ?? { upos: PAPER_UPOS, frequency: PAPER_FREQUENCY };
  const props = spec.properties ?? PAPER_PROPERTIES;
  const v2 = version === 2;
  const withSe = K !== null;

  const classes = Object.entries(sets).flatMap(([set, cs]) => Object.entries(cs).map(([cls, c]) => ({ name: cls, set, class: cls, types: c.types ?? 10, curve: c })));
  const delays: DelaySummary[] = [];
  for (let t = 0; t <= D; t++) {
    const s1 = sigma1(t);
    const sum = s1 / ratio1(t);
    delays.push({
      tau: t,
      sigma1: s1,
      sum,
      ratio1: ratio1(t),
      ratio5: ratio5(t),
      topSigma: [s1, 0.5 * s1],
      se: withSe
        ? {
            sigma1: se(s1, sigma1Se(t), K),
            sum: se(sum, 0.01 * sum, K),
            ratio1: v2 ? se(ratio1(t), ratioSe(t), K) : null,
            ratio5: v2 ? se(ratio5(t), ratioSe(t), K) : null,
          }
        : null,
      noiseFloor: v2 && withSe ? noiseFloor(t) : null,
      classes: Object.fromEntries(
        classes.map((c) => {
          const cs1 = c.curve.sigma1(t);
          return [c.name, { sigma1: cs1, sum: 4 * cs1, ratio1: 0.25, ratio5: 0.8 }];
        }),
      ),
      classSe:
        v2 && withSe
          ? Object.fromEntries(
              classes.map((c) => {
                const cs1 = c.curve.sigma1(t);
                return [c.name, { sigma1: se(cs1, c.curve.se ? c.curve.se(t) : 0.01 * cs1, K), sum: se(4 * cs1, 0.04 * cs1, K) }];
              }),
            )
          : {},
      words: {},
      properties: Object.fromEntries(
        Object.entries(props).map(([name, p]) => {
          const m = p.m(t);
          const s = p.mSe ? p.mSe(t) : 0.01;
          const cos5 = p.cos5(t);
          return [
            name,
            {
              r: (m ?? 0) * s1,
              m,
              mSe: withSe && m !== null ? se(m, s, K) : null,
              cos: Array.from({ length: 10 }, (_, n) => (n === 4 ? cos5 : Math.min(1, cos5 * (0.6 + 0.1 * n)))),
            },
          ];
        }),
      ),
      aligned: [],
    });
  }
  const chosen = spec.decayChosen === undefined ? 'power-law' : spec.decayChosen;
  const aic: Record<DecayModelName, number> = { exponential: -40, 'two-exponentials': -60, 'power-law': -70 };
  if (chosen === 'exponential') aic.exponential = -90;
  const decayModels =
    spec.decayModels === false || !v2
      ? null
      : {
          sigma1: {
            from: 1,
            to: D,
            weighted: withSe,
            fits:
              chosen === null
                ? []
                : (['exponential', 'two-exponentials', 'power-law'] as const).map((model) => ({
                    model,
                    params: {},
                    parameterCount: model === 'two-exponentials' ? 4 : 2,
                    sse: 1,
                    r2: 0.9,
                    aic: aic[model],
                    atRateCap: false,
                  })),
            chosen,
            memoryLength: { threshold: 0.1, tau: 5, low: 4, high: 6, maxDelay: D, withSe },
          },
          sum: null,
        };

  const record = {
    schemaVersion: 1,
    id: spec.id ?? 'paper-like',
    model: 'lm',
    corpus: 'brown',
    split: 'test',
    created: '2026-01-02T03:04:05.678Z',
    modelShape: { vocabSize: 10000, embeddingDim: E, units: [H] },
    config: {
      split: 'test',
      state: 'c',
      layer: 1,
      layers: 1,
      maxDelay: D,
      streams: 20,
      maxTokens: null,
      sample: null,
      seed: null,
      normalize: 'none',
      groups: K ?? 1,
      workers: 2,
      classSets: Object.keys(sets),
      classes: classes.map(({ name, set, class: cls, types }) => ({ name, set, class: cls, types })),
      words: [],
      properties: Object.keys(props).map((name) => ({ name, classA: `${name}-a`, classB: `${name}-b` })),
      vectors: 10,
    },
    software: { app: '0.1.0', node: '20', versions: {}, backend: 'wasm', engine: 'gemm', kernels: 'simd', workers: 2, platform: 'linux-x64', cpus: 2 },
    timings: {
      prepareSeconds: 0,
      accumulateSeconds: 0,
      computeSeconds: 0,
      cpuSeconds: null,
      svdSeconds: 0,
      summariseSeconds: 0,
      writeSeconds: 0,
      totalSeconds: 0,
    },
    flops: { nominal: 1, gemm: 1, gflopsPerSecond: 1 },
    counts: {
      splitTokens: 100000,
      streams: 20,
      length: 5000,
      positions: 100000,
      sources: 100000,
      pairs: delays.map((d) => 100000 - 20 * d.tau),
      classPairs: Object.fromEntries(classes.map((c) => [c.name, delays.map((d) => (c.curve.pairs ? c.curve.pairs(d.tau) : 100))])),
      wordPairs: {},
      groupPairs: [],
      groupsDropped: [],
    },
    flushedValues: 0,
    arrays: [],
    warnings: [],
    summary: {
      analysisVersion: version,
      shape: { hidden: H, embedding: E, delays: D + 1, vocabulary: 10000 },
      normalisation: { kind: 'none' },
      vectors: 10,
      groups: K,
      properties: Object.keys(props).map((name) => ({
        name,
        classA: `${name}-a`,
        classB: `${name}-b`,
        listedA: 10,
        foundA: 10,
        listedB: 10,
        foundB: 10,
        missingA: [],
        missingB: [],
        overlap: 0,
        norm: 1,
        probe: null,
        probeError: null,
      })),
      decay: { sigma1: null, sum: null },
      decayModels,
      delays,
      warnings: [],
      timings: { svdSeconds: 0, totalSeconds: 0, svdCount: 0 },
    },
  };
  return RunRecordSchema.parse(record);
}

/** Against every finding: the demo model's flat σ₁, selectivity and properties; one exponential; nouns ahead only at τ = 0; frequent words kept longer. */
export const contraryRun = (id: string): RunRecord =>
  fixtureRun({
    id,
    sigma1: (t) => 7.6 - 0.12 * t,
    ratio1: () => 0.27,
    ratio5: () => 0.6,
    noiseFloor: () => 0.5,
    decayChosen: 'exponential',
    properties: {
      'sg-pl': { m: (t) => (t === 0 ? 0.83 : 0.6), cos5: () => 0.95 },
      'common-proper': { m: (t) => (t === 0 ? 0.85 : 0.39), cos5: () => 0.95 },
    },
    classSets: {
      upos: { ...PAPER_UPOS, NOUN: { sigma1: (t) => (t === 0 ? 9 : 0.1), se: () => 0.05 } },
      frequency: { ...PAPER_FREQUENCY, 'freq-5001-10000': { sigma1: (t) => 1.5 * Math.exp(-0.6 * t), se: () => 0.001 } },
    },
  });

/** Adds `record` to the project as runs/<id>/run.json (no arrays: the findings read only run.json). */
export async function writeRun(project: string, record: RunRecord): Promise<void> {
  const store = await openProject(project);
  await store.stageItem('run', record.id, (dir) => fs.writeFile(path.join(dir, 'run.json'), JSON.stringify(record)));
}

