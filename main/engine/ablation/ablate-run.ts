// One ablation run as one task ('ablate', in its own worker thread, which spreads the streams
// over further workers): prepare, compute, write runs/<id>/ (run.json of kind 'ablation' and
// the .npy arrays). Everything happens inside store.stageItem, so a failed or cancelled run
// leaves the project as it was.
import os from 'node:os';
import path from 'node:path';
import type { TaskFn } from '../jobs/task-context';
import { writeJsonAtomic } from '../project';
import { ITEM_META_FILE } from '../project/layout';
import { writeRunArrays } from '../runs/run-arrays';
import { secondsSince } from '../runs/finish-run';
import { parseRunParams, stageRun } from '../runs/stage-run';
import {
  AblateParamsSchema,
  type AblateParams,
  type AblateParamsResolved,
  type AblateProgress,
  type AblationRecord,
} from '../../../shared/schemas/ablation';
import { ablationArrayParts, buildAblationRecord } from './ablation-record';
import { computeAblation } from './compute-ablation';
import { ablationCurves } from './curves';
import { prepareAblation } from './prepare-ablation';

export interface AblateRunResult {
  dir: string;
  record: AblationRecord;
}

export function parseAblateParams(input: AblateParams): AblateParamsResolved {
  return parseRunParams(AblateParamsSchema, 'ablation', input);
}

/** The whole ablation run (task 'ablate'): its params were parsed where the request entered (dispatch, or parseAblateParams in a test). */
export const ablateRun: TaskFn<AblateParamsResolved, AblateRunResult, AblateProgress> = async (params, ctx) => {
  const started = performance.now();
  const { cancel } = ctx;
  return stageRun(params, ctx, async ({ dir, store, created }) => {
    const prep = await prepareAblation(params, store);
    const prepareSeconds = secondsSince(started);
    cancel.throwIfCancelled();
    const t1 = performance.now();
    const computed = await computeAblation(
      prep.weights,
      prep.splitTokens,
      {
        maxDelay: params.maxDelay,
        streams: params.streams,
        maxTokens: params.maxTokens,
        groups: params.groups,
        classes: prep.classes.accumulate.map((c) => ({ name: c.name, tokenIds: c.tokenIds })),
        mode: params.mode,
        unkId: prep.unkId,
        unigram: prep.unigram ?? undefined,
        seed: params.seed,
      },
      { workers: params.workers ?? os.availableParallelism(), cancel, onProgress: (p) => ctx.progress(p) },
    );
    const computeSeconds = secondsSince(t1);
    cancel.throwIfCancelled();
    const t2 = performance.now();
    ctx.progress({ phase: 'write', fraction: 0, label: 'writing the run', secondsLeft: null });
    const curves = ablationCurves(computed.sums, computed.layout.length);
    const arrays = await writeRunArrays(dir, ablationArrayParts(computed, curves));
    const times = { prepareSeconds, computeSeconds, writeSeconds: 0, totalSeconds: 0 };
    const record = buildAblationRecord({ params, prep, computed, curves, arrays, created, times });
    record.timings.writeSeconds = secondsSince(t2);
    record.timings.totalSeconds = secondsSince(started);
    await writeJsonAtomic(path.join(dir, ITEM_META_FILE.run), record);
    ctx.progress({ phase: 'write', fraction: 1, label: 'done', secondsLeft: 0 });
    return record;
  });
};
