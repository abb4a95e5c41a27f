// A colour-blind-safe categorical palette (Okabe & Ito, with two of Paul Tol's colours after
// them), as CSS variables so the light and dark themes can each use a readable variant
// (plots/plot-theme.css defines them). Grey is kept for the reference curves.

export const PALETTE_SIZE = 8;

/** The i-th categorical colour, cycling after PALETTE_SIZE. */
export function seriesColour(i: number): string {
  return `var(--mn-series-${((i % PALETTE_SIZE) + PALETTE_SIZE) % PALETTE_SIZE})`;
}

/** Past the palette's length, curves are told apart by their dash as well. */
export function cycleDash(i: number): 'solid' | 'dashed' | 'dotted' {
  const round = Math.floor(i / PALETTE_SIZE) % 3;
  return round === 0 ? 'solid' : round === 1 ? 'dashed' : 'dotted';
}

export const GREY = 'var(--mn-grey)';
