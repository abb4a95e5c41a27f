// The context-ablation form: every option of AblateParamsSchema, prefilled with the schema's
// own defaults, checked before the `ablate` job is sent, and turned into the job's params.
import { AblateParamsSchema, MAX_ABLATION_DELAY, type AblateParams, type AblationMode } from '../../../../shared/schemas/ablation';
import type { ClassSetSummary } from '../../../../shared/api/corpora';
import { checkClassSetChoice } from './analyze-form';
import { fieldText, parseNumberField, type NumberFieldSpec } from './fields';
import { optionalNumber, runTargetErrors, runTargetParams } from './run-target';

export interface AblateFormValues {
  id: string;
  name: string;
  model: string;
  corpus: string;
  split: 'valid' | 'test';
  mode: AblationMode;
  maxDelay: string;
  streams: string;
  /** Empty: the whole split. */
  maxTokens: string;
  /** 'all': every class set of the corpus. */
  classSetsMode: 'all' | 'chosen';
  classSets: string[];
  groups: string;
  seed: string;
  /** Empty: all cores. */
  workers: string;
}

type NumericKey = 'maxDelay' | 'streams' | 'maxTokens' | 'groups' | 'seed' | 'workers';

export { MAX_ABLATION_DELAY };

export const ABLATE_NUMBER_FIELDS: Record<NumericKey, NumberFieldSpec & { label: string; help: string }> = {
  maxDelay: { kind: 'int', min: 0, max: MAX_ABLATION_DELAY, label: 'Max. delay D', help: 'Largest delay τ; the truncation curve runs to k = D + 1 tokens.' },
  streams: { kind: 'int', min: 1, label: 'Streams B', help: 'Parallel streams the tokens are cut into, as for a sweep.' },
  maxTokens: { kind: 'int', min: 1, optional: true, label: 'Max. tokens', help: 'Ablate over only the first N tokens of the split; empty: all.' },
  groups: { kind: 'int', min: 1, label: 'Uncertainty groups K', help: 'Groups for the standard errors.' },
  seed: { kind: 'int', label: 'Replacement seed', help: 'Seed of the random and shuffle replacements.' },
  workers: { kind: 'int', min: 0, optional: true, label: 'Worker threads', help: 'Empty: all cores; 0 runs in the job’s own thread.' },
};

export const ABLATION_MODES: { value: AblationMode; label: string }[] = [
  { value: 'unk', label: 'unk: replace by <unk>' },
  { value: 'random', label: 'random: a word drawn from the training unigrams' },
  { value: 'shuffle', label: 'shuffle: the token at another position of the stream' },
];

/** The defaults AblateParamsSchema fills in, read from the schema so the form cannot drift from it. */
export function ablateDefaults() {
  const d = AblateParamsSchema.parse({ project: '/', model: 'm', corpus: 'c', id: 'i' });
  return { split: d.split, maxDelay: d.maxDelay, mode: d.mode, streams: d.streams, groups: d.groups, seed: d.seed };
}

export function ablateFormValues(init: { id: string; model: string; corpus: string }): AblateFormValues {
  const d = ablateDefaults();
  return {
    id: init.id,
    name: '',
    model: init.model,
    corpus: init.corpus,
    split: d.split,
    mode: d.mode,
    maxDelay: fieldText(d.maxDelay),
    streams: fieldText(d.streams),
    maxTokens: '',
    classSetsMode: 'all',
    classSets: [],
    groups: fieldText(d.groups),
    seed: fieldText(d.seed),
    workers: '',
  };
}

export type AblateFormErrors = Partial<Record<NumericKey | 'id' | 'model' | 'corpus' | 'classSets', string>>;

export interface AblateContext {
  project: string;
  takenRunIds: ReadonlySet<string>;
  classSets: readonly ClassSetSummary[];
}

export function checkAblateForm(v: AblateFormValues, ctx: AblateContext): { ok: true; params: AblateParams } | { ok: false; errors: AblateFormErrors } {
  const errors: AblateFormErrors = runTargetErrors(v, ctx.takenRunIds, { model: 'choose the model to ablate', corpus: 'choose the corpus whose split is used' });

  const nums: Partial<Record<NumericKey, number | null>> = {};
  for (const key of Object.keys(ABLATE_NUMBER_FIELDS) as NumericKey[]) {
    const parsed = parseNumberField(ABLATE_NUMBER_FIELDS[key], v[key]);
    if (parsed.ok) nums[key] = parsed.value;
    else errors[key] = parsed.error;
  }

  const { classSets, error: classSetsError } = checkClassSetChoice(v.classSetsMode, v.classSets, ctx.classSets);
  if (classSetsError) errors.classSets = classSetsError;

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const opt = <K extends NumericKey>(k: K) => optionalNumber(nums, k);
  return {
    ok: true,
    params: {
      ...runTargetParams(v, ctx.project),
      mode: v.mode,
      maxDelay: nums.maxDelay as number,
      streams: nums.streams as number,
      ...opt('maxTokens'),
      ...(classSets && { classSets }),
      groups: nums.groups as number,
      seed: nums.seed as number,
      ...opt('workers'),
    },
  };
}

/** 'small-ablate-unk-d30', a run id that says what was ablated. */
export function suggestAblationId(v: Pick<AblateFormValues, 'model' | 'mode' | 'maxDelay'>): string {
  return `${v.model || 'run'}-ablate-${v.mode}-d${v.maxDelay.trim() || String(ablateDefaults().maxDelay)}`;
}
