// How numbers, durations and sizes read to people: the one place for these rules, used by
// the renderer and the CLI. Pure and import-free, so both sides can share it and the rules
// are tested (test/unit/renderer/format-route.test.ts).

/** 6 significant digits, exponent form for the very small and very large (σ₁ decays over many orders of magnitude); '—' for null or a non-finite value. */
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

/** A value with its standard error: '0.0688 ± 1.22e-4'. */
export function formatWithSe(y: number | null, se: number | null | undefined, digits = 6): string {
  const v = formatValue(y, digits);
  return y === null || se === null || se === undefined || !Number.isFinite(se) ? v : `${v} ± ${formatValue(se, 3)}`;
}

export interface DurationOptions {
  /** Below a minute, keep two or three significant digits ('0.34 s', '4.8 s', '42.4 s') instead of whole seconds; for measured compute times. */
  precise?: boolean;
}

/**
 * "2 h 05 min", "3 min 07 s", "42 s", "< 1 s"; "—" when unknown. Minutes under hours and
 * seconds under minutes are always two digits. With `precise`, "0.34 s" and "4.8 s" below a minute.
 */
export function formatDuration(seconds: number | null | undefined, options: DurationOptions = {}): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  if (options.precise && seconds < 59.5) return `${formatValue(seconds, seconds < 10 ? 2 : 3)} s`;
  if (seconds < 1) return '< 1 s';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m > 0) return `${m} min ${String(sec).padStart(2, '0')} s`;
  return `${sec} s`;
}

/** Whole numbers with comma grouping: 1160000 → "1,160,000". */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return Math.round(n).toLocaleString('en-US');
}

/** A share 0..1 as a percentage with `digits` decimals: 0.2409 → "24.09 %". */
export function formatPercent(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return `${(x * 100).toFixed(digits)} %`;
}

/**
 * A byte count for people, in powers of 1024 named as such: 17 → "17 bytes", 1536 → "1.5 KiB",
 * 256·2²⁰ → "256 MiB" (two significant digits below 100); "—" when unknown. The one formatter
 * of sizes: the app's views and the engine's messages ("the limit is 1 GiB") both use it.
 */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n) || n < 0) return '—';
  if (n === Number.POSITIVE_INFINITY) return 'an unlimited number of bytes';
  const units = ['EiB', 'PiB', 'TiB', 'GiB', 'MiB', 'KiB'] as const;
  for (let i = 0; i < units.length; i++) {
    const size = 1024 ** (units.length - i);
    if (n >= size) {
      const v = n / size;
      const shown = v >= 1e4 ? v.toExponential(1) : v >= 100 ? String(Math.round(v)) : String(Number(v.toPrecision(2)));
      return `${shown} ${units[i]}`;
    }
  }
  return `${n} bytes`;
}

/** Parameter counts the way papers write them: 845 → "845", 12_345 → "12.3 k", 2_640_000 → "2.64 M". */
export function formatParams(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  if (n < 1000) return String(Math.round(n));
  if (n < 1e6) return `${(n / 1e3).toPrecision(3)} k`;
  if (n < 1e9) return `${(n / 1e6).toPrecision(3)} M`;
  return `${(n / 1e9).toPrecision(3)} G`;
}

/** A perplexity or other measure with `digits` decimals; "—" when missing or not finite. */
export function formatNumber(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return x.toFixed(digits);
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

/** An ISO time as a short local date and time; the text itself when it is not a date. */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString('en-GB', { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}
