// The fields every form that starts a run of a model over a corpus has (a sweep, an ablation):
// the new run's id and name, the model, the corpus and its split; checked and sent alike.
import { checkItemId } from './fields';

export interface RunTargetValues {
  id: string;
  name: string;
  model: string;
  corpus: string;
  split: 'valid' | 'test';
}

/** The errors of the run's id, model and corpus; `what`: the message when no model, or no corpus, is chosen. */
export function runTargetErrors(
  v: RunTargetValues,
  takenRunIds: ReadonlySet<string>,
  what: { model: string; corpus: string },
): Partial<Record<'id' | 'model' | 'corpus', string>> {
  const errors: Partial<Record<'id' | 'model' | 'corpus', string>> = {};
  const idError = checkItemId(v.id) ?? (takenRunIds.has(v.id) ? `the project already has a run '${v.id}'` : null);
  if (idError) errors.id = idError;
  if (!v.model) errors.model = what.model;
  if (!v.corpus) errors.corpus = what.corpus;
  return errors;
}

/** The params these fields give (a blank name is left out). */
export function runTargetParams(v: RunTargetValues, project: string) {
  const name = v.name.trim();
  return { project, model: v.model, corpus: v.corpus, id: v.id, ...(name && { name }), split: v.split };
}

/** `{ [key]: value }`, or nothing when the field was left empty (the engine's default then applies). */
export function optionalNumber<K extends string>(nums: Partial<Record<K, number | null>>, key: K): Partial<Record<K, number>> {
  const value = nums[key];
  return value === null || value === undefined ? {} : ({ [key]: value } as Partial<Record<K, number>>);
}
