// The delay-sweep form: every option of AnalyzeParamsSchema, prefilled with the engine's
// defaults (jobDefaults), checked before the job is sent, and turned into the job's params.
import type { JobDefaults } from '../../../../shared/api/jobs';
import type { ClassSetSummary } from '../../../../shared/api/corpora';
import { CELL_LABELS, type Cell } from '../../../../shared/schemas/model';
import { MAX_WORDS, type AnalyzeParams, type SweepEngine } from '../../../../shared/schemas/run';
import type { BackendPreference } from '../../../../shared/schemas/model';
import { parseShard } from '../../../../shared/shard';
import { fieldText, parseNumberField, type NumberFieldSpec } from './fields';
import { optionalNumber, runTargetErrors, runTargetParams } from './run-target';

export interface PropertyRow {
  name: string;
  classA: string;
  classB: string;
}

export interface AnalyzeFormValues {
  id: string;
  name: string;
  model: string;
  corpus: string;
  split: 'valid' | 'test';
  state: 'c' | 'h';
  /** 1-based; empty: the last layer. */
  layer: string;
  maxDelay: string;
  streams: string;
  maxTokens: string;
  sample: string;
  seed: string;
  normalize: 'none' | 'equal-variance';
  /** the sweep path: auto (tensor on tensorflow-gpu, else kernels), tensor or kernels */
  engine: SweepEngine;
  /** the sweep's tfjs backend; 'auto': the path's own */
  backend: BackendPreference;
  /** 'default': the paper's sg-pl and common-proper when the corpus has its classes. */
  propertiesMode: 'default' | 'custom';
  properties: PropertyRow[];
  /** 'all': every class set of the corpus. */
  classSetsMode: 'all' | 'chosen';
  classSets: string[];
  /** Comma- or space-separated, at most 50. */
  words: string;
  /** Empty: all cores. */
  workers: string;
  groups: string;
  /** 'I/N': sweep only shard I of N and save a partial run (to merge later); empty: the whole sweep. */
  shard: string;
}

type NumericKey = 'layer' | 'maxDelay' | 'streams' | 'maxTokens' | 'sample' | 'seed' | 'workers' | 'groups';

export const ANALYZE_NUMBER_FIELDS: Record<NumericKey, NumberFieldSpec & { label: string; help: string }> = {
  maxDelay: { kind: 'int', min: 0, label: 'Max. delay D', help: 'Largest delay τ in tokens.' },
  streams: { kind: 'int', min: 1, label: 'Streams B', help: 'Parallel streams the tokens are cut into; state starts at zero in each.' },
  maxTokens: { kind: 'int', min: 1, optional: true, label: 'Max. tokens', help: 'Analyse only the first N tokens of the split; empty: all.' },
  sample: { kind: 'int', min: 1, optional: true, label: 'Sampled sources', help: 'Quick estimate from N sampled source positions; empty: all positions.' },
  seed: { kind: 'int', label: 'Sample seed', help: 'Seed of the sample.' },
  layer: { kind: 'int', min: 1, optional: true, label: 'Layer', help: 'Recurrent layer, 1 = bottom; empty: the last.' },
  groups: { kind: 'int', min: 1, label: 'Uncertainty groups K', help: 'Groups for the standard errors.' },
  workers: { kind: 'int', min: 0, optional: true, label: 'Worker threads', help: 'Empty: all cores; 0 runs in the job’s own thread.' },
};

export { MAX_WORDS };

export function analyzeFormValues(defaults: JobDefaults['analyze'], init: { id: string; model: string; corpus: string }): AnalyzeFormValues {
  return {
    id: init.id,
    name: '',
    model: init.model,
    corpus: init.corpus,
    split: defaults.split,
    state: defaults.state,
    layer: '',
    maxDelay: fieldText(defaults.maxDelay),
    streams: fieldText(defaults.streams),
    maxTokens: '',
    sample: '',
    seed: fieldText(defaults.seed),
    normalize: defaults.normalize,
    engine: 'auto',
    backend: 'auto',
    propertiesMode: 'default',
    properties: [],
    classSetsMode: 'all',
    classSets: [],
    words: '',
    workers: '',
    groups: fieldText(defaults.groups),
    shard: '',
  };
}

/** The shard field: '' → null (the whole sweep), '2/4' → shard 2 of 4, else why not. */
export function parseShardField(text: string, streams: number | null): { ok: true; value: { index: number; count: number } | null } | { ok: false; error: string } {
  if (text.trim() === '') return { ok: true, value: null };
  const shard = parseShard(text);
  if (typeof shard === 'string') return { ok: false, error: shard };
  if (streams !== null && shard.count > streams) return { ok: false, error: `${shard.count} shards need at least ${shard.count} streams` };
  return { ok: true, value: shard };
}

/**
 * The names a sweep knows the corpus's classes by: a class keeps its bare name unless two
 * class sets share it, then it is `set/class` (as main/engine/runs/run-classes.ts names them).
 */
export function classNames(sets: readonly ClassSetSummary[]): string[] {
  const owners = new Map<string, number>();
  for (const s of sets) for (const c of Object.keys(s.sizes)) owners.set(c, (owners.get(c) ?? 0) + 1);
  return sets.flatMap((s) => Object.keys(s.sizes).map((c) => ((owners.get(c) ?? 0) > 1 ? `${s.id}/${c}` : c)));
}

/**
 * The ticked class sets once a corpus's sets are known: the ones still ticked that the corpus
 * has, or, when none is, every set of the corpus (so the frequency bands, upos and paper are
 * ticked by default, as a sweep with 'all class sets' accumulates them).
 */
export function classSetChoice(sets: readonly ClassSetSummary[], ticked: readonly string[]): string[] {
  const kept = ticked.filter((id) => sets.some((s) => s.id === id));
  return kept.length > 0 ? kept : sets.map((s) => s.id);
}

/**
 * The class sets a form sends: none ('all': the engine takes every set of the corpus) or the
 * ticked ones, with an error when the corpus has not some of them (its sets known; empty: not checked).
 */
export function checkClassSetChoice(
  mode: 'all' | 'chosen',
  chosen: readonly string[],
  sets: readonly ClassSetSummary[],
): { classSets?: string[]; error: string | null } {
  if (mode === 'all') return { error: null };
  const available = new Set(sets.map((s) => s.id));
  const unknown = chosen.filter((s) => available.size > 0 && !available.has(s));
  return { classSets: [...chosen], error: unknown.length ? `the corpus has no class set ${unknown.join(', ')}` : null };
}

/** Every name a property may use: the class names and every `set/class` form. */
export function propertyClassNames(sets: readonly ClassSetSummary[]): Set<string> {
  return new Set([...classNames(sets), ...sets.flatMap((s) => Object.keys(s.sizes).map((c) => `${s.id}/${c}`))]);
}

const PROPERTY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function formatProperty(p: PropertyRow): string {
  return `${p.name.trim()}=${p.classA.trim()}:${p.classB.trim()}`;
}

/** 'sg-pl=noun-sg:noun-pl' → a row; null when it is not of that form. */
export function parsePropertyText(text: string): PropertyRow | null {
  const m = /^\s*([^=]+?)\s*=\s*([^:]+?)\s*:\s*([^:]+?)\s*$/.exec(text);
  return m ? { name: m[1], classA: m[2], classB: m[3] } : null;
}

/** What is wrong with a property row, or null. `known`: the class names (empty: unknown, not checked). */
export function checkProperty(p: PropertyRow, known: ReadonlySet<string>): string | null {
  const name = p.name.trim();
  if (!PROPERTY_NAME.test(name)) return name === '' ? 'name the property' : `'${name}' is not a valid name (letters, digits, _ . -)`;
  const a = p.classA.trim();
  const b = p.classB.trim();
  if (!a || !b) return 'choose both classes';
  if (a === b) return 'a property needs two different classes';
  const unknown = [a, b].filter((c) => known.size > 0 && !known.has(c));
  if (unknown.length) return `the corpus has no class ${unknown.map((c) => `'${c}'`).join(' or ')}`;
  return null;
}

/** 'the, a  of,' → ['the', 'a', 'of'] (duplicates dropped, order kept). */
export function parseWords(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((w) => w !== ''))];
}

export type AnalyzeFormErrors = Partial<Record<NumericKey | 'id' | 'model' | 'corpus' | 'state' | 'properties' | 'classSets' | 'words' | 'shard', string>> & {
  /** By row index. */
  propertyRows?: Record<number, string>;
};

export interface AnalyzeContext {
  project: string;
  takenRunIds: ReadonlySet<string>;
  /** Recurrent layers of the chosen model (null while unknown). */
  modelLayers: number | null;
  /** The cell of each layer of the chosen model, bottom first (null or absent while unknown). */
  modelCells?: readonly Cell[] | null;
  classSets: readonly ClassSetSummary[];
}

/** The cell of the layer the form's layer field names (empty: the last); null when the model or the layer is unknown. */
export function chosenLayerCell(cells: readonly Cell[] | null | undefined, layerField: string): { layer: number; cell: Cell } | null {
  if (!cells || cells.length === 0) return null;
  const text = layerField.trim();
  const layer = text === '' ? cells.length : Number(text);
  if (!Number.isInteger(layer) || layer < 1 || layer > cells.length) return null;
  return { layer, cell: cells[layer - 1] };
}

/** Why the cell state c cannot be the target of this layer (only LSTMs have one), or null when it can. */
export function noCellStateReason(chosen: { layer: number; cell: Cell } | null): string | null {
  if (chosen === null || chosen.cell === 'lstm') return null;
  const label = CELL_LABELS[chosen.cell];
  return `layer ${chosen.layer} is ${/^[AEIOR]/.test(label) ? 'an' : 'a'} ${label}: only LSTM layers have a cell state c; target the hidden state h`;
}

export function checkAnalyzeForm(v: AnalyzeFormValues, ctx: AnalyzeContext): { ok: true; params: AnalyzeParams } | { ok: false; errors: AnalyzeFormErrors } {
  const errors: AnalyzeFormErrors = runTargetErrors(v, ctx.takenRunIds, { model: 'choose the model to analyse', corpus: 'choose the corpus whose split is analysed' });
  const noC = v.state === 'c' ? noCellStateReason(chosenLayerCell(ctx.modelCells, v.layer)) : null;
  if (noC) errors.state = noC;

  const nums: Partial<Record<NumericKey, number | null>> = {};
  for (const key of Object.keys(ANALYZE_NUMBER_FIELDS) as NumericKey[]) {
    const spec = { ...ANALYZE_NUMBER_FIELDS[key] };
    if (key === 'layer' && ctx.modelLayers !== null) spec.max = ctx.modelLayers;
    const parsed = parseNumberField(spec, v[key]);
    if (parsed.ok) nums[key] = parsed.value;
    else errors[key] = key === 'layer' && ctx.modelLayers !== null ? `${parsed.error} (the model has ${ctx.modelLayers})` : parsed.error;
  }

  let properties: string[] | undefined;
  if (v.propertiesMode === 'custom') {
    const known = propertyClassNames(ctx.classSets);
    const rows: Record<number, string> = {};
    const seen = new Set<string>();
    v.properties.forEach((p, i) => {
      const problem = checkProperty(p, known) ?? (seen.has(p.name.trim()) ? `'${p.name.trim()}' is given twice` : null);
      seen.add(p.name.trim());
      if (problem) rows[i] = problem;
    });
    if (Object.keys(rows).length) errors.propertyRows = rows;
    properties = v.properties.map(formatProperty);
  }

  const { classSets, error: classSetsError } = checkClassSetChoice(v.classSetsMode, v.classSets, ctx.classSets);
  if (classSetsError) errors.classSets = classSetsError;

  const words = parseWords(v.words);
  if (words.length > MAX_WORDS) errors.words = `at most ${MAX_WORDS} words (${words.length} given)`;

  const shard = parseShardField(v.shard, nums.streams ?? null);
  if (!shard.ok) errors.shard = shard.error;

  if (Object.keys(errors).length > 0 || !shard.ok) return { ok: false, errors };
  const opt = <K extends NumericKey>(k: K) => optionalNumber(nums, k);
  return {
    ok: true,
    params: {
      ...runTargetParams(v, ctx.project),
      state: v.state,
      ...opt('layer'),
      maxDelay: nums.maxDelay as number,
      streams: nums.streams as number,
      ...opt('maxTokens'),
      ...opt('sample'),
      seed: nums.seed as number,
      normalize: v.normalize,
      ...(v.engine !== 'auto' && { engine: v.engine }),
      ...(v.backend !== 'auto' && { backend: v.backend }),
      ...(properties && { properties }),
      ...(classSets && { classSets }),
      ...(words.length > 0 && { words }),
      groups: nums.groups as number,
      ...opt('workers'),
      ...(shard.value && { shard: shard.value }),
    },
  };
}

/** 'small-c1-d30', a run id that says what was swept. */
export function suggestRunId(v: Pick<AnalyzeFormValues, 'model' | 'state' | 'layer' | 'maxDelay'>, layers: number | null): string {
  const layer = v.layer.trim() || (layers !== null ? String(layers) : '');
  return `${v.model || 'run'}-${v.state}${layer}-d${v.maxDelay.trim() || '30'}`;
}
