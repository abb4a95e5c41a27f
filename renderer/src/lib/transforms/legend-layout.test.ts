import { describe, expect, it } from 'vitest';
import { layoutLegend, LEGEND_ROW, LEGEND_SWATCH, textWidth } from './legend-layout';

describe('legend layout', () => {
  it('flows left to right and wraps at the width', () => {
    const items = ['aaaa', 'bbbbbbbbbb', 'cc'].map((label) => ({ key: label, label }));
    const w0 = LEGEND_SWATCH + 6 + textWidth('aaaa');
    const w1 = LEGEND_SWATCH + 6 + textWidth('bbbbbbbbbb');
    const wide = layoutLegend(items, 1000);
    expect(wide.placed.map((p) => [p.x, p.y])).toEqual([
      [0, 0],
      [w0 + 16, 0],
      [w0 + 16 + w1 + 16, 0],
    ]);
    expect(wide.height).toBe(LEGEND_ROW);
    const narrow = layoutLegend(items, w0 + 20);
    expect(narrow.placed.map((p) => p.y)).toEqual([0, LEGEND_ROW, 2 * LEGEND_ROW]);
    expect(narrow.height).toBe(3 * LEGEND_ROW);
    expect(layoutLegend([], 100).height).toBe(0);
  });
});
