// Properties (DESIGN.md §3, paper §3): d = ē_a − ē_b, the difference of the mean embeddings
// of the word types of two classes; d̂ = d/‖d‖ (after Z when normalised);
// cos(d, H_n) = ‖V_nᵀ d̂‖ for n = 1..10; r = ‖Ḡ_τ d̂‖; relative memory m = r/σ₁.
import { type Mat, checkMat, dot, matVec, norm2 } from './matrix';
import { type EqualVariance, normaliseVector } from './normalisation';
import type { Spectrum } from './spectrum';

/** class name → the word types in it. */
export type ClassWords = Record<string, readonly string[]>;

export interface PropertySpec {
  name: string;
  classA: string;
  classB: string;
}

/** The paper's two properties; class names as in the built-in `paper` class set. */
export const BUILTIN_PROPERTIES: readonly PropertySpec[] = [
  { name: 'sg-pl', classA: 'noun-sg', classB: 'noun-pl' },
  { name: 'common-proper', classA: 'noun-common', classB: 'noun-proper' },
];

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Parses `NAME=CLASS_A:CLASS_B` (the CLI's --property), or a bare built-in name such as `sg-pl`. */
export function parsePropertySpec(text: string): PropertySpec {
  const s = text.trim();
  const builtin = BUILTIN_PROPERTIES.find((p) => p.name === s);
  if (builtin) return { ...builtin };
  const eq = s.indexOf('=');
  const usage = `expected NAME=CLASS_A:CLASS_B (e.g. sg-pl=noun-sg:noun-pl) or one of ${BUILTIN_PROPERTIES.map((p) => p.name).join(', ')}`;
  if (eq < 0) throw new Error(`property '${text}': no '=' — ${usage}`);
  const name = s.slice(0, eq).trim();
  const rest = s.slice(eq + 1);
  const colon = rest.indexOf(':');
  if (colon < 0 || rest.indexOf(':', colon + 1) >= 0) {
    throw new Error(`property '${text}': the classes must be separated by exactly one ':' — ${usage}`);
  }
  const classA = rest.slice(0, colon).trim();
  const classB = rest.slice(colon + 1).trim();
  if (!NAME.test(name)) throw new Error(`property '${text}': '${name}' is not a valid name (letters, digits, _ . -)`);
  if (!classA || !classB) throw new Error(`property '${text}': both classes must be named — ${usage}`);
  if (classA === classB) throw new Error(`property '${text}': a property needs two different classes`);
  return { name, classA, classB };
}

export interface ClassMembers {
  name: string;
  /** Distinct word types listed for the class. */
  listed: number;
  /** Vocabulary ids of the listed words that are in the vocabulary, ascending. */
  ids: number[];
  /** Up to 20 listed words that are not in the vocabulary (for the report). */
  missingSample: string[];
}

/** The vocabulary ids of a class's word types (duplicates removed, unknown words counted and skipped). */
export function classMembers(name: string, classes: ClassWords, vocabIndex: ReadonlyMap<string, number>): ClassMembers {
  const words = classes[name];
  if (!words) {
    const known = Object.keys(classes);
    throw new Error(
      `class '${name}' is not defined; known classes: ${known.length ? known.slice(0, 40).join(', ') : '(none)'}${known.length > 40 ? ', …' : ''}`,
    );
  }
  const distinct = [...new Set(words)];
  const ids: number[] = [];
  const missingSample: string[] = [];
  for (const w of distinct) {
    const id = vocabIndex.get(w);
    if (id === undefined) {
      if (missingSample.length < 20) missingSample.push(w);
    } else ids.push(id);
  }
  ids.sort((a, b) => a - b);
  return { name, listed: distinct.length, ids, missingSample };
}

export interface PropertyVector {
  spec: PropertySpec;
  a: ClassMembers;
  b: ClassMembers;
  /** Word types in both classes (they count in both means, and are left out of the probe). */
  overlap: number;
  /** d = ē_a − ē_b in embedding coordinates. */
  d: Float64Array;
  /** ‖d‖ (raw embedding coordinates). */
  norm: number;
  /** The unit vector the analysis uses: d/‖d‖, or Zd/‖Zd‖ when normalised. */
  unit: Float64Array;
}

export function vocabularyIndex(vocab: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  vocab.forEach((w, i) => {
    if (!m.has(w)) m.set(w, i);
  });
  return m;
}

export function propertyVector(
  spec: PropertySpec,
  classes: ClassWords,
  vocab: readonly string[],
  embeddings: Mat,
  normalisation?: EqualVariance,
): PropertyVector {
  checkMat(embeddings, 'embedding matrix');
  if (vocab.length !== embeddings.rows) {
    throw new Error(`the vocabulary has ${vocab.length} words but the embedding matrix ${embeddings.rows} rows`);
  }
  const index = vocabularyIndex(vocab);
  const a = classMembers(spec.classA, classes, index);
  const b = classMembers(spec.classB, classes, index);
  for (const c of [a, b]) {
    if (c.ids.length === 0) {
      throw new Error(
        `property '${spec.name}': none of the ${c.listed} words of class '${c.name}' is in the model's vocabulary`,
      );
    }
  }
  const inB = new Set(b.ids);
  const overlap = a.ids.filter((id) => inB.has(id)).length;
  const E = embeddings.cols;
  const d = new Float64Array(E);
  addMean(d, embeddings, a.ids, 1);
  addMean(d, embeddings, b.ids, -1);
  const norm = norm2(d);
  if (!(norm > 0)) {
    throw new Error(`property '${spec.name}': the class means of '${spec.classA}' and '${spec.classB}' coincide (d = 0)`);
  }
  const mapped = normalisation ? normaliseVector(d, normalisation) : d;
  const mappedNorm = norm2(mapped);
  const unit = Float64Array.from(mapped, (x) => x / mappedNorm);
  return { spec, a, b, overlap, d, norm, unit };
}

function addMean(acc: Float64Array, emb: Mat, ids: number[], sign: number): void {
  const E = emb.cols;
  const f = sign / ids.length;
  // Sum first, scale once: the mean is then independent of summation grouping up to rounding.
  const s = new Float64Array(E);
  for (const id of ids) for (let j = 0; j < E; j++) s[j] += emb.data[id * E + j];
  for (let j = 0; j < E; j++) acc[j] += f * s[j];
}

export interface PropertyMemory {
  /** r = ‖Ḡ_τ d̂‖. */
  r: number;
  /** m = r/σ₁ (NaN when σ₁ = 0). */
  m: number;
  /** cos(d, H_n) = ‖V_nᵀ d̂‖ for n = 1..min(10, available right singular vectors). */
  cos: number[];
}

/**
 * How well a property is remembered at one delay. `g` must be the matrix that `spectrum`
 * was computed from (Ḡ_τ, or Ḡ_τ·D when normalised) and `unit` the matching d̂.
 */
export function propertyMemory(g: Mat, spectrum: Spectrum, unit: ArrayLike<number>, maxN = 10): PropertyMemory {
  const r = norm2(matVec(g, unit));
  const cos: number[] = [];
  let acc = 0;
  for (let n = 0; n < Math.min(maxN, spectrum.right.length); n++) {
    const p = dot(spectrum.right[n], unit);
    acc += p * p;
    // Rounding can push the cumulative projection a hair above 1 for d̂ in H_n.
    cos.push(Math.min(1, Math.sqrt(acc)));
  }
  return { r, m: spectrum.sigma1 > 0 ? r / spectrum.sigma1 : NaN, cos };
}
