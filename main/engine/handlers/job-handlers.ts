// Starting, cancelling and listing jobs, and the defaults of their forms; their events flow
// through the job manager's listeners.
import { BackendPreferenceSchema, TrainConfigSchema } from '../../../shared/schemas/model';
import { AnalyzeParamsSchema } from '../../../shared/schemas/run';
import { AblateParamsSchema } from '../../../shared/schemas/ablation';
import type { JobDefaults } from '../../../shared/api/jobs';
import type { EngineContext, HandlerGroup } from './types';

export function jobDefaults(): JobDefaults {
  // The defaults of every option that has one (the ids and the project have none).
  const a = AnalyzeParamsSchema.omit({ project: true, model: true, corpus: true, id: true }).parse({});
  return {
    train: TrainConfigSchema.parse({}),
    // state: the engine picks c for an LSTM layer and h for the others; the form starts at c and switches to h for a model without c
    analyze: { split: a.split, state: a.state ?? 'c', maxDelay: a.maxDelay, streams: a.streams, seed: a.seed, normalize: a.normalize, groups: a.groups },
    ablate: AblateParamsSchema.pick({ split: true, maxDelay: true, mode: true, streams: true, groups: true, seed: true }).parse({}),
    backends: [...BackendPreferenceSchema.options],
  };
}

export function jobHandlers(ctx: EngineContext): HandlerGroup<'jobStart' | 'jobCancel' | 'jobList' | 'jobDefaults'> {
  return {
    jobStart: async ({ kind, params }) => ({ jobId: ctx.jobs.start(kind, params) }),
    jobCancel: async ({ jobId }) => ({ cancelled: ctx.jobs.cancel(jobId) }),
    jobList: async () => ctx.jobs.list(),
    jobDefaults: async () => jobDefaults(),
  };
}
