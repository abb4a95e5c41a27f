// The synthetic memory benchmark end to end (issue 3 §4): generate and import the corpus,
// train a small LSTM on it, analyse it as an ordinary run with the property
// marker = marker-a:marker-b, and judge whether the memory is where the generator put it.
// The corpus, the model and the run share one id. The three are one operation: when a step
// fails or is cancelled, the items already added are deleted again.
import path from 'node:path';
import type { TrainConfigInput, TrainResult, TrainTaskParams } from '../../../shared/schemas/model';
import { AnalyzeParamsSchema, type AnalyzeProgress } from '../../../shared/schemas/run';
import { UserError } from '../errors';
import { analyzeNeedsDevice, nativeTensorflowInstalled, needsDevice, runRouted } from '../jobs/device-route';
import { phaseFraction, type PhaseShares } from '../jobs/phase-progress';
import { type ProjectStore, openProject, writeJsonAtomic } from '../project';
import type { ItemKind } from '../../../shared/schemas/project';
import { runTasks } from '../runs/tasks';
import { PROPERTY_SPEC, SYNTHETIC_CLASS_SET_ID } from './class-set';
import type { EntropyFloor } from './entropy-floor';
import type { ProfileRow } from './memory-profile';
import { type ResolvedOptions, type SyntheticBenchmarkOptions, resolveOptions } from './options';
import { runProfiles } from './run-profiles';
import type { SyntheticSpec } from './spec';
import { syntheticWords } from './spec';
import { type SyntheticVerdict, syntheticVerdict } from './verdict';
import { writeSyntheticCorpus } from './write-corpus';
import { CancelToken } from '../cancel-token';
import { modelTasks } from '../model/tasks';

export type SyntheticPhase = 'corpus' | 'train' | 'analyze' | 'verdict';

export interface SyntheticProgress {
  phase: SyntheticPhase;
  /** of the whole benchmark, 0..1 */
  fraction: number;
  label: string;
  secondsLeft: number | null;
}

export interface SyntheticControl {
  onProgress?: (p: SyntheticProgress) => void;
  /** one line per finished step, for people */
  onLog?: (line: string) => void;
  /** the caller's cancel (the CLI's Ctrl-C), turned into the CancelToken that goes to every worker */
  signal?: AbortSignal;
}

export interface SyntheticBenchmarkResult {
  id: string;
  corpusDir: string;
  modelDir: string;
  runDir: string;
  spec: SyntheticSpec;
  seed: number;
  sentences: ResolvedOptions['sentences'];
  tokens: { train: number; valid: number; test: number };
  perplexity: {
    /** the model's best validation perplexity */
    model: number;
    /** analytic floor of the generator, and the same floor for a model that forgets the marker */
    floor: number;
    withoutMemory: number;
    /** the ideal predictor's perplexity on the generated valid split */
    validFloor: number;
  };
  floor: EntropyFloor;
  training: { epochs: number; bestEpoch: number | null; seconds: number; tokensPerSecond: number; backend: string };
  /** property memory per delay for Ḡ (all sources) and Ḡ^marker */
  profiles: { all: ProfileRow[]; marker: ProfileRow[] };
  /** cos(d, ē_marker − ē_filler), see run-profiles.ts */
  presenceCosine: number;
  /**
   * K as the analysis alone sees it: the knee of Ḡ^marker's r(τ) (span-estimate.ts), found
   * without the generator's K; null when r has no knee (verdict.spanEstimate says why).
   */
  estimatedSpan: number | null;
  verdict: SyntheticVerdict;
  seconds: { corpus: number; train: number; analyze: number; total: number };
}

export const VERDICT_FILE = 'synthetic.json';

// Shares of the whole benchmark's time, for one progress bar (measured: training dominates).
const SPAN: Record<SyntheticPhase, [number, number]> = {
  corpus: [0, 0.05],
  train: [0.05, 0.8],
  analyze: [0.8, 0.97],
  verdict: [0.97, 1],
};

export async function runSyntheticBenchmark(
  options: SyntheticBenchmarkOptions,
  control: SyntheticControl = {},
): Promise<SyntheticBenchmarkResult> {
  const t0 = performance.now();
  const o = resolveOptions(options);
  const cancel = CancelToken.fromSignal(control.signal);
  const store = await openProject(path.resolve(o.projectDir));
  for (const kind of ['corpus', 'model', 'run'] as const) {
    if (await store.has(kind, o.id)) {
      throw new UserError(`project already has a ${kind} '${o.id}': the benchmark creates a corpus, a model and a run of that id; choose another --id`);
    }
  }
  const report = (phase: SyntheticPhase, within: number, label: string, secondsLeft: number | null = null) => {
    const [a, b] = SPAN[phase];
    control.onProgress?.({ phase, fraction: a + (b - a) * Math.min(1, Math.max(0, within)), label, secondsLeft });
  };
  const log = (line: string) => control.onLog?.(line);
  const created: ItemKind[] = [];
  try {
    const stepCorpus = performance.now();
    report('corpus', 0, 'generating and importing the corpus');
    const corpus = await store.stageItem('corpus', o.id, (dir) => writeSyntheticCorpus(o, dir), { name: o.name, cancel });
    created.push('corpus');
    const corpusSeconds = seconds(stepCorpus);
    log(
      `corpus '${o.id}': ${o.sentences.train}/${o.sentences.valid}/${o.sentences.test} episodes, K = ${o.spec.span}, ` +
        `floor perplexity ${corpus.meta.floor.perplexity.toFixed(3)} (${corpus.meta.floor.withoutMemory.perplexity.toFixed(3)} without memory)`,
    );

    const stepTrain = performance.now();
    const trained = await train(store, o, cancel, report);
    created.push('model');
    const trainSeconds = seconds(stepTrain);
    log(`model '${o.id}': valid perplexity ${trained.bestValidPerplexity?.toFixed(3)} after ${trained.epochsRun} epochs, ${trainSeconds.toFixed(1)} s`);

    const stepAnalyze = performance.now();
    // the pipeline's own request enters here: parsed once, with the defaults filled in
    const analyzeParams = AnalyzeParamsSchema.parse({
      project: store.dir,
      model: o.id,
      corpus: o.id,
      id: o.id,
      name: o.name,
      split: 'test',
      maxDelay: o.maxDelay,
      streams: o.streams,
      properties: [PROPERTY_SPEC],
      classSets: [SYNTHETIC_CLASS_SET_ID],
      workers: o.workers,
    });
    const analysis = await runRouted(await analyzeNeedsDevice(analyzeParams.engine, analyzeParams.backend), runTasks.sweep, analyzeParams, {
      cancel,
      onProgress: (p: AnalyzeProgress) => report('analyze', phaseFraction(ANALYZE_PHASES, p), `analysis: ${p.label}`, p.secondsLeft),
    });
    created.push('run');
    const analyzeSeconds = seconds(stepAnalyze);

    report('verdict', 0, 'judging the memory profile');
    const profiles = await runProfiles(analysis.dir, store.itemDir('model', o.id), o.spec);
    if (profiles.summaryMismatch > 1e-4) {
      throw new Error(`run.json's m of '${PROPERTY_SPEC}' differs from G.npy's by ${profiles.summaryMismatch}`);
    }
    const floor = corpus.meta.floor;
    const model = trained.bestValidPerplexity;
    if (model === null) throw new Error('training finished without a validation perplexity');
    const perplexity = {
      model,
      floor: floor.perplexity,
      withoutMemory: floor.withoutMemory.perplexity,
      validFloor: Math.exp(corpus.meta.empiricalFloor.valid),
    };
    const verdict = syntheticVerdict({
      span: o.spec.span,
      maxGap: o.spec.maxGap,
      marker: profiles.marker,
      perplexity,
      thresholds: o.thresholds,
    });
    const result: SyntheticBenchmarkResult = {
      id: o.id,
      corpusDir: corpus.dir,
      modelDir: store.itemDir('model', o.id),
      runDir: analysis.dir,
      spec: o.spec,
      seed: o.seed,
      sentences: o.sentences,
      tokens: corpus.meta.tokens,
      perplexity,
      floor,
      training: {
        epochs: trained.epochsRun,
        bestEpoch: trained.bestEpoch,
        seconds: trainSeconds,
        tokensPerSecond: trained.tokensPerSecond,
        backend: trained.backend,
      },
      profiles: { all: profiles.all, marker: profiles.marker },
      presenceCosine: profiles.presenceCosine,
      estimatedSpan: verdict.spanEstimate.span,
      verdict,
      seconds: { corpus: corpusSeconds, train: trainSeconds, analyze: analyzeSeconds, total: seconds(t0) },
    };
    // Beside run.json: the benchmark's own record (words, thresholds, verdict).
    await writeJsonAtomic(path.join(analysis.dir, VERDICT_FILE), {
      kind: 'mnemoscope-synthetic-verdict',
      version: 1,
      words: syntheticWords(o.spec),
      thresholds: o.thresholds,
      ...result,
    });
    report('verdict', 1, verdict.passed ? 'memory found where it was put' : 'memory NOT where it was put', 0);
    return result;
  } catch (err) {
    await rollback(store, o.id, created, log);
    throw err;
  }
}

const seconds = (from: number) => (performance.now() - from) / 1000;

/** Where each analysis phase sits in the pipeline's analyze step. */
const ANALYZE_PHASES: PhaseShares<AnalyzeProgress['phase']> = {
  prepare: [0, 0.05],
  accumulate: [0.05, 0.75],
  summarise: [0.8, 0.15],
  write: [0.95, 0.05],
};

async function train(
  store: ProjectStore,
  o: ResolvedOptions,
  cancel: CancelToken,
  report: (phase: SyntheticPhase, within: number, label: string, secondsLeft?: number | null) => void,
): Promise<TrainResult> {
  const w = syntheticWords(o.spec);
  // Every generated word fits: the vocabulary is exact (plus <unk>, never used).
  const vocabSize = w.markerA.length + w.markerB.length + w.targetA.length + w.targetB.length + w.fillers.length + 1;
  const config: TrainConfigInput = {
    layers: 1,
    embeddingDim: o.model.embeddingDim,
    hiddenSize: o.model.hiddenSize,
    vocabSize,
    epochs: o.epochs,
    batchSize: o.model.batchSize,
    bptt: o.model.bptt,
    optimizer: 'adam',
    learningRate: o.model.learningRate,
    lrDecay: 1,
    lrDecayAfter: 0,
    clipNorm: 5,
    forgetBias: o.model.forgetBias,
    // No dropout: the task is exact and the model small; regularisation only slows learning.
    dropout: 0,
    embeddingDropout: 0,
    seed: o.seed,
  };
  const { meta } = await store.stageItem(
    'model',
    o.id,
    (outDir) => {
      const params: TrainTaskParams = {
        source: { kind: 'corpus', dir: store.itemDir('corpus', o.id), id: o.id },
        outDir,
        config,
        backend: o.backend,
      };
      return runRouted(needsDevice(o.backend, nativeTensorflowInstalled()), modelTasks.train, params, {
        cancel,
        onProgress: (p) => {
          const within = (p.epoch - 1 + (p.phase === 'valid' ? 1 : p.batch / Math.max(1, p.batchesPerEpoch))) / p.epochs;
          report('train', within, `training: epoch ${p.epoch}/${p.epochs}, ${Math.round(p.tokensPerSecond)} tokens/s`, p.secondsLeft);
        },
      });
    },
    { name: o.name, cancel },
  );
  return meta;
}

async function rollback(store: ProjectStore, id: string, created: ItemKind[], log: (line: string) => void): Promise<void> {
  for (const kind of [...created].reverse()) {
    try {
      await store.deleteItem(kind, id);
    } catch (err) {
      // The original error matters more; say what is left behind.
      log(`could not remove the ${kind} '${id}' after the failure: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
