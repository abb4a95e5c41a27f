// The pure parts of the Corpora and Models views: a corpus's source label, its unmapped tags,
// a model's status badge and the evaluate form's corpus choice.
import { describe, expect, it } from 'vitest';
import { share, sourceLabel, unmappedTagList } from '../../../renderer/src/lib/state/corpus-labels';
import { evalCorpusChoice, modelStatus } from '../../../renderer/src/lib/state/model-status';
import type { CorpusManifest } from '../../../shared/schemas/corpus';
import type { ModelSummary } from '../../../shared/api/models';

describe('corpus labels', () => {
  it('names the built-in Brown corpus with its file count, other corpora by their file names', () => {
    const corpus = (source: CorpusManifest['source']) => ({ source }) as CorpusManifest;
    expect(sourceLabel(corpus({ kind: 'builtin-brown', paths: [], maxFiles: 40 }))).toBe('Brown, 40 files');
    expect(sourceLabel(corpus({ kind: 'builtin-brown', paths: [], maxFiles: null }))).toBe('Brown');
    expect(sourceLabel(corpus({ kind: 'files', paths: ['/a/b/train.txt', 'C:\\x\\test.txt'], maxFiles: null }))).toBe('train.txt, test.txt');
  });

  it('lists at most 12 unmapped tags with their share of the tokens', () => {
    expect(share(1, 0)).toBe(0);
    expect(unmappedTagList({ FW: 1, NIL: 3 }, 100)).toBe('FW (1.00 %), NIL (3.00 %)');
    const many = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`T${i}`, 1]));
    expect(unmappedTagList(many, 10).split(', ')).toHaveLength(12);
  });
});

describe('model status and evaluate choice', () => {
  const summary = (over: Partial<ModelSummary>) => ({ cancelled: false, complete: true, ...over }) as ModelSummary;
  it('badges a cancelled or incomplete model', () => {
    expect(modelStatus(summary({}))).toBeNull();
    expect(modelStatus(summary({ cancelled: true, complete: false }))).toEqual({ label: 'cancelled: best checkpoint', cls: 'warn' });
    expect(modelStatus(summary({ complete: false }))).toEqual({ label: 'incomplete', cls: 'bad' });
  });

  it('keeps a readable choice, else the training corpus, else the first', () => {
    expect(evalCorpusChoice('b', ['a', 'b'], 'a')).toBe('b');
    expect(evalCorpusChoice('', ['a', 'b'], 'b')).toBe('b');
    expect(evalCorpusChoice('gone', ['a', 'b'], 'gone-too')).toBe('a');
    expect(evalCorpusChoice('x', [], null)).toBe('');
  });
});
