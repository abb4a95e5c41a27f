// Options are checked before anything is written, and the class set is a valid,
// consistent description of the generated words.
import { describe, expect, it } from 'vitest';
import { ClassSetSchema } from '../../../shared/schemas/corpus';
import {
  DEFAULT_SPEC,
  MARKER_UNION_CLASS,
  PROPERTY_SPEC,
  resolveOptions,
  scaledDefaults,
  syntheticClassSet,
  syntheticWords,
  verdictMaxDelay,
} from '../../../main/engine/synthetic';
import { parsePropertySpec } from '../../../main/engine/analysis';

const base = { projectDir: '/tmp/p', id: 'syn' };

describe('synthetic options', () => {
  it('fills in the measured defaults', () => {
    const o = resolveOptions(base);
    expect(o.spec).toEqual({ ...DEFAULT_SPEC, span: 5 });
    expect(o.sentences).toEqual({ train: 6000, valid: 1200, test: 1200 });
    expect(o).toMatchObject({ seed: 1, epochs: 6, maxDelay: 30, streams: 20, workers: 0, backend: 'auto' });
    expect(o.model).toEqual({ embeddingDim: 16, hiddenSize: 32, learningRate: 0.02, batchSize: 20, bptt: 20, forgetBias: 0 });
    expect(resolveOptions({ ...base, span: 30 }).maxDelay).toBe(verdictMaxDelay(30, 1));
    expect(resolveOptions({ ...base, sentences: 100 }).sentences.valid).toBe(200);
  });

  it('scales epochs, BPTT and the learning rate with K beyond 8, and explicit values win', () => {
    for (const K of [2, 3, 5, 8]) expect(scaledDefaults(K)).toEqual({ epochs: 6, model: resolveOptions(base).model });
    expect(resolveOptions({ ...base, span: 9 })).toMatchObject({ epochs: 14, model: { bptt: 20, learningRate: 0.01, hiddenSize: 32 } });
    expect(resolveOptions({ ...base, span: 12 })).toMatchObject({ epochs: 18, model: { bptt: 24, learningRate: 0.01 } });
    expect(resolveOptions({ ...base, span: 20 })).toMatchObject({ epochs: 30, model: { bptt: 40, learningRate: 0.01 } });
    const explicit = resolveOptions({ ...base, span: 20, epochs: 3, model: { bptt: 25, learningRate: 0.05 } });
    expect(explicit).toMatchObject({ epochs: 3, model: { bptt: 25, learningRate: 0.05 } });
  });

  it('refuses values it cannot use, naming them', () => {
    expect(() => resolveOptions({ ...base, span: 1 })).toThrow(/span of at least 2/);
    expect(() => resolveOptions({ ...base, seed: 0 })).toThrow(/seed/);
    expect(() => resolveOptions({ ...base, sentences: 99 })).toThrow(/sentences/);
    expect(() => resolveOptions({ ...base, epochs: 0 })).toThrow(/epochs/);
    expect(() => resolveOptions({ ...base, maxDelay: 10 })).toThrow(/K \+ G \+ 7 = 13/);
    expect(() => resolveOptions({ ...base, spec: { fillers: 0 } })).toThrow(/fillers/);
    expect(() => resolveOptions({ ...base, model: { learningRate: -1 } })).toThrow(/learning rate/);
  });
});

describe('synthetic class set', () => {
  it('is valid, lists every generated word once per class, and defines the property', () => {
    const spec = { ...DEFAULT_SPEC, span: 5, markersPerClass: 12 };
    const set = syntheticClassSet(spec);
    expect(ClassSetSchema.safeParse(set).success).toBe(true);
    const w = syntheticWords(spec);
    expect(set.classes['marker-a']).toEqual(w.markerA);
    expect(set.classes['marker-b']).toEqual(w.markerB);
    expect([...set.classes[MARKER_UNION_CLASS]].sort()).toEqual([...w.markerA, ...w.markerB].sort());
    expect(set.classes.filler).toHaveLength(spec.fillers);
    // Sorted order is numeric order (zero-padded), as the class-set store sorts lists.
    expect([...w.markerA].sort()).toEqual(w.markerA);
    expect(parsePropertySpec(PROPERTY_SPEC)).toEqual({ name: 'marker', classA: 'marker-a', classB: 'marker-b' });
  });
});
