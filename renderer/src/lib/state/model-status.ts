// What the Models view derives from a model's summary: the badge of a cancelled or incomplete
// model, and which corpus the evaluate form offers.
import type { ModelSummary } from '../../../../shared/api/models';

export function modelStatus(s: ModelSummary): { label: string; cls: string } | null {
  if (s.cancelled) return { label: 'cancelled: best checkpoint', cls: 'warn' };
  if (!s.complete) return { label: 'incomplete', cls: 'bad' };
  return null;
}

/** The chosen corpus while it is readable; else the one the model was trained on, else the first. */
export function evalCorpusChoice(chosen: string, readable: readonly string[], fromTraining: string | null | undefined): string {
  if (readable.includes(chosen)) return chosen;
  return fromTraining && readable.includes(fromTraining) ? fromTraining : (readable[0] ?? '');
}
