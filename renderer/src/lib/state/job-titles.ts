// How a job is named for people: "Training of model 'small'", "Delay sweep 'small-c1-d30'".
import type { JobKind } from '../../../../shared/jobs';

const VERBS: Partial<Record<JobKind, string>> = {
  'import-corpus': 'Import of corpus',
  train: 'Training of model',
  'import-model': 'Import of model',
  evaluate: 'Evaluation of model',
  analyze: 'Delay sweep',
  merge: 'Merge of shards into run',
  ablate: 'Context ablation',
};

/** `kind` is null for a job seen only through a log line so far; `params` are the kind's (or null). */
export function jobTitle(kind: JobKind | null, params: object | null): string {
  if (kind === null) return 'Job';
  const verb = VERBS[kind] ?? `Job ${kind}`;
  const id = params && 'id' in params ? params.id : undefined;
  const model = params && 'model' in params ? params.model : undefined;
  const split = params && 'split' in params ? params.split : undefined;
  if (kind === 'evaluate' && typeof model === 'string') return `${verb} '${model}'${typeof split === 'string' ? ` on ${split}` : ''}`;
  return typeof id === 'string' ? `${verb} '${id}'` : verb;
}
