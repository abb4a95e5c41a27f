// Job events as the engine sends them, for the renderer's tests of its job store and clients.
import type { JobEndOf } from '../../../shared/events';

/** A train job that ended done, with a result that fits the train job's schema. */
export const trainDone: JobEndOf<'train'> = {
  jobId: 'job-1',
  kind: 'train',
  seconds: 3,
  status: 'done',
  result: {
    model: { id: 'small', dir: '/p/models/small' },
    checkpointSaved: true,
    bestEpoch: 1,
    bestValidPerplexity: 250,
    epochsRun: 1,
    stoppedEarly: false,
    cancelled: false,
    wallSeconds: 3,
    tokensPerSecond: 1000,
    backend: 'wasm',
    workers: 1,
  },
};
