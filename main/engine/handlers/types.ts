// What every handler sees, and the shape of the handler map the dispatcher runs.
import type { HandlerOutput, ParsedInput } from '../../../shared/contract';
import type { ProcedureName } from '../../../shared/names';
import type { JobManager } from '../jobs/job-manager';
import type { SettingsStore } from '../settings';
import type { ProjectCache } from './project-cache';

export interface EngineContext {
  settings: SettingsStore;
  projects: ProjectCache;
  jobs: JobManager;
}

/** One function per procedure: validated input in, output (checked again by the dispatcher) out. */
export type Handlers = { [N in ProcedureName]: (input: ParsedInput<N>) => Promise<HandlerOutput<N>> };

export type HandlerGroup<N extends ProcedureName> = Pick<Handlers, N>;
