// Decay models of a per-delay quantity y(τ) (σ₁ or Σσ), fitted for τ ≥ 1 in the linear domain
// of y by weighted least squares (weights 1/SE², the group standard errors, when every fitted
// delay has one; unweighted otherwise):
//   exponential        y = a·e^(−kτ)                      a ≥ 0, −1 ≤ k ≤ 10
//   two exponentials   y = a1·e^(−k1·τ) + a2·e^(−k2·τ)    a1, a2 ≥ 0, 10 ≥ k1 ≥ k2 ≥ 0
//   power law          y = a·τ^(−p)                       a ≥ 0, p real
// (On integer delays a rate of 10 already leaves e^(−10) ≈ 5·10⁻⁵ of a component one delay
// later: faster ones cannot be told apart, and without the cap a fast component that only
// fits the first delay drifts to an astronomically large amplitude.)
// By variable projection: the amplitudes are solved exactly (non-negative linear least squares)
// for given rates, and the rates are found by a grid search followed by Levenberg–Marquardt on
// the projected residuals. The model with the lowest AIC is chosen, except a fit with a rate at
// the cap (a boundary solution that only fits the first delay, where AIC's assumptions fail),
// which is reported with `atRateCap` and never chosen. Beside the models, a
// model-free memory length: the first delay at which y falls below 10 % of its maximum.
// Pure functions, no I/O; run.json's `summary.decayModels` and read-run's fill-in of older
// runs both come from decayModelsOfDelays.
import type { DecayModelFit, DecayModelName, DecayModels, DelaySummary, MemoryLength } from './run-summary-schema';
import { decayModelValue } from './run-summary-schema';

/** The models, in the order of `fits` and of the tie-break among equal AIC and parameter count. */
export const DECAY_MODEL_NAMES: readonly DecayModelName[] = ['exponential', 'two-exponentials', 'power-law'];
const TIE_ORDER: readonly DecayModelName[] = ['exponential', 'power-law', 'two-exponentials'];
const PARAMETER_COUNT: Record<DecayModelName, number> = { exponential: 2, 'two-exponentials': 4, 'power-law': 2 };

/** Largest decay rate (per token) of an exponential component, and the fastest growth of the single exponential. */
export const MAX_RATE = 10;
const MAX_GROWTH = 1;

/** The memory length's threshold, as a fraction of the maximum of y over τ. */
export const MEMORY_THRESHOLD = 0.1;

/**
 * Residual sums of squares below this fraction of Σ w·y² (an RMS misfit below 10⁻⁹ of the data)
 * count as an exact fit: the AIC uses this floor, so that models that all fit to rounding
 * error tie (and the tie goes to fewer parameters) instead of being ranked by rounding noise.
 */
const EXACT_FIT = 1e-18;

export interface DecaySample {
  tau: number;
  y: number;
  /** standard error of y (null: none) */
  se: number | null;
}

export interface DecayModelsOptions {
  /** first delay of the fits (default 1: the models are of τ ≥ 1, where τ^(−p) is finite) */
  from?: number;
  /** memory-length threshold as a fraction of the maximum (default 0.1) */
  threshold?: number;
}

export { decayModelValue };

// ---- variable projection ---------------------------------------------------------------

interface Data {
  tau: Float64Array;
  y: Float64Array;
  /** √w per point */
  sw: Float64Array;
  /** √w·y per point */
  yw: Float64Array;
}

interface Projected {
  /** weighted residuals √w·(y − fit) */
  r: Float64Array;
  sse: number;
  amps: number[];
}

/** Basis function φ_j(τ) (column j) for one parameter vector. */
type Basis = (column: number, tau: number) => number;

/**
 * Non-negative weighted least squares of y on one or two basis functions, and the residuals.
 * Two columns: the unconstrained solution when it is feasible (the objective is convex), else
 * the better of the two one-column fits (the optimum then lies on a face).
 */
function project(data: Data, basis: Basis, columns: 1 | 2): Projected | null {
  const n = data.y.length;
  const phi: Float64Array[] = [new Float64Array(n), new Float64Array(n)];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < columns; j++) {
      const v = basis(j, data.tau[i]) * data.sw[i];
      if (!Number.isFinite(v)) return null;
      phi[j][i] = v;
    }
  }
  const yw = data.yw;
  const dot = (a: Float64Array, b: Float64Array) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[i] * b[i];
    return s;
  };
  const single = (j: number): number[] => {
    const g = dot(phi[j], phi[j]);
    const a = g > 0 ? Math.max(0, dot(phi[j], yw) / g) : 0;
    return j === 0 ? [a, 0] : [0, a];
  };
  const residuals = (amps: number[]): Projected => {
    const r = new Float64Array(n);
    let sse = 0;
    for (let i = 0; i < n; i++) {
      let f = 0;
      for (let j = 0; j < columns; j++) f += amps[j] * phi[j][i];
      r[i] = yw[i] - f;
      sse += r[i] * r[i];
    }
    return { r, sse, amps: amps.slice(0, columns) };
  };
  if (columns === 1) {
    const out = residuals(single(0));
    return Number.isFinite(out.sse) && out.amps.every(Number.isFinite) ? out : null;
  }
  const g11 = dot(phi[0], phi[0]);
  const g22 = dot(phi[1], phi[1]);
  const g12 = dot(phi[0], phi[1]);
  const b1 = dot(phi[0], yw);
  const b2 = dot(phi[1], yw);
  const det = g11 * g22 - g12 * g12;
  const candidates: number[][] = [];
  if (det > 1e-12 * g11 * g22) {
    const a1 = (b1 * g22 - b2 * g12) / det;
    const a2 = (b2 * g11 - b1 * g12) / det;
    if (a1 >= 0 && a2 >= 0) candidates.push([a1, a2]);
  }
  if (!candidates.length) candidates.push(single(0), single(1));
  let best: Projected | null = null;
  for (const c of candidates) {
    const p = residuals(c);
    if (Number.isFinite(p.sse) && p.amps.every(Number.isFinite) && (!best || p.sse < best.sse)) best = p;
  }
  return best;
}

/** Solves the m×m system A·x = b for m ≤ 2 (null when singular). */
function solveSmall(A: number[][], b: number[]): number[] | null {
  if (b.length === 1) return A[0][0] !== 0 ? [b[0] / A[0][0]] : null;
  const det = A[0][0] * A[1][1] - A[0][1] * A[1][0];
  if (!(Math.abs(det) > 0)) return null;
  return [(b[0] * A[1][1] - A[0][1] * b[1]) / det, (A[0][0] * b[1] - A[1][0] * b[0]) / det];
}

/**
 * Levenberg–Marquardt on the projected residuals r(u) (Marquardt's diagonal scaling), with a
 * central-difference Jacobian. Only steps that lower the SSE are taken, so the result is never
 * worse than the start.
 */
function levenbergMarquardt(resid: (u: number[]) => Projected | null, start: number[]): { u: number[]; fit: Projected } | null {
  let u = start.slice();
  let cur = resid(u);
  if (!cur) return null;
  const m = u.length;
  let lambda = 1e-3;
  let quiet = 0;
  for (let iter = 0; iter < 300 && cur.sse > 0; iter++) {
    const n = cur.r.length;
    const J: Float64Array[] = [];
    for (let j = 0; j < m; j++) {
      const h = 1e-6 * Math.max(1, Math.abs(u[j]));
      const up = u.slice();
      const down = u.slice();
      up[j] += h;
      down[j] -= h;
      const rp = resid(up);
      const rm = resid(down);
      const col = new Float64Array(n);
      if (rp && rm) for (let i = 0; i < n; i++) col[i] = (rp.r[i] - rm.r[i]) / (2 * h);
      else if (rp) for (let i = 0; i < n; i++) col[i] = (rp.r[i] - cur.r[i]) / h;
      else if (rm) for (let i = 0; i < n; i++) col[i] = (cur.r[i] - rm.r[i]) / h;
      J.push(col);
    }
    const A = Array.from({ length: m }, (_, a) => Array.from({ length: m }, (_, b) => J[a].reduce((s, v, i) => s + v * J[b][i], 0)));
    const g = Array.from({ length: m }, (_, a) => J[a].reduce((s, v, i) => s + v * cur!.r[i], 0));
    const scale = Math.max(...A.map((row, a) => row[a]), 1e-300);
    let accepted = false;
    while (lambda < 1e16) {
      const damped = A.map((row, a) => row.map((v, b) => (a === b ? v + lambda * (v + 1e-9 * scale) : v)));
      const step = solveSmall(
        damped,
        g.map((v) => -v),
      );
      if (step && step.every(Number.isFinite)) {
        const next = u.map((v, j) => v + step[j]);
        const trial = resid(next);
        if (trial && trial.sse < cur.sse) {
          const gain = (cur.sse - trial.sse) / cur.sse;
          u = next;
          cur = trial;
          lambda = Math.max(lambda / 3, 1e-12);
          accepted = true;
          quiet = gain < 1e-12 ? quiet + 1 : 0;
          break;
        }
      }
      lambda *= 4;
    }
    if (!accepted || quiet >= 3) break;
  }
  return { u, fit: cur };
}

interface RateModel {
  name: DecayModelName;
  columns: 1 | 2;
  /** the rates from the unconstrained vector u */
  rates: (u: number[]) => number[];
  basis: (rates: number[]) => Basis;
  /** starting vectors u for the grid search */
  grid: number[][];
  params: (rates: number[], amps: number[]) => Record<string, number>;
}

/** 0 and 10⁻⁴..MAX_RATE on a log scale, `perDecade` points a decade. */
function rateGrid(perDecade: number): number[] {
  const out = [0];
  const steps = Math.round(Math.log10(MAX_RATE / 1e-4) * perDecade);
  for (let i = 0; i <= steps; i++) out.push(1e-4 * Math.pow(MAX_RATE / 1e-4, i / steps));
  return out;
}

const clampRate = (k: number) => Math.min(MAX_RATE, k);

const EXPONENTIAL: RateModel = {
  name: 'exponential',
  columns: 1,
  rates: ([k]) => [Math.max(-MAX_GROWTH, clampRate(k))],
  basis: ([k]) => (_, t) => Math.exp(-k * t),
  // growth (k < 0) as well as decay
  grid: [...rateGrid(24).slice(1).reverse().filter((k) => k <= MAX_GROWTH).map((k) => -k), ...rateGrid(24)].map((k) => [k]),
  params: ([k], [a]) => ({ a, k }),
};

const POWER_LAW: RateModel = {
  name: 'power-law',
  columns: 1,
  rates: (u) => u,
  basis: ([p]) => (_, t) => Math.pow(t, -p),
  grid: Array.from({ length: 281 }, (_, i) => [-2 + i * 0.05]),
  params: ([p], [a]) => ({ a, p }),
};

// k2 = s², k1 = s² + d² (each at most MAX_RATE): k1 ≥ k2 ≥ 0 for every real (s, d).
const TWO_EXPONENTIALS: RateModel = {
  name: 'two-exponentials',
  columns: 2,
  rates: ([s, d]) => [clampRate(s * s + d * d), clampRate(s * s)],
  basis: ([k1, k2]) => (j, t) => Math.exp(-(j === 0 ? k1 : k2) * t),
  grid: (() => {
    const ks = rateGrid(8);
    const out: number[][] = [];
    for (const k2 of ks) for (const k1 of ks) if (k1 > k2) out.push([Math.sqrt(k2), Math.sqrt(k1 - k2)]);
    return out;
  })(),
  params: ([k1, k2], [a1, a2]) => ({ a1, k1, a2, k2 }),
};

/** Grid search, then Levenberg–Marquardt from the best few grid points (and any extra starts). */
function fitRates(data: Data, model: RateModel, extraStarts: number[][] = []): { rates: number[]; fit: Projected } | null {
  const resid = (u: number[]) => project(data, model.basis(model.rates(u)), model.columns);
  const scored: { u: number[]; sse: number }[] = [];
  for (const u of model.grid) {
    const p = resid(u);
    if (p) scored.push({ u, sse: p.sse });
  }
  scored.sort((a, b) => a.sse - b.sse);
  const starts = [...scored.slice(0, 4).map((s) => s.u), ...extraStarts];
  let best: { u: number[]; fit: Projected } | null = null;
  for (const u of starts) {
    const r = levenbergMarquardt(resid, u);
    if (r && (!best || r.fit.sse < best.fit.sse)) best = r;
  }
  return best && { rates: model.rates(best.u), fit: best.fit };
}

/**
 * AIC = n·ln(SSE/n) + 2k, with SSE the weighted residual sum of squares and k the number of
 * curve parameters. This is −2 ln L (up to a constant) of Gaussian errors whose standard
 * deviations are c·SE_τ with the common factor c estimated from the residuals: the group SEs
 * set the relative precision of the delays, but are not trusted as an absolute noise level
 * (they come from K = 10 groups, and misfit of the curve is not noise), so the χ² form
 * SSE + 2k is not used. c is one more parameter of every model alike, which changes no
 * comparison, so k counts the curve parameters only.
 */
function aicOf(sse: number, n: number, k: number, floor: number): number {
  return n * Math.log(Math.max(sse, floor) / n) + 2 * k;
}

/**
 * Memory length: the first delay at or after the maximum of y at which y < threshold·max y
 * (null: never within 0..D). Its range from y ± 1 SE, applied to the values and to the
 * maximum alike: `low` is the first delay at which y − SE < threshold·(max + SE of the max),
 * `high` the first at which y + SE < threshold·(max − SE of the max); so low ≤ tau ≤ high.
 */
export function memoryLength(samples: readonly DecaySample[], threshold = MEMORY_THRESHOLD): MemoryLength {
  const s = [...samples].filter((p) => Number.isFinite(p.y)).sort((a, b) => a.tau - b.tau);
  const maxDelay = samples.reduce((m, p) => Math.max(m, p.tau), 0);
  const withSe = s.length > 0 && s.every((p) => p.se !== null && Number.isFinite(p.se) && p.se >= 0);
  if (!s.length) return { threshold, tau: null, low: null, high: null, maxDelay, withSe: false };
  let top = 0;
  s.forEach((p, i) => {
    if (p.y > s[top].y) top = i;
  });
  const first = (below: (p: DecaySample) => boolean): number | null => {
    for (let i = top; i < s.length; i++) if (below(s[i])) return s[i].tau;
    return null;
  };
  const max = s[top].y;
  const maxSe = s[top].se ?? 0;
  return {
    threshold,
    tau: first((p) => p.y < threshold * max),
    low: withSe ? first((p) => p.y - (p.se ?? 0) < threshold * (max + maxSe)) : null,
    high: withSe ? first((p) => p.y + (p.se ?? 0) < threshold * (max - maxSe)) : null,
    maxDelay,
    withSe,
  };
}

/**
 * The three models fitted to the samples with τ ≥ `from`, the chosen one and the memory length
 * (over all samples). Null when no sample has τ ≥ `from`. A model is fitted only when there are
 * more points than its parameters. Choice: lowest AIC among the fits with no rate at the cap;
 * AICs within 10⁻⁹ (relative) tie, and a
 * tie goes to fewer parameters, then to exponential before power law before two exponentials.
 */
export function fitDecayModels(samples: readonly DecaySample[], options: DecayModelsOptions = {}): DecayModels | null {
  const from = options.from ?? 1;
  const used = samples.filter((p) => p.tau >= from && Number.isFinite(p.y)).sort((a, b) => a.tau - b.tau);
  if (!used.length) return null;
  const to = used[used.length - 1].tau;
  const weighted = used.every((p) => p.se !== null && Number.isFinite(p.se) && p.se > 0);
  const sw = Float64Array.from(used, (p) => (weighted ? 1 / (p.se as number) : 1));
  const data: Data = {
    tau: Float64Array.from(used, (p) => p.tau),
    y: Float64Array.from(used, (p) => p.y),
    sw,
    yw: Float64Array.from(used, (p, i) => p.y * sw[i]),
  };
  const n = used.length;
  let swSum = 0;
  let swy = 0;
  let syy = 0;
  data.y.forEach((y, i) => {
    const w = data.sw[i] * data.sw[i];
    swSum += w;
    swy += w * y;
    syy += w * y * y;
  });
  const yMean = swy / swSum;
  let sst = 0;
  data.y.forEach((y, i) => (sst += data.sw[i] * data.sw[i] * (y - yMean) ** 2));
  const floor = EXACT_FIT * syy;

  const fits: DecayModelFit[] = [];
  if (syy > 0) {
    const results = new Map<DecayModelName, { rates: number[]; fit: Projected }>();
    const exp = n > PARAMETER_COUNT.exponential ? fitRates(data, EXPONENTIAL) : null;
    if (exp) results.set('exponential', exp);
    if (n > PARAMETER_COUNT['two-exponentials']) {
      // Start also from the single exponential (as the slow component), so that the two never fit worse.
      const k = exp ? Math.max(0, exp.rates[0]) : 0;
      const two = fitRates(data, TWO_EXPONENTIALS, [[Math.sqrt(k), Math.sqrt(Math.max(k, 1e-3))]]);
      if (two) results.set('two-exponentials', two);
    }
    const pow = n > PARAMETER_COUNT['power-law'] ? fitRates(data, POWER_LAW) : null;
    if (pow) results.set('power-law', pow);
    const models: Record<DecayModelName, RateModel> = { exponential: EXPONENTIAL, 'two-exponentials': TWO_EXPONENTIALS, 'power-law': POWER_LAW };
    for (const name of DECAY_MODEL_NAMES) {
      const r = results.get(name);
      if (!r) continue;
      const k = PARAMETER_COUNT[name];
      fits.push({
        model: name,
        params: models[name].params(r.rates, r.fit.amps),
        parameterCount: k,
        sse: r.fit.sse,
        r2: sst > 0 ? 1 - r.fit.sse / sst : null,
        aic: aicOf(r.fit.sse, n, k, floor),
        atRateCap: name !== 'power-law' && r.rates.some((rate) => rate >= MAX_RATE * (1 - 1e-6)),
      });
    }
  }

  let chosen: DecayModelFit | null = null;
  for (const f of fits) {
    // A component at the rate cap spends two parameters on one delay: not a decay model.
    if (f.aic === null || f.atRateCap) continue;
    if (!chosen || chosen.aic === null) {
      chosen = f;
      continue;
    }
    const tie = Math.abs(f.aic - chosen.aic) <= 1e-9 * Math.max(1, Math.abs(chosen.aic));
    const better = tie
      ? f.parameterCount < chosen.parameterCount ||
        (f.parameterCount === chosen.parameterCount && TIE_ORDER.indexOf(f.model) < TIE_ORDER.indexOf(chosen.model))
      : f.aic < chosen.aic;
    if (better) chosen = f;
  }

  return {
    from,
    to,
    weighted,
    fits,
    chosen: chosen?.model ?? null,
    memoryLength: memoryLength(samples, options.threshold ?? MEMORY_THRESHOLD),
  };
}

type DecayDelay = Pick<DelaySummary, 'tau' | 'sigma1' | 'sum'> & {
  se: { sigma1: { se: number } | null; sum: { se: number } | null } | null;
};

/** The decay models of σ₁ and Σσ from a run summary's per-delay values and their group SEs. */
export function decayModelsOfDelays(delays: readonly DecayDelay[]): { sigma1: DecayModels | null; sum: DecayModels | null } {
  const of = (key: 'sigma1' | 'sum') =>
    fitDecayModels(delays.map((d) => ({ tau: d.tau, y: d[key], se: d.se?.[key]?.se ?? null })));
  return { sigma1: of('sigma1'), sum: of('sum') };
}
