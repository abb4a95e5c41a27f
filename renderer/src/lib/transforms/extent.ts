// Axis domains and ticks the plots share: the y extent of some series (with their bands),
// and decade ticks for a log axis.
import { drawable, type PlotSeries } from './series';

/** [min, max] of y (and y ± se where banded) over drawable points; null when nothing can be drawn. */
export function yExtent(series: readonly PlotSeries[], log: boolean): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    for (const p of s.points) {
      if (!drawable(p, log)) continue;
      const vals = [p.y];
      if (s.band && p.se !== null && p.se !== undefined) vals.push(p.y - p.se, p.y + p.se);
      for (const v of vals) {
        if (log && v <= 0) continue;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  }
  return Number.isFinite(lo) ? [lo, hi] : null;
}

export function xExtent(series: readonly PlotSeries[]): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    for (const p of s.points) {
      lo = Math.min(lo, p.x);
      hi = Math.max(hi, p.x);
    }
  }
  return Number.isFinite(lo) ? [lo, hi] : null;
}

/** A y domain to draw: linear from 0 (or the minimum when negative) with 5 % headroom; log widened to whole decades. */
export function yDomain(extent: [number, number] | null, log: boolean): [number, number] {
  if (!extent) return log ? [0.1, 1] : [0, 1];
  const [lo, hi] = extent;
  if (log) {
    const a = Math.pow(10, Math.floor(Math.log10(lo)));
    let b = Math.pow(10, Math.ceil(Math.log10(hi)));
    if (b <= a) b = a * 10;
    return [a, b];
  }
  const min = Math.min(0, lo);
  const max = hi > min ? hi : min + 1;
  return [min, max + (max - min) * 0.05];
}

/** Powers of ten in [lo, hi]; at most `max` of them (every other decade, and so on, when more). */
export function decadeTicks(lo: number, hi: number, max = 7): number[] {
  const a = Math.ceil(Math.log10(lo) - 1e-9);
  const b = Math.floor(Math.log10(hi) + 1e-9);
  const n = b - a + 1;
  const step = Math.max(1, Math.ceil(n / max));
  const out: number[] = [];
  for (let e = b; e >= a; e -= step) out.unshift(Number(`1e${e}`));
  return out;
}

/**
 * Ticks for a log axis: the decades of decadeTicks, plus 2 and 5 times each decade when the
 * domain spans a single decade (two labels would say too little about, e.g., 0.1–1).
 */
export function logTicks(lo: number, hi: number, max = 7): number[] {
  const decades = decadeTicks(lo, hi, max);
  if (Math.log10(hi / lo) > 1 + 1e-9) return decades;
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo) + 1e-9); e <= Math.ceil(Math.log10(hi) - 1e-9); e++) {
    for (const m of [1, 2, 5]) {
      const v = Number(`${m}e${e}`);
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
    }
  }
  return out;
}

/**
 * Integer ticks for the delay and rank axes, about `count` of them. An axis that starts
 * off the step grid (ranks start at 1) also gets its first value, unless a tick is close.
 */
export function integerTicks(lo: number, hi: number, count = 8): number[] {
  const span = Math.max(1, hi - lo);
  const steps = [1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000];
  const step = steps.find((s) => span / s <= count) ?? Math.ceil(span / count);
  const out: number[] = [];
  const first = Math.ceil(lo / step) * step;
  if (Number.isInteger(lo) && first - lo > step / 2) out.push(lo);
  for (let t = first; t <= hi; t += step) out.push(t);
  return out;
}
