// The engine's implementation of the contract's procedures, assembled from one file per
// area in this folder. Transports never call these directly: they go through
// dispatch.ts, which validates the request first (see create-engine.ts).
import { corpusHandlers } from './corpus-handlers';
import { engineHandlers } from './engine-handlers';
import { jobHandlers } from './job-handlers';
import { modelHandlers } from './model-handlers';
import { projectHandlers } from './project-handlers';
import { runHandlers } from './run-handlers';
import { demoHandlers } from './demo-handlers';
import type { EngineContext, Handlers } from './types';

export type { EngineContext, Handlers } from './types';

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
