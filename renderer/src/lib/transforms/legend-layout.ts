// Where legend entries go: left to right in rows under the plot, wrapping at the width.
// Text widths are estimated (about 0.6 em per character), which is good enough for labels.

export interface LegendItem {
  key: string;
  label: string;
}

export interface PlacedLegendItem<T extends LegendItem> {
  item: T;
  x: number;
  y: number;
}

export const LEGEND_SWATCH = 22;
export const LEGEND_ROW = 18;

export function textWidth(text: string, fontSize = 12): number {
  return [...text].length * fontSize * 0.6;
}

export function layoutLegend<T extends LegendItem>(
  items: readonly T[],
  width: number,
  fontSize = 12,
): { placed: PlacedLegendItem<T>[]; height: number } {
  const gap = 16;
  const placed: PlacedLegendItem<T>[] = [];
  let x = 0;
  let row = 0;
  for (const item of items) {
    const w = LEGEND_SWATCH + 6 + textWidth(item.label, fontSize);
    if (x > 0 && x + w > width) {
      row++;
      x = 0;
    }
    placed.push({ item, x, y: row * LEGEND_ROW });
    x += w + gap;
  }
  return { placed, height: items.length ? (row + 1) * LEGEND_ROW : 0 };
}
