import { describe, expect, it } from 'vitest';
import { movePoint, nearestPoint, type ScreenPoint } from './nearest-point';

const pts: ScreenPoint[] = [
  { series: 0, index: 0, sx: 0, sy: 0 },
  { series: 0, index: 1, sx: 10, sy: 0 },
  { series: 0, index: 2, sx: 20, sy: 0 },
  { series: 2, index: 0, sx: 1, sy: 50 },
  { series: 2, index: 1, sx: 19, sy: 50 },
];

describe('pointer and keyboard', () => {
  it('nearest point within the radius', () => {
    expect(nearestPoint(pts, 9, 3)).toBe(pts[1]);
    expect(nearestPoint(pts, 18, 45)).toBe(pts[4]);
    expect(nearestPoint(pts, 100, 100)).toBeNull();
  });
  it('arrows move along a series and between series at the nearest x', () => {
    expect(movePoint(pts, pts[1], 'ArrowRight')).toBe(pts[2]);
    expect(movePoint(pts, pts[2], 'ArrowRight')).toBe(pts[2]);
    expect(movePoint(pts, pts[0], 'ArrowLeft')).toBe(pts[0]);
    expect(movePoint(pts, pts[2], 'ArrowDown')).toBe(pts[4]);
    expect(movePoint(pts, pts[3], 'ArrowUp')).toBe(pts[0]);
    expect(movePoint(pts, pts[3], 'ArrowDown')).toBe(pts[3]);
    expect(movePoint(pts, pts[0], 'End')).toBe(pts[2]);
    expect(movePoint(pts, pts[0], 'a')).toBeNull();
  });
});
