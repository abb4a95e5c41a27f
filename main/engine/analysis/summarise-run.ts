// One entry point from the accumulated gradients to the run summary (run.json) and the
// arrays worth saving beside it (the full spectrum and the leading singular vectors).
import { alignedWordsFinder } from './aligned-words';
import { type DecayFit, type DecayFitOptions, fitExponentialDecay } from './decay-fit';
import { decayModelsOfDelays } from './decay-models';
import { linearProbe, type ProbeOptions } from './linear-probe';
import { type DelayStack, type FloatArray, type Mat, checkMat, checkStack, delayMatrix, finiteOrNull } from './matrix';
import { type EqualVariance, equalVarianceNormalisation, normaliseGradient } from './normalisation';
import {
  BUILTIN_PROPERTIES,
  type ClassWords,
  type PropertySpec,
  type PropertyVector,
  parsePropertySpec,
  propertyMemory,
  propertyVector,
} from './properties';
import { type RunSummary, type SpectrumStats, type DelaySummary, type PropertyInfo, RunSummarySchema } from './run-summary-schema';
import { type StandardError, groupValues, noiseFloor, standardError } from './standard-error';
import { DEFAULT_VECTORS, type Spectrum, spectrumOf } from './spectrum';

export interface RunAnalysisInput {
  /** Ḡ_τ, τ = 0..D: [D+1, H, E]. */
  G: DelayStack;
  /** Per class (by source word): class name → [D+1, H, E]. */
  classG?: Readonly<Record<string, DelayStack>>;
  /** Per chosen word: word → [D+1, H, E]. */
  wordG?: Readonly<Record<string, DelayStack>>;
  /** K group means, each [D+1, H, E], for standard errors (K ≥ 2). */
  groupG?: readonly DelayStack[];
  /**
   * Per class (a name of classG): its SUMS over the sources of each of the K groups, for the
   * class standard errors (classSe). At each delay a group with no pair of the class is left
   * out; with fewer than 2 groups left the class's SEs there are null.
   */
  classGroupSums?: Readonly<Record<string, readonly GroupSums[]>>;
  /** The model's embedding matrix [V, E]. */
  embeddings: Mat;
  /** The vocabulary: word of each embedding row. */
  vocab: readonly string[];
  /** class name → word types (all class sets, flattened), used to build properties. */
  classes?: ClassWords;
  /**
   * Properties as specs or `NAME=CLASS_A:CLASS_B` strings. Default: the built-in sg-pl and
   * common-proper, each only if its classes are defined (otherwise a warning). Explicit
   * properties with unknown classes or no words in the vocabulary are an error.
   */
  properties?: readonly (PropertySpec | string)[];
  normalise?: 'none' | 'equal-variance';
  /** Relative ridge for equal-variance normalisation (see normalisation.ts; default 0). */
  ridge?: number;
  /** Singular vector pairs kept per delay (default 10, the n of cos(d, H_n)). */
  vectors?: number;
  /** Directions v_1..v_n described in words (default 5) and words per end (default 10). */
  alignedDirections?: number;
  alignedTop?: number;
  /** Words left out of the aligned-word lists (e.g. '<unk>', '<eos>'). */
  alignedExclude?: readonly string[];
  decayRange?: DecayFitOptions;
  probe?: ProbeOptions;
  /** Called after each SVD: they dominate the time for large H. */
  onProgress?: (done: number, total: number) => void;
}

/** One group's part of a class: sums over its (source, step) pairs [D+1, H, E] and their number per delay [D+1]. */
export interface GroupSums {
  sum: FloatArray;
  count: ArrayLike<number>;
}

export interface RunAnalysis {
  summary: RunSummary;
  arrays: {
    /** All singular values per delay: [delays, min(H, E)]. */
    spectrum: Float64Array;
    spectrumShape: [number, number];
    /**
     * Leading right singular vectors per delay: [delays, k, E] (v_{k′+1} of delay τ starts at
     * (τ·k + k′)·E). Under equal-variance normalisation they are those of Ḡ·D (whitened
     * coordinates; D·v is the corresponding embedding-space direction).
     */
    right: Float64Array;
    rightShape: [number, number, number];
    /** Leading left singular vectors per delay: [delays, k, H]. */
    left: Float64Array;
    leftShape: [number, number, number];
  };
}

export function summariseRun(input: RunAnalysisInput): RunAnalysis {
  const started = performance.now();
  let svdMs = 0;
  let svdCount = 0;
  const { G, embeddings, vocab } = input;
  checkStack(G, 'Ḡ');
  checkMat(embeddings, 'embedding matrix');
  const H = G.rows;
  const E = G.cols;
  const T = G.delays;
  if (embeddings.cols !== E) throw new Error(`Ḡ has ${E} columns but the embeddings have ${embeddings.cols} dimensions`);
  if (vocab.length !== embeddings.rows) {
    throw new Error(`the vocabulary has ${vocab.length} words but the embedding matrix ${embeddings.rows} rows`);
  }
  const classG = input.classG ?? {};
  const wordG = input.wordG ?? {};
  const groupG = input.groupG ?? [];
  const classGroupSums = input.classGroupSums ?? {};
  for (const [name, parts] of Object.entries(classGroupSums)) {
    if (!classG[name]) throw new Error(`group sums are given for class '${name}', which has no Ḡ`);
    parts.forEach((p, k) => {
      if (p.sum.length !== T * H * E || p.count.length !== T) {
        throw new Error(`class '${name}', group ${k}: ${p.sum.length} sums and ${p.count.length} counts do not fit [${T}, ${H}, ${E}]`);
      }
    });
  }
  for (const [what, s] of [
    ...Object.entries(classG).map(([k, v]) => [`class '${k}'`, v] as const),
    ...Object.entries(wordG).map(([k, v]) => [`word '${k}'`, v] as const),
    ...groupG.map((v, i) => [`group ${i}`, v] as const),
  ]) {
    checkStack(s, what);
    if (s.delays !== T || s.rows !== H || s.cols !== E) {
      throw new Error(`${what}: shape [${s.delays}, ${s.rows}, ${s.cols}] differs from Ḡ's [${T}, ${H}, ${E}]`);
    }
  }
  const warnings: string[] = [];
  if (groupG.length === 1) warnings.push('only one group: no standard errors (they need K ≥ 2 groups)');

  const nm: EqualVariance | undefined =
    input.normalise === 'equal-variance' ? equalVarianceNormalisation(embeddings, { ridge: input.ridge ?? 0 }) : undefined;
  if (nm && nm.ridge > 0) warnings.push(`equal-variance normalisation used a ridge of ${nm.ridge} (relative) = ${nm.ridgeAbsolute} added to the covariance diagonal`);
  const analysed = (s: DelayStack, t: number): Mat => (nm ? normaliseGradient(delayMatrix(s, t), nm) : delayMatrix(s, t));

  // Properties.
  const classes = input.classes ?? {};
  const specs: PropertySpec[] = [];
  if (input.properties) {
    for (const p of input.properties) specs.push(typeof p === 'string' ? parsePropertySpec(p) : p);
  } else {
    for (const p of BUILTIN_PROPERTIES) {
      const missing = [p.classA, p.classB].filter((c) => !classes[c]);
      if (missing.length) warnings.push(`built-in property ${p.name} skipped: class ${missing.join(' and ')} not defined`);
      else specs.push(p);
    }
  }
  const names = new Set<string>();
  for (const s of specs) {
    if (names.has(s.name)) throw new Error(`property '${s.name}' is given twice`);
    names.add(s.name);
  }
  const props: PropertyVector[] = specs.map((s) => propertyVector(s, classes, vocab, embeddings, nm));
  const units: Record<string, Float64Array> = Object.fromEntries(props.map((p) => [p.spec.name, p.unit]));
  const propertyInfo: PropertyInfo[] = props.map((p) => {
    let probe: PropertyInfo['probe'] = null;
    let probeError: string | null = null;
    try {
      probe = linearProbe(embeddings, p.a.ids, p.b.ids, input.probe);
      if (!probe.converged) warnings.push(`the linear probe of ${p.spec.name} stopped before converging`);
    } catch (e) {
      probeError = e instanceof Error ? e.message : String(e);
    }
    return {
      name: p.spec.name,
      classA: p.spec.classA,
      classB: p.spec.classB,
      listedA: p.a.listed,
      foundA: p.a.ids.length,
      listedB: p.b.listed,
      foundB: p.b.ids.length,
      missingA: p.a.missingSample,
      missingB: p.b.missingSample,
      overlap: p.overlap,
      norm: p.norm,
      probe,
      probeError,
    };
  });

  const k = Math.min(input.vectors ?? DEFAULT_VECTORS, H, E);
  const nAligned = Math.min(input.alignedDirections ?? 5, k);
  const findWords = nAligned > 0
    ? alignedWordsFinder(embeddings, vocab, { top: input.alignedTop ?? 10, exclude: input.alignedExclude, normalisation: nm })
    : undefined;

  // Class group SEs at delay t use the class's groups with a pair there, if at least 2.
  const classGroupsAt = (parts: readonly GroupSums[], t: number): GroupSums[] => {
    const used = parts.filter((p) => p.count[t] > 0);
    return used.length >= 2 ? used : [];
  };
  let classGroupSvds = 0;
  for (const parts of Object.values(classGroupSums)) for (let t = 0; t < T; t++) classGroupSvds += classGroupsAt(parts, t).length;
  const total =
    T * (1 + Object.keys(classG).length + Object.keys(wordG).length + (groupG.length >= 2 ? groupG.length : 0)) + classGroupSvds;
  const svd = (g: Mat, vectors: number): Spectrum => {
    const t0 = performance.now();
    const s = spectrumOf(g, { vectors });
    svdMs += performance.now() - t0;
    svdCount++;
    input.onProgress?.(svdCount, total);
    return s;
  };

  const nSigma = Math.min(H, E);
  const spectrum = new Float64Array(T * nSigma);
  const right = new Float64Array(T * k * E);
  const left = new Float64Array(T * k * H);
  const delays: DelaySummary[] = [];
  for (let t = 0; t < T; t++) {
    const g = analysed(G, t);
    const s = svd(g, k);
    spectrum.set(s.sigma, t * nSigma);
    s.right.forEach((v, i) => right.set(v, (t * k + i) * E));
    s.left.forEach((u, i) => left.set(u, (t * k + i) * H));

    let se: DelaySummary['se'] = null;
    let floor: number | null = null;
    const mSe: Record<string, StandardError | null> = {};
    if (groupG.length >= 2) {
      const groupMats = groupG.map((gs) => analysed(gs, t));
      const gv = groupValues(groupMats, units, (gm) => svd(gm, 0));
      se = {
        sigma1: standardError(gv.sigma1),
        sum: standardError(gv.sum),
        ratio1: standardError(gv.ratio1),
        ratio5: standardError(gv.ratio5),
      };
      for (const [name, values] of Object.entries(gv.m)) mSe[name] = standardError(values);
      floor = finiteOrNull(noiseFloor(groupMats) ?? NaN);
    }
    const classSe: DelaySummary['classSe'] = {};
    for (const [name, parts] of Object.entries(classGroupSums)) {
      const sigma1: number[] = [];
      const sum: number[] = [];
      for (const p of classGroupsAt(parts, t)) {
        const n = H * E;
        const mean = new Float64Array(n);
        const c = p.count[t];
        for (let i = 0; i < n; i++) mean[i] = p.sum[t * n + i] / c;
        const m: Mat = { data: mean, rows: H, cols: E };
        const sp = svd(nm ? normaliseGradient(m, nm) : m, 0);
        sigma1.push(sp.sigma1);
        sum.push(sp.sum);
      }
      classSe[name] = { sigma1: standardError(sigma1), sum: standardError(sum) };
    }

    const properties: DelaySummary['properties'] = {};
    for (const p of props) {
      const pm = propertyMemory(g, s, p.unit, 10);
      properties[p.spec.name] = { r: pm.r, m: finiteOrNull(pm.m), mSe: mSe[p.spec.name] ?? null, cos: pm.cos };
    }
    const classStats: Record<string, SpectrumStats> = {};
    for (const [name, cs] of Object.entries(classG)) classStats[name] = stats(svd(analysed(cs, t), 0));
    const wordStats: Record<string, SpectrumStats> = {};
    for (const [name, ws] of Object.entries(wordG)) wordStats[name] = stats(svd(analysed(ws, t), 0));

    delays.push({
      tau: t,
      ...stats(s),
      topSigma: Array.from(s.sigma.subarray(0, k)),
      se,
      noiseFloor: floor,
      classes: classStats,
      classSe,
      words: wordStats,
      properties,
      aligned: findWords ? findWords(s.right.slice(0, nAligned)) : [],
    });
  }

  const fit = (values: number[], what: string): DecayFit | null => {
    try {
      return fitExponentialDecay(values, input.decayRange);
    } catch (e) {
      warnings.push(`no decay fit of ${what}: ${e instanceof Error ? e.message : String(e)}`);
      return null;
    }
  };
  const decay = {
    sigma1: fit(delays.map((d) => d.sigma1), 'σ₁'),
    sum: fit(delays.map((d) => d.sum), 'Σσ'),
  };

  const summary: RunSummary = {
    analysisVersion: 2,
    shape: { hidden: H, embedding: E, delays: T, vocabulary: vocab.length },
    normalisation: nm
      ? {
          kind: 'equal-variance',
          covariance: nm.covariance,
          rows: nm.rows,
          ridge: nm.ridge,
          ridgeAbsolute: nm.ridgeAbsolute,
          minPivotRatio: nm.minPivotRatio,
        }
      : { kind: 'none' },
    vectors: k,
    groups: groupG.length >= 2 ? groupG.length : null,
    properties: propertyInfo,
    decay,
    // Exponential, two-exponential and power-law fits of σ₁ and Σσ over τ ≥ 1 (weighted by the group SEs), and the memory length.
    decayModels: decayModelsOfDelays(delays),
    delays,
    warnings,
    timings: { svdSeconds: svdMs / 1000, totalSeconds: (performance.now() - started) / 1000, svdCount },
  };
  return {
    // Parsing guarantees the summary is what the schema promises (and JSON-clean) before it is written.
    summary: RunSummarySchema.parse(summary),
    arrays: {
      spectrum,
      spectrumShape: [T, nSigma],
      right,
      rightShape: [T, k, E],
      left,
      leftShape: [T, k, H],
    },
  };
}

function stats(s: Spectrum): SpectrumStats {
  return { sigma1: s.sigma1, sum: s.sum, ratio1: finiteOrNull(s.ratio1), ratio5: finiteOrNull(s.ratio5) };
}
