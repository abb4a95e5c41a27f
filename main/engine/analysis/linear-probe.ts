// Linear probe (paper §3): can class a be told from class b by a linear function of the word
// embedding? If not, d = ē_a − ē_b is not a meaningful property direction.
//
// Model: L2-regularised logistic regression on the raw embedding rows of the word types,
//   minimise Σ_i log(1 + exp(−y_i (w·x_i + b))) + (λ/2)‖w‖²,  y ∈ {+1 (class a), −1 (class b)},
// bias unpenalised — the objective of scikit-learn's LogisticRegression(C = 1/λ), so an
// independent check is easy. The problem is strictly convex, so the optimum is unique and the
// result does not depend on the optimiser; we use L-BFGS (full batch, deterministic, started
// at zero). The seed only drives the held-out split: stratified, per class a seeded shuffle
// and the first round(testFraction·n_c) words held out.
import { type Mat, checkMat } from './matrix';
import { seededRandom, shuffleInPlace } from './random';

export interface ProbeOptions {
  /** L2 strength λ (default 1, i.e. scikit-learn's C = 1). */
  lambda?: number;
  /** Fraction of each class held out (default 0.2). */
  testFraction?: number;
  /** Seed of the split (default 1). */
  seed?: number;
  /** L-BFGS iteration cap (default 1000). */
  maxIterations?: number;
}

export interface ProbeResult {
  /** Word types used per class (types in both classes are left out). */
  countA: number;
  countB: number;
  trainSize: number;
  testSize: number;
  trainAccuracy: number;
  /** Held-out accuracy: the number that says whether d is meaningful. */
  testAccuracy: number;
  /** Held-out accuracy of always predicting the training set's majority class. */
  baseline: number;
  lambda: number;
  testFraction: number;
  seed: number;
  iterations: number;
  converged: boolean;
}

/**
 * Trains the probe on embedding rows `idsA` (class a) against `idsB` (class b).
 * Rows listed in both are dropped. Each class needs at least 2 word types.
 */
export function linearProbe(
  embeddings: Mat,
  idsA: readonly number[],
  idsB: readonly number[],
  options: ProbeOptions = {},
): ProbeResult {
  checkMat(embeddings, 'embedding matrix');
  const lambda = options.lambda ?? 1;
  const testFraction = options.testFraction ?? 0.2;
  const seed = options.seed ?? 1;
  if (!(lambda > 0)) throw new RangeError(`lambda must be > 0, got ${lambda}`);
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(`testFraction must be in (0, 1), got ${testFraction}`);
  const setB = new Set(idsB);
  const setA = new Set(idsA);
  const a = [...setA].filter((id) => !setB.has(id)).sort((x, y) => x - y);
  const b = [...setB].filter((id) => !setA.has(id)).sort((x, y) => x - y);
  if (a.length < 2 || b.length < 2) {
    throw new Error(`the linear probe needs at least 2 word types per class, got ${a.length} and ${b.length}`);
  }

  const rand = seededRandom(seed);
  const train: [number, number][] = [];
  const test: [number, number][] = [];
  for (const [ids, y] of [
    [a, 1],
    [b, -1],
  ] as const) {
    const order = shuffleInPlace([...ids], rand);
    const nTest = Math.min(ids.length - 1, Math.max(1, Math.round(testFraction * ids.length)));
    order.forEach((id, i) => (i < nTest ? test : train).push([id, y]));
  }

  const fit = fitLogistic(embeddings, train, lambda, options.maxIterations ?? 1000);
  const trainPos = train.filter(([, y]) => y > 0).length;
  const majority = trainPos * 2 >= train.length ? 1 : -1;
  return {
    countA: a.length,
    countB: b.length,
    trainSize: train.length,
    testSize: test.length,
    trainAccuracy: accuracy(embeddings, fit.w, fit.b, train),
    testAccuracy: accuracy(embeddings, fit.w, fit.b, test),
    baseline: test.filter(([, y]) => y === majority).length / test.length,
    lambda,
    testFraction,
    seed,
    iterations: fit.iterations,
    converged: fit.converged,
  };
}

function accuracy(emb: Mat, w: Float64Array, b: number, rows: [number, number][]): number {
  let right = 0;
  for (const [id, y] of rows) {
    const z = score(emb, id, w, b);
    if ((z >= 0 ? 1 : -1) === y) right++;
  }
  return right / rows.length;
}

function score(emb: Mat, id: number, w: Float64Array, b: number): number {
  let z = b;
  const o = id * emb.cols;
  for (let j = 0; j < emb.cols; j++) z += w[j] * emb.data[o + j];
  return z;
}

/** log(1 + e^t) without overflow. */
function softplus(t: number): number {
  return Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)));
}

export interface LogisticFit {
  w: Float64Array;
  b: number;
  iterations: number;
  converged: boolean;
}

/** θ = [w_0..w_{E−1}, b]; returns f(θ) and writes ∇f into `grad`. */
function objective(emb: Mat, rows: [number, number][], lambda: number, theta: Float64Array, grad: Float64Array): number {
  const E = emb.cols;
  grad.fill(0);
  let f = 0;
  for (const [id, y] of rows) {
    const o = id * E;
    let z = theta[E];
    for (let j = 0; j < E; j++) z += theta[j] * emb.data[o + j];
    const t = -y * z;
    f += softplus(t);
    // d/dz log(1+e^{−yz}) = −y·σ(−yz)
    const c = -y / (1 + Math.exp(-t));
    for (let j = 0; j < E; j++) grad[j] += c * emb.data[o + j];
    grad[E] += c;
  }
  for (let j = 0; j < E; j++) {
    f += 0.5 * lambda * theta[j] * theta[j];
    grad[j] += lambda * theta[j];
  }
  return f;
}

/**
 * Minimises the probe's objective over the given (row id, label ±1) pairs; exported so the
 * optimum can be checked independently.
 */
export function fitLogistic(emb: Mat, rows: [number, number][], lambda: number, maxIterations = 1000): LogisticFit {
  const n = emb.cols + 1;
  const history = 10;
  const theta = new Float64Array(n);
  const grad = new Float64Array(n);
  let f = objective(emb, rows, lambda, theta, grad);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const next = new Float64Array(n);
  const nextGrad = new Float64Array(n);
  // The gradient is a sum over samples: scale the tolerance with their number.
  const gtol = 1e-8 * Math.max(1, rows.length);
  let iterations = 0;
  let converged = maxNorm(grad) <= gtol;
  while (!converged && iterations < maxIterations) {
    iterations++;
    // Two-loop recursion: p = −H·∇f.
    const p = Float64Array.from(grad, (g) => -g);
    const alpha: number[] = [];
    for (let i = S.length - 1; i >= 0; i--) {
      alpha[i] = rho[i] * dotN(S[i], p);
      axpy(-alpha[i], Y[i], p);
    }
    const gamma = S.length ? dotN(S[S.length - 1], Y[Y.length - 1]) / dotN(Y[Y.length - 1], Y[Y.length - 1]) : 1 / Math.max(1, maxNorm(grad));
    for (let i = 0; i < p.length; i++) p[i] *= gamma;
    for (let i = 0; i < S.length; i++) {
      const beta = rho[i] * dotN(Y[i], p);
      axpy(alpha[i] - beta, S[i], p);
    }
    let slope = dotN(grad, p);
    if (!(slope < 0)) {
      // Not a descent direction (lost curvature information): restart from steepest descent.
      S.length = Y.length = rho.length = 0;
      for (let i = 0; i < n; i++) p[i] = -grad[i] / Math.max(1, maxNorm(grad));
      slope = dotN(grad, p);
    }
    // Backtracking line search with the Armijo condition.
    let step = 1;
    let fNext = Infinity;
    for (let k = 0; k < 60; k++) {
      for (let i = 0; i < n; i++) next[i] = theta[i] + step * p[i];
      fNext = objective(emb, rows, lambda, next, nextGrad);
      if (fNext <= f + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(fNext <= f)) break; // no progress possible at machine precision
    const s = Float64Array.from(next, (x, i) => x - theta[i]);
    const y = Float64Array.from(nextGrad, (g, i) => g - grad[i]);
    const sy = dotN(s, y);
    if (sy > 1e-12 * Math.sqrt(dotN(s, s) * dotN(y, y))) {
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
      if (S.length > history) {
        S.shift();
        Y.shift();
        rho.shift();
      }
    }
    const decrease = f - fNext;
    theta.set(next);
    grad.set(nextGrad);
    f = fNext;
    converged = maxNorm(grad) <= gtol || decrease <= 1e-15 * Math.max(1, Math.abs(f));
  }
  return { w: theta.slice(0, n - 1), b: theta[n - 1], iterations, converged };
}

function dotN(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] += a * x[i];
}

function maxNorm(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}
