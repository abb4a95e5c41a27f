import { describe, expect, it } from 'vitest';
import { formatFlops, formatSeconds, formatValue, formatWithSe } from './format';

describe('formatValue', () => {
  it('keeps six significant digits, in exponent form for the very small and large', () => {
    expect(formatValue(0.06883996327104275)).toBe('0.06884');
    expect(formatValue(0.123456789)).toBe('0.123457');
    expect(formatValue(1.3512345e-6)).toBe('1.35123e-6');
    expect(formatValue(2e-5)).toBe('2e-5');
    expect(formatValue(12345678)).toBe('1.23457e7');
    expect(formatValue(-0.5)).toBe('-0.5');
    expect(formatValue(0)).toBe('0');
    expect(formatValue(1.8647, 3)).toBe('1.86');
    expect(formatValue(1.8651, 3)).toBe('1.87');
  });
  it('shows missing values as a dash', () => {
    expect(formatValue(null)).toBe('—');
    expect(formatValue(Number.NaN)).toBe('—');
    expect(formatWithSe(null, 0.1)).toBe('—');
  });
  it('adds the standard error with three digits', () => {
    expect(formatWithSe(0.0688, 0.000122402)).toBe('0.0688 ± 1.22e-4');
    expect(formatWithSe(0.5, null)).toBe('0.5');
  });
  it('seconds and flops for people', () => {
    expect(formatSeconds(4.754)).toBe('4.8 s');
    expect(formatSeconds(125)).toBe('2 min 5 s');
    expect(formatSeconds(3725)).toBe('1 h 2 min');
    expect(formatFlops(7824998400)).toBe('7.82 GFLOP');
    expect(formatFlops(2.5e6)).toBe('2.5 MFLOP');
  });
});
