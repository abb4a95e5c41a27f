// Numbers for tooltips, labels and tables: six significant digits, exponent notation for
// the very small and very large (σ₁ decays over many orders of magnitude).

/** 6 significant digits; '—' for null or a non-finite value. */
export function formatValue(x: number | null | undefined, digits = 6): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a < 1e-3 || a >= 1e6) {
    const [mantissa, exponent] = x.toExponential(digits - 1).split('e');
    const trimmed = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa;
    return `${trimmed}e${exponent.replace('+', '')}`;
  }
  return String(Number(x.toPrecision(digits)));
}

/** A value with its standard error: '0.0688 ± 0.000122'. */
export function formatWithSe(y: number | null, se: number | null | undefined, digits = 6): string {
  const v = formatValue(y, digits);
  return y === null || se === null || se === undefined || !Number.isFinite(se) ? v : `${v} ± ${formatValue(se, 3)}`;
}

/** Seconds for people: '0.34 s', '2 min 5 s', '1 h 3 min'. */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '—';
  if (s < 60) return `${formatValue(s, s < 10 ? 2 : 3)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s - 60 * m)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** 7824998400 → '7.82 GFLOP'. */
export function formatFlops(f: number): string {
  const units: [number, string][] = [
    [1e12, 'TFLOP'],
    [1e9, 'GFLOP'],
    [1e6, 'MFLOP'],
  ];
  for (const [scale, unit] of units) if (f >= scale) return `${formatValue(f / scale, 3)} ${unit}`;
  return `${formatValue(f, 3)} FLOP`;
}
