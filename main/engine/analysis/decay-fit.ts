// Exponential-decay fit of a per-delay quantity y(τ) (σ₁ or Σσ): ordinary least squares of
// log y against τ, log y ≈ a + b·τ, over the delays in range where y > 0. The paper reports
// an exponential decay; the authors' later work finds it fast but not exactly exponential,
// so the per-delay residuals (log y − fit, natural log) are part of the result.

export interface DecayFitOptions {
  /** First delay of the fit range (default 0). */
  from?: number;
  /** Last delay of the fit range, inclusive (default: the last delay). */
  to?: number;
}

export interface DecayFit {
  from: number;
  to: number;
  /** Delays actually used (in range and y > 0). */
  used: number[];
  /** b in log y = a + b·τ, per token. */
  slope: number;
  /** a in log y = a + b·τ (so the fitted y(0) is e^a). */
  intercept: number;
  /** −1/b tokens: y falls by a factor e over this many tokens; null unless b < 0. */
  decayLength: number | null;
  /** ln 2/(−b) tokens; null unless b < 0. */
  halfLife: number | null;
  /** Coefficient of determination of the log-linear fit; null when all log y are equal. */
  r2: number | null;
  /** Per delay τ = 0..n−1: log y(τ) − (a + b·τ), or null where τ was not used. */
  residuals: (number | null)[];
}

export function fitExponentialDecay(values: ArrayLike<number>, options: DecayFitOptions = {}): DecayFit {
  const last = values.length - 1;
  const from = options.from ?? 0;
  const to = options.to ?? last;
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > last || from > to) {
    throw new RangeError(`fit range ${from}..${to} is not inside the delays 0..${last}`);
  }
  const used: number[] = [];
  for (let t = from; t <= to; t++) if (values[t] > 0 && Number.isFinite(values[t])) used.push(t);
  if (used.length < 2) {
    throw new Error(`a decay fit needs at least 2 delays with a positive value in ${from}..${to}, found ${used.length}`);
  }
  // Centred sums: numerically stable for the short ranges used here.
  const n = used.length;
  const tMean = used.reduce((s, t) => s + t, 0) / n;
  const logs = used.map((t) => Math.log(values[t]));
  const yMean = logs.reduce((s, y) => s + y, 0) / n;
  let stt = 0;
  let sty = 0;
  let syy = 0;
  used.forEach((t, i) => {
    const dt = t - tMean;
    const dy = logs[i] - yMean;
    stt += dt * dt;
    sty += dt * dy;
    syy += dy * dy;
  });
  const slope = sty / stt;
  const intercept = yMean - slope * tMean;
  const residuals: (number | null)[] = Array.from({ length: values.length }, () => null);
  let sse = 0;
  used.forEach((t, i) => {
    const r = logs[i] - (intercept + slope * t);
    residuals[t] = r;
    sse += r * r;
  });
  return {
    from,
    to,
    used,
    slope,
    intercept,
    decayLength: slope < 0 ? -1 / slope : null,
    halfLife: slope < 0 ? Math.LN2 / -slope : null,
    r2: syy > 0 ? 1 - sse / syy : null,
    residuals,
  };
}
