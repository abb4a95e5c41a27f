// The one progress shape: counts → a phase progress with the time left at the rate so far,
// and a phase progress → the job manager's update (the job's fraction from the phase table).
import { describe, expect, it } from 'vitest';
import { countProgress, secondsLeftAtRate } from '../../../main/engine/jobs/eta';
import { phaseFraction, phaseUpdate, type PhaseShares } from '../../../main/engine/jobs/phase-progress';

const PHASES: PhaseShares<'read' | 'work'> = { read: [0, 0.25], work: [0.25, 0.75] };

describe('countProgress', () => {
  it('gives the fraction, the time left at the rate so far and a label told the rate', () => {
    const p = countProgress('work', 30, 120, 6, (rate) => `${rate}/s`);
    // 30 units in 6 s: 5/s, 90 left → 18 s
    expect(p).toEqual({ phase: 'work', fraction: 0.25, label: '5/s', secondsLeft: 18 });
  });

  it('says nothing of the time left before the first unit, and 0 when done (fraction clamped)', () => {
    expect(countProgress('work', 0, 50, 3, () => '').secondsLeft).toBeNull();
    expect(countProgress('work', 60, 50, 3, () => '')).toMatchObject({ fraction: 1, secondsLeft: 0 });
    expect(secondsLeftAtRate(4, 10, 0)).toBeNull();
    expect(secondsLeftAtRate(4, 10, 2)).toBe(3);
  });
});

describe('phaseUpdate', () => {
  it('carries the phase progress as the detail, with the job fraction from the phase table', () => {
    const p = { phase: 'work' as const, fraction: 0.5, label: 'half', secondsLeft: 7 };
    expect(phaseUpdate(PHASES, p)).toEqual({ detail: p, fraction: 0.625, label: 'half', secondsLeft: 7 });
    expect(phaseFraction(PHASES, { phase: 'read', fraction: Number.NaN, label: '', secondsLeft: null })).toBe(0);
    expect(phaseFraction(PHASES, { phase: 'read', fraction: 2, label: '', secondsLeft: null })).toBe(0.25);
  });
});
