// Reading a run folder back (UI, export, compare): run.json validated against the schema (and
// the decay models of older runs filled in), arrays on demand, each checked against the shape
// run.json lists for it. Every problem is a UserError naming the file.
import path from 'node:path';
import { z } from 'zod';
import { decayModelsOfDelays } from '../analysis/decay-models';
import { UserError } from '../errors';
import { readNpy, type NpyArray } from '../project';
import { parseJsonText, readTextFile, validateJson } from '../project/read-json';
import { ITEM_META_FILE } from '../project/layout';
import { isPartialRunJson, partialRunProblem, runKindOf } from '../project/project-store';
import {
  PartialRunRecordSchema,
  RUN_ARRAY_FILES,
  RUN_SCHEMA_VERSION,
  RunRecordSchema,
  partialRunMessage,
  type PartialRunRecord,
  type RunArrayInfo,
  type RunArrayName,
  type RunRecord,
} from '../../../shared/schemas/run';

export interface RunData {
  dir: string;
  record: RunRecord;
  /** whether the run has this array (G_class / G_word only when classes / words were accumulated) */
  hasArray(name: RunArrayName): boolean;
  /** reads one array file, checking its dtype and shape against run.json */
  readArray(name: RunArrayName): Promise<NpyArray>;
}

export async function readRunRecord(dir: string): Promise<RunRecord> {
  const file = path.join(dir, ITEM_META_FILE.run);
  const value = parseJsonText(file, await readTextFile(file, 'run.json'));
  if (runKindOf(value) === 'ablation') {
    const id = (value as { id?: unknown }).id;
    throw new UserError(
      `run '${typeof id === 'string' ? id : path.basename(dir)}' is a context ablation, not a state-gradient sweep: it has no Ḡ, spectra or ` +
        'sweep findings (use a sweep here; an ablation is read with runShowAblation, or beside a sweep with findings --ablation)',
    );
  }
  const probe = z.object({ schemaVersion: z.number().int() }).safeParse(value);
  if (probe.success && probe.data.schemaVersion > RUN_SCHEMA_VERSION) {
    throw new UserError(
      `${file}: written by a newer Mnemoscope (run schema version ${probe.data.schemaVersion}, this one reads up to ${RUN_SCHEMA_VERSION}); update Mnemoscope`,
    );
  }
  if (isPartialRunJson(value)) {
    const problem = partialRunProblem(file, value);
    if (problem) throw new UserError(problem);
    const partial = value as PartialRunRecord;
    throw new UserError(partialRunMessage(partial.id, partial.partial.shard));
  }
  return withDecayModels(validateJson(file, value, RunRecordSchema, 'run.json'), !fitsRecordRateCap(value));
}

/** run.json of a partial run (`analyze --shard`), validated; a complete run or a newer partial format is refused by name. */
export async function readPartialRunRecord(dir: string): Promise<PartialRunRecord> {
  const file = path.join(dir, ITEM_META_FILE.run);
  const value = parseJsonText(file, await readTextFile(file, 'run.json'));
  if (!isPartialRunJson(value)) {
    const id = (value as { id?: unknown } | null)?.id;
    throw new UserError(`run '${typeof id === 'string' ? id : path.basename(dir)}' is not a partial run (it was not swept with --shard): only shards are merged`);
  }
  const problem = partialRunProblem(file, value);
  if (problem) throw new UserError(problem);
  return validateJson(file, value, PartialRunRecordSchema, 'run.json');
}

/** Whether run.json's stored decay fits say if a rate sits at its cap (fits written before that do not). */
function fitsRecordRateCap(value: unknown): boolean {
  const models = (value as { summary?: { decayModels?: Record<string, { fits?: unknown[] } | null> | null } } | null)?.summary?.decayModels;
  if (!models) return true;
  return Object.values(models).every((m) => !m?.fits?.length || m.fits.every((f) => typeof f === 'object' && f !== null && 'atRateCap' in f));
}

/**
 * Runs written before the decay models (analysis version 1) have none in run.json, and runs
 * written before fits at the rate cap were set aside may have chosen one: both are fitted
 * here from the stored per-delay σ₁, Σσ and group SEs, by the same function as a new run's,
 * so that every run shows them as a new run would. The file is not rewritten.
 */
export function withDecayModels(record: RunRecord, refit = false): RunRecord {
  if (record.summary.decayModels !== null && !refit) return record;
  return { ...record, summary: { ...record.summary, decayModels: decayModelsOfDelays(record.summary.delays) } };
}

export async function readRun(dir: string): Promise<RunData> {
  const record = await readRunRecord(dir);
  const info = (name: RunArrayName) => record.arrays.find((a) => a.file === RUN_ARRAY_FILES[name]);
  return {
    dir,
    record,
    hasArray: (name) => info(name) !== undefined,
    readArray: async (name) => {
      const listed = info(name);
      const file = path.join(dir, RUN_ARRAY_FILES[name]);
      if (!listed) throw new UserError(`${file}: run '${record.id}' has no ${RUN_ARRAY_FILES[name]} (see the arrays in run.json)`);
      return readListedNpy(file, listed);
    },
  };
}

/** Reads an array file, checking its dtype and shape against what run.json lists for it. */
export async function readListedNpy(file: string, listed: RunArrayInfo): Promise<NpyArray> {
  const arr = await readNpy(file);
  const same = arr.dtype === listed.dtype && arr.shape.length === listed.shape.length && arr.shape.every((d, i) => d === listed.shape[i]);
  if (!same) {
    throw new UserError(`${file}: ${arr.dtype} [${arr.shape.join(', ')}] does not match run.json, which lists ${listed.dtype} [${listed.shape.join(', ')}]`);
  }
  return arr;
}
