// Which point the pointer is over: the nearest in screen pixels within a radius, and the
// neighbours for keyboard moves between points.

export interface ScreenPoint {
  series: number;
  index: number;
  sx: number;
  sy: number;
}

export function nearestPoint(points: readonly ScreenPoint[], px: number, py: number, radius = 24): ScreenPoint | null {
  let best: ScreenPoint | null = null;
  let bestD = radius * radius;
  for (const p of points) {
    const d = (p.sx - px) ** 2 + (p.sy - py) ** 2;
    if (d <= bestD) {
      best = p;
      bestD = d;
    }
  }
  return best;
}

/**
 * The point a key moves to: ←/→ along the series, ↑/↓ to the next series up or down the
 * list at the nearest x, Home/End to the series' ends. Null for other keys.
 */
export function movePoint(
  points: readonly ScreenPoint[],
  from: ScreenPoint,
  key: string,
): ScreenPoint | null {
  const same = points.filter((p) => p.series === from.series).sort((a, b) => a.sx - b.sx);
  const at = same.findIndex((p) => p.index === from.index);
  switch (key) {
    case 'ArrowRight':
      return same[Math.min(same.length - 1, at + 1)] ?? from;
    case 'ArrowLeft':
      return same[Math.max(0, at - 1)] ?? from;
    case 'Home':
      return same[0] ?? from;
    case 'End':
      return same[same.length - 1] ?? from;
    case 'ArrowDown':
    case 'ArrowUp': {
      const seriesIds = [...new Set(points.map((p) => p.series))].sort((a, b) => a - b);
      const k = seriesIds.indexOf(from.series) + (key === 'ArrowDown' ? 1 : -1);
      if (k < 0 || k >= seriesIds.length) return from;
      const other = points.filter((p) => p.series === seriesIds[k]);
      let best = other[0] ?? from;
      for (const p of other) if (Math.abs(p.sx - from.sx) < Math.abs(best.sx - from.sx)) best = p;
      return best;
    }
    default:
      return null;
  }
}
