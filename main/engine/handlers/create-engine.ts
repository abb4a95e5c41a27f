// The engine as the transports see it: handlers, job manager, settings and open projects
// behind one dispatch function and one event stream. Electron, the WebSocket server,
// the CLI and the tests each make one with createEngine().
import type { MnemoscopeApi, ProcedureOutput } from '../../../shared/contract';
import { unwrapReply, type Reply } from '../../../shared/call-error';
import type { EngineEvent } from '../../../shared/events';
import type { ProcedureName } from '../../../shared/names';
import { buildApi } from '../../../shared/api-builder';
import { JobManager, type JobManagerOptions } from '../jobs/job-manager';
import { closeDeviceWorker } from '../jobs/device-worker';
import { SettingsStore } from '../settings';
import { createHandlers } from './create-handlers';
import { dispatch, type DispatchHooks } from './dispatch';
import { checkedRunners, createJobRunners, type JobRunners } from './job-runners';
import { ProjectCache } from './project-cache';

export interface EngineOptions {
  /** Default: ~/.config/mnemoscope/settings.json (see settings.ts). */
  settingsFile?: string;
  /** Replace the runners of some job kinds (tests). */
  runners?: Partial<JobRunners>;
  jobs?: Omit<JobManagerOptions, 'runners'>;
  onInternalError?: DispatchHooks['onInternalError'];
}

export interface Engine {
  /** Validate, run, validate the output; never throws. What every transport calls. */
  dispatch(procedure: unknown, input: unknown): Promise<Reply>;
  /** Typed in-process call; a failure throws CallFailedError. */
  call<N extends ProcedureName>(procedure: N, input: unknown): Promise<ProcedureOutput<N>>;
  /** The same typed API the renderer has, in process. */
  readonly api: MnemoscopeApi;
  /** Every event (job progress, end, log lines) until the returned function is called. */
  subscribe(listener: (event: EngineEvent) => void): () => void;
  readonly jobs: JobManager;
  readonly settings: SettingsStore;
  readonly projects: ProjectCache;
  /** Cancels running jobs, waits for them to end, then ends the device worker (jobs/device-worker.ts). */
  close(): Promise<void>;
}

export function createEngine(options: EngineOptions = {}): Engine {
  const settings = new SettingsStore(options.settingsFile);
  const projects = new ProjectCache();
  const runners = checkedRunners({ ...createJobRunners({ projects }), ...options.runners });
  const jobs = new JobManager({ ...options.jobs, runners });
  const handlers = createHandlers({ settings, projects, jobs });
  const hooks: DispatchHooks = { onInternalError: options.onInternalError };

  const run = (procedure: unknown, input: unknown) => dispatch(handlers, procedure, input, hooks);
  const call = async <N extends ProcedureName>(procedure: N, input: unknown) =>
    unwrapReply(await run(procedure, input)) as ProcedureOutput<N>;
  const subscribe = (listener: (event: EngineEvent) => void) => jobs.subscribe(listener);

  return {
    dispatch: run,
    call,
    api: buildApi(call, (name, listener) =>
      subscribe((event) => {
        if (event.name === name) listener(event.payload);
      }),
    ),
    subscribe,
    jobs,
    settings,
    projects,
    close: async () => {
      await jobs.close();
      await closeDeviceWorker();
    },
  };
}
