// The engine's implementation of the contract's procedures, assembled from one file per
// area under handlers/. Transports never call these directly: they go through
// handlers/dispatch.ts, which validates the request first (see handlers/create-engine.ts).
import { corpusHandlers } from './handlers/corpus-handlers';
import { engineHandlers } from './handlers/engine-handlers';
import { jobHandlers } from './handlers/job-handlers';
import { modelHandlers } from './handlers/model-handlers';
import { projectHandlers } from './handlers/project-handlers';
import { runHandlers } from './handlers/run-handlers';
import { demoHandlers } from './handlers/demo-handlers';
import type { EngineContext, Handlers } from './handlers/types';

export type { EngineContext, Handlers } from './handlers/types';

export function createHandlers(ctx: EngineContext): Handlers {
  return {
    ...engineHandlers(ctx),
    ...projectHandlers(ctx),
    ...corpusHandlers(ctx),
    ...modelHandlers(ctx),
    ...runHandlers(ctx),
    ...jobHandlers(ctx),
    ...demoHandlers(ctx),
  };
}
