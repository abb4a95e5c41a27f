import { describe, expect, it } from 'vitest';
import { RunRecordSchema } from '../../../../shared/schemas/run';
import { makeRecord } from './test-record';

describe('the fixture run record', () => {
  it('is a valid run.json, so the transform tests see the real shape', () => {
    expect(() => RunRecordSchema.parse(makeRecord())).not.toThrow();
    expect(() => RunRecordSchema.parse(makeRecord({ maxDelay: 3, state: 'h', properties: ['sg-pl'] }))).not.toThrow();
  });
});
