// A small run record with known numbers, for the transform tests (not used by the app).
// σ₁(τ) = 0.1·e^{−τ/2}, Σσ(τ) = 5·σ₁(τ)·(1 + τ/10), standard errors 1 % of the value;
// classes scale σ₁ by fixed factors; m(τ) = 0.8 − 0.05τ (sg-pl) and 0.6 − 0.04τ (common-proper).
import type { Cell } from '../../../../shared/schemas/model';
import type { RunRecord } from '../../../../shared/schemas/run';
import type { DecayModelFit, DelaySummary, RunSummary } from '../../../../shared/schemas/run-summary';

export const FIXTURE_CLASSES = [
  { name: 'noun-sg', set: 'paper', class: 'noun-sg', types: 40, factor: 1.2 },
  { name: 'noun-pl', set: 'paper', class: 'noun-pl', types: 20, factor: 0.9 },
  { name: 'NOUN', set: 'upos', class: 'NOUN', types: 60, factor: 1.1 },
  { name: 'VERB', set: 'upos', class: 'VERB', types: 30, factor: 0.7 },
];

export const sigma1At = (t: number) => 0.1 * Math.exp(-t / 2);
export const sumAt = (t: number) => 5 * sigma1At(t) * (1 + t / 10);
const mAt = { 'sg-pl': (t: number) => 0.8 - 0.05 * t, 'common-proper': (t: number) => 0.6 - 0.04 * t };

export interface FixtureOptions {
  id?: string;
  model?: string;
  units?: number[];
  /** Cell per layer; absent: none recorded (a run.json from before cells, read as LSTM). */
  cells?: Cell[];
  maxDelay?: number;
  state?: 'c' | 'h';
  scale?: number;
  properties?: ('sg-pl' | 'common-proper')[];
}

/**
 * The decay models as fitDecayModels gives them for this fixture with D = 12 (checked in
 * test/unit/analysis/decay-models.test.ts): σ₁ is exactly exponential, so the exponential
 * fits to rounding error and wins the tie with two exponentials (which contain it) on fewer
 * parameters. Amplitudes scale with `scale`; with another D the numbers are kept as they are.
 */
function fixtureDecayModels(D: number, scale: number): RunSummary['decayModels'] {
  const fit = (model: DecayModelFit['model'], params: Record<string, number>, sse: number, r2: number, aic: number): DecayModelFit => ({
    model,
    params: Object.fromEntries(Object.entries(params).map(([key, v]) => [key, key.startsWith('a') ? v * scale : v])),
    parameterCount: model === 'two-exponentials' ? 4 : 2,
    sse,
    r2,
    aic,
    atRateCap: false,
  });
  const memory = (tau: number) => ({ threshold: 0.1, tau, low: tau, high: tau, maxDelay: D, withSe: true });
  return {
    sigma1: {
      from: 1,
      to: D,
      weighted: true,
      fits: [
        fit('exponential', { a: 0.1, k: 0.5 }, 8.08e-28, 1, -382.834),
        fit('two-exponentials', { a1: 0.1, k1: 0.5, a2: 0, k2: 0.304111 }, 9.09e-27, 1, -378.834),
        fit('power-law', { a: 0.0883699, p: 2.16566 }, 32337.2, 0.592587, 98.7888),
      ],
      chosen: 'exponential',
      memoryLength: memory(5),
    },
    sum: {
      from: 1,
      to: D,
      weighted: true,
      fits: [
        fit('exponential', { a: 0.537481, k: 0.437685 }, 51.9148, 0.999308, 21.5764),
        fit('two-exponentials', { a1: 0, k1: 1.47126, a2: 0.537481, k2: 0.437685 }, 51.9148, 0.999308, 25.5764),
        fit('power-law', { a: 0.487845, p: 1.89203 }, 28062.4, 0.625735, 97.0873),
      ],
      chosen: 'exponential',
      memoryLength: memory(6),
    },
  };
}

export function makeRecord(o: FixtureOptions = {}): RunRecord {
  const D = o.maxDelay ?? 12;
  const k = o.scale ?? 1;
  const props = o.properties ?? ['sg-pl', 'common-proper'];
  const stats = (s1: number, sum: number) => ({ sigma1: s1, sum, ratio1: s1 / sum, ratio5: Math.min(1, (4 * s1) / sum) });
  const se = (v: number) => ({ mean: v, sd: 0.01 * v * Math.sqrt(8), se: 0.01 * v, groups: 8 });
  const delays: DelaySummary[] = [];
  for (let t = 0; t <= D; t++) {
    const s1 = k * sigma1At(t);
    const sum = k * sumAt(t);
    delays.push({
      tau: t,
      ...stats(s1, sum),
      topSigma: [s1, 0.8 * s1, 0.6 * s1, 0.5 * s1, 0.4 * s1, 0.3 * s1],
      se: { sigma1: se(s1), sum: se(sum), ratio1: null, ratio5: null },
      noiseFloor: null,
      classSe: {},
      classes: Object.fromEntries(FIXTURE_CLASSES.map((c) => [c.name, stats(c.factor * s1, c.factor * sum)])),
      words: {},
      properties: Object.fromEntries(
        props.map((name) => {
          const m = mAt[name](t);
          return [name, { r: m * s1, m, mSe: se(m), cos: Array.from({ length: 10 }, (_, n) => Math.min(1, (n + 1) * 0.12)) }];
        }),
      ),
      aligned: [1, 2, 3].map((dir) => ({
        k: dir,
        positive: [
          { word: `p${dir}a`, id: 1, cos: 0.5 },
          { word: `p${dir}b`, id: 2, cos: 0.7 },
        ],
        negative: [
          { word: `n${dir}a`, id: 3, cos: -0.4 },
          { word: `n${dir}b`, id: 4, cos: -0.6 },
        ],
      })),
    });
  }
  const fit = (intercept: number) => ({
    from: 0,
    to: D,
    used: delays.map((d) => d.tau),
    slope: -0.5,
    intercept,
    decayLength: 2,
    halfLife: 2 * Math.LN2,
    r2: 0.99,
    residuals: delays.map(() => 0),
  });
  return {
    schemaVersion: 1,
    id: o.id ?? 'r1',
    model: o.model ?? 'lm',
    corpus: 'brown',
    split: 'test',
    created: '2025-01-02T03:04:05.678Z',
    modelShape: { vocabSize: 800, embeddingDim: 16, units: o.units ?? [32], ...(o.cells && { cells: o.cells }) },
    config: {
      split: 'test',
      state: o.state ?? 'c',
      layer: 1,
      layers: 1,
      maxDelay: D,
      streams: 20,
      maxTokens: 4000,
      sample: null,
      seed: null,
      normalize: 'none',
      groups: 10,
      workers: 2,
      classSets: ['paper', 'upos'],
      classes: FIXTURE_CLASSES.map(({ name, set, class: cls, types }) => ({ name, set, class: cls, types })),
      words: [],
      properties: props.map((name) => ({ name, classA: `${name}-a`, classB: `${name}-b` })),
      vectors: 6,
    },
    software: { app: '0.1.0', node: '20', versions: {}, backend: 'wasm', engine: 'gemm', kernels: 'simd', workers: 2, platform: 'linux-x64', cpus: 2 },
    timings: {
      prepareSeconds: 0.3,
      accumulateSeconds: 3.5,
      computeSeconds: 2,
      cpuSeconds: null,
      svdSeconds: 0.34,
      summariseSeconds: 0.8,
      writeSeconds: 0.03,
      totalSeconds: 4.75,
    },
    flops: { nominal: 7.8e9, gemm: 3.9e9, gflopsPerSecond: 3.9 },
    counts: {
      splitTokens: 2305,
      streams: 20,
      length: 115,
      positions: 2300,
      sources: 2300,
      pairs: delays.map((d) => 2300 - 20 * d.tau),
      classPairs: {},
      wordPairs: {},
      groupPairs: [],
      groupsDropped: [],
    },
    flushedValues: 0,
    arrays: [],
    warnings: [],
    summary: {
      analysisVersion: 1,
      shape: { hidden: 32, embedding: 16, delays: D + 1, vocabulary: 800 },
      normalisation: { kind: 'none' },
      vectors: 6,
      groups: 8,
      properties: props.map((name) => ({
        name,
        classA: `${name}-a`,
        classB: `${name}-b`,
        listedA: 10,
        foundA: 8,
        listedB: 10,
        foundB: 7,
        missingA: [],
        missingB: [],
        overlap: 0,
        norm: 0.5,
        probe: null,
        probeError: null,
      })),
      decay: { sigma1: fit(Math.log(0.1 * k)), sum: fit(Math.log(0.5 * k)) },
      decayModels: fixtureDecayModels(D, k),
      delays,
      warnings: [],
      timings: { svdSeconds: 0.34, totalSeconds: 0.8, svdCount: D + 1 },
    },
  };
}
