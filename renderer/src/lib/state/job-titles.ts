// How a job is named for people: "Training model 'small'", "Delay sweep 'small-c1-d30'".

const VERBS: Record<string, string> = {
  'import-corpus': 'Import of corpus',
  train: 'Training of model',
  'import-model': 'Import of model',
  evaluate: 'Evaluation of model',
  analyze: 'Delay sweep',
  merge: 'Merge of shards into run',
};

export function jobTitle(kind: string, params: unknown): string {
  const p = (params ?? {}) as { id?: unknown; model?: unknown; split?: unknown };
  const verb = VERBS[kind] ?? `Job ${kind}`;
  if (kind === 'evaluate' && typeof p.model === 'string') return `${verb} '${p.model}'${typeof p.split === 'string' ? ` on ${p.split}` : ''}`;
  return typeof p.id === 'string' ? `${verb} '${p.id}'` : verb;
}
