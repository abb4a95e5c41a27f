import { describe, expect, it } from 'vitest';
import { runHeader } from './run-header';
import { makeRecord } from './test-record';

describe('run header', () => {
  it('states target, model, corpus, decay model, memory length, timings and rate', () => {
    const facts = Object.fromEntries(runHeader(makeRecord()).flatMap((g) => g.facts.map((f) => [f.label, f.value])));
    expect(facts.Target).toBe('cell state c, layer 1 of 1');
    expect(facts.Shape).toBe('vocabulary 800, E 16, H 32');
    expect(facts.Corpus).toBe('brown (test split)');
    expect(facts['σ₁ decay']).toBe('exponential, half-life 1.39 tokens; R² 1');
    expect(facts['σ₁ memory length']).toBe('5 tokens (± 1 SE: 5)');
    expect(facts['Σσ decay']).toBe('exponential, half-life 1.58 tokens; R² 0.9993');
    expect(facts.Work).toBe('7.8 GFLOP at 3.9 GFLOP/s');
    expect(facts['Total time']).toBe('4.8 s');
    expect(facts.Tokens).toBe('2,300 in 20 streams of 115');
    expect(facts.Created).toBe('2025-01-02 03:04:05 UTC');
  });
});
