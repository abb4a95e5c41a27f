// A small ablation run record with known numbers, for the transform tests (not used by the
// app). Δ(τ) = 2·e^{−τ/3} with SE 5 % of the value; T(k) = 5 + 2·e^{−k/2} with SE 0.01; classes
// scale Δ by fixed factors; the baseline loss is 5 nats. Checked against AblationRecordSchema.
import { AblationRecordSchema, type AblationCurve, type AblationRecord } from '../../../../shared/schemas/ablation';

export const ABLATION_CLASSES = [
  { name: 'noun-sg', set: 'paper', class: 'noun-sg', types: 40, factor: 1.5 },
  { name: 'NOUN', set: 'upos', class: 'NOUN', types: 60, factor: 1.2 },
  { name: 'VERB', set: 'upos', class: 'VERB', types: 30, factor: 0.6 },
  { name: 'frequent', set: 'frequency', class: 'frequent', types: 100, factor: 0.5 },
  { name: 'rare', set: 'frequency', class: 'rare', types: 900, factor: 2 },
];

export const deltaAt = (t: number) => 2 * Math.exp(-t / 3);
export const truncationAt = (k: number) => 5 + 2 * Math.exp(-k / 2);

const se = (v: number) => ({ mean: v, sd: Math.abs(v) * 0.05 * Math.sqrt(10), se: Math.abs(v) * 0.05, groups: 10 });

function curve(n: number, first: number, f: (x: number) => number, seOf = se): AblationCurve {
  const xs = Array.from({ length: n }, (_, i) => first + i);
  return { mean: xs.map(f), se: xs.map((x) => seOf(f(x))), pairs: xs.map((x) => 1000 - 10 * x) };
}

export interface AblationFixtureOptions {
  id?: string;
  model?: string;
  corpus?: string;
  split?: 'valid' | 'test';
  maxDelay?: number;
  /** multiplies Δ(τ) */
  scale?: number;
}

export function makeAblationRecord(o: AblationFixtureOptions = {}): AblationRecord {
  const D = o.maxDelay ?? 12;
  const scale = o.scale ?? 1;
  const delta = (t: number) => scale * deltaAt(t);
  return AblationRecordSchema.parse({
    schemaVersion: 1,
    kind: 'ablation',
    id: o.id ?? 'abl',
    model: o.model ?? 'small',
    corpus: o.corpus ?? 'ptb',
    split: o.split ?? 'test',
    created: '2026-12-06T05:00:00.000Z',
    modelShape: { vocabSize: 10000, embeddingDim: 64, units: [32], cells: ['lstm'] },
    config: {
      split: o.split ?? 'test',
      mode: 'unk',
      maxDelay: D,
      streams: 4,
      maxTokens: 2000,
      seed: 1,
      groups: 10,
      workers: 2,
      classSets: ['paper', 'upos', 'frequency'],
      classes: ABLATION_CLASSES.map(({ factor: _f, ...c }) => c),
      unkId: 0,
    },
    software: { app: 'mnemoscope 0.1.0', node: 'v22', versions: {}, backend: 'wasm', workers: 2, platform: 'linux', cpus: 2 },
    timings: { prepareSeconds: 0.25, computeSeconds: 1.5, writeSeconds: 0.125, totalSeconds: 1.875 },
    work: { cellSteps: 26000, outputRows: 28000, flops: 3e9, gflopsPerSecond: 2 },
    counts: { splitTokens: 82430, streams: 4, length: 500, positions: 2000, groupsDropped: [] },
    baseline: { meanLoss: 5, perplexity: Math.exp(5) },
    delta: curve(D + 1, 0, delta),
    classDelta: ABLATION_CLASSES.map(({ factor, ...c }) => ({ ...c, delta: curve(D + 1, 0, (t) => factor * delta(t)) })),
    truncation: curve(D + 1, 1, truncationAt, (v) => ({ mean: v, sd: 0.01 * Math.sqrt(10), se: 0.01, groups: 10 })),
    arrays: [],
    warnings: [],
  });
}
