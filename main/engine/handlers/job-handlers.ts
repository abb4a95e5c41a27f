// Starting, cancelling and listing jobs; their events flow through the job manager's listeners.
import type { EngineContext, HandlerGroup } from './types';

export function jobHandlers(ctx: EngineContext): HandlerGroup<'jobStart' | 'jobCancel' | 'jobList'> {
  return {
    jobStart: async ({ kind, params }) => ({ jobId: ctx.jobs.start(kind, params) }),
    jobCancel: async ({ jobId }) => ({ cancelled: ctx.jobs.cancel(jobId) }),
    jobList: async () => ctx.jobs.list(),
  };
}
