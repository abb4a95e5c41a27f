// The chosen words of a run, mapped through the model's vocabulary. Unknown words are an
// error naming them (with the lower-case form when that one exists: corpora are lower-cased
// by default, so 'John' is usually 'john').
import { UserError } from '../errors';
import type { RunConfig } from '../../../shared/schemas/run';

export function resolveWords(words: readonly string[] | undefined, vocabIndex: ReadonlyMap<string, number>, modelId: string): RunConfig['words'] {
  const list = [...new Set((words ?? []).map((w) => w.trim()).filter((w) => w !== ''))];
  const unknown = list.filter((w) => !vocabIndex.has(w));
  if (unknown.length) {
    const shown = unknown.map((w) => {
      const lower = w.toLowerCase();
      return lower !== w && vocabIndex.has(lower) ? `'${w}' (did you mean '${lower}'?)` : `'${w}'`;
    });
    throw new UserError(`not in the vocabulary of model '${modelId}': ${shown.join(', ')}`);
  }
  return list.map((word) => ({ word, id: vocabIndex.get(word) as number }));
}
