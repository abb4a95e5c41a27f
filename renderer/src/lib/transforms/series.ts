// What the plot components draw: plain data, made from a run record by the transforms
// beside this file and drawn by renderer/src/lib/plots/. A point's y is null where the
// quantity is undefined (a ratio over an all-zero spectrum, m when σ₁ = 0).

export type Dash = 'solid' | 'dashed' | 'dotted';

export interface PlotPoint {
  x: number;
  y: number | null;
  /** standard error of y, drawn as a band y ± se when the series has `band` */
  se?: number | null;
}

export interface PlotSeries {
  /** unique within a plot; also the CSV column */
  key: string;
  /** what the legend and the tooltip call it */
  label: string;
  /** a CSS colour, usually var(--mn-series-N) from palette.ts */
  colour: string;
  dash: Dash;
  points: PlotPoint[];
  /** draw y ± se as a shaded band */
  band: boolean;
  /** points can be hovered and focused for their exact values (fitted curves are not) */
  interactive: boolean;
  /** stroke width in px (default 2) */
  width?: number;
}

export interface BarDatum {
  key: string;
  label: string;
  value: number | null;
  colour: string;
}

export const DASH_ARRAY: Record<Dash, string | null> = { solid: null, dashed: '6 4', dotted: '1.5 3' };

/** Points whose y can be drawn: finite, and positive on a log axis. */
export function drawable(p: PlotPoint, log: boolean): p is PlotPoint & { y: number } {
  return p.y !== null && Number.isFinite(p.y) && (!log || p.y > 0);
}
