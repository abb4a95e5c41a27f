import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { isNumberToken, preprocessToken } from '../../../main/engine/corpus/preprocess';
import type { Preprocessing } from '../../../shared/schemas/corpus';

const ALL: Preprocessing = { lowercase: true, numbers: true, eos: true };

describe('preprocessing', () => {
  it.each(['3', '3.5', '1,000', '1/2', '-4', '+2', '.5', '12:30', '1,000,000.25', '50%'])('%s is a number', (t) => {
    expect(isNumberToken(t)).toBe(true);
  });
  it.each(['N', 'three', '3rd', '1960s', '-', '.', '1/', '/2', '3..5', 'a1', '$3', '1-2', ''])('%s is not a number', (t) => {
    expect(isNumberToken(t)).toBe(false);
  });

  it('applies each step only when on', () => {
    expect(preprocessToken('The', ALL)).toBe('the');
    expect(preprocessToken('1,000', ALL)).toBe('N');
    expect(preprocessToken('The', { ...ALL, lowercase: false })).toBe('The');
    expect(preprocessToken('1,000', { ...ALL, numbers: false })).toBe('1,000');
    expect(preprocessToken('N', ALL)).toBe('N');
    expect(preprocessToken('N', { ...ALL, numbers: false })).toBe('n');
  });

  it('numbers → N is idempotent, and so is the whole step', () => {
    const token = fc.oneof(
      fc.string({ minLength: 1, maxLength: 8 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
      fc.integer().map((n) => n.toLocaleString('en-US')),
      fc.tuple(fc.nat(), fc.nat({ max: 99 })).map(([a, b]) => `${a}/${b + 1}`),
    );
    const prep = fc.record({ lowercase: fc.boolean(), numbers: fc.boolean(), eos: fc.boolean() });
    fc.assert(
      fc.property(token, prep, (t, p) => {
        const once = preprocessToken(t, p);
        expect(preprocessToken(once, p)).toBe(once);
        if (p.numbers && isNumberToken(t)) expect(once).toBe('N');
      }),
      { numRuns: 500 },
    );
  });
});
