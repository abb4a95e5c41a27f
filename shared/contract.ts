// The typed contract between the UI and the engine: every procedure's input and output
// as zod schemas, the types inferred from them. Main validates every request with these
// schemas before a handler runs (main/engine/handlers/dispatch.ts); the renderer imports
// only types from here. Events are in events.ts, job kinds in jobs.ts.
import type { z } from 'zod';
import type { EventName, ProcedureName, SubscriberName } from './names';
import type { Reply } from './call-error';
import type { EventPayload } from './events';
import { engineProcedures } from './api/engine';
import { projectProcedures } from './api/projects';
import { corpusProcedures } from './api/corpora';
import { modelProcedures } from './api/models';
import { runProcedures } from './api/runs';
import { jobProcedures } from './api/jobs';
import { demoProcedures } from './api/demo';

export { EngineInfoSchema, BackendAttemptSchema, type EngineInfo } from './api/engine';
export { PROCEDURE_NAMES, EVENT_NAMES, IPC_PREFIX, IPC_EVENT_PREFIX, subscriberName } from './names';
export type { ProcedureName, EventName } from './names';

export interface ProcedureSchemas {
  input: z.ZodType;
  output: z.ZodType;
}

export const procedures = {
  ...engineProcedures,
  ...projectProcedures,
  ...corpusProcedures,
  ...modelProcedures,
  ...runProcedures,
  ...jobProcedures,
  ...demoProcedures,
} as const satisfies Record<ProcedureName, ProcedureSchemas>;

// The name lists in names.ts (which the renderer and preload use) must match the schema map exactly.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const namesMatch: Same<keyof typeof procedures, ProcedureName> = true;
void namesMatch;

type Procedures = typeof procedures;
/** What a caller sends (optional fields may be left out). */
export type ProcedureInput<N extends ProcedureName> = z.input<Procedures[N]['input']>;
/** What a handler receives: the input after validation. */
export type ParsedInput<N extends ProcedureName> = z.output<Procedures[N]['input']>;
/** What a handler returns (checked against the output schema before it leaves main). */
export type HandlerOutput<N extends ProcedureName> = z.input<Procedures[N]['output']>;
/** What a caller receives. */
export type ProcedureOutput<N extends ProcedureName> = z.output<Procedures[N]['output']>;

/** One named function per event: subscribe, and get back the function that unsubscribes. */
export type EventSubscribers = {
  [E in EventName as SubscriberName<E>]: (listener: (payload: EventPayload<E>) => void) => () => void;
};

/** The typed API the UI codes against, on every transport: one function per procedure, one per event. */
export type MnemoscopeApi = {
  [N in ProcedureName]: (input: ProcedureInput<N>) => Promise<ProcedureOutput<N>>;
} & EventSubscribers;

/**
 * What the Electron preload exposes on window.mnemoscope: the same functions, but each
 * call resolves to a Reply, because an Error crossing the context bridge loses everything
 * but its message (the client turns a failed Reply back into a CallFailedError).
 */
export type PreloadApi = {
  [N in ProcedureName]: (input: ProcedureInput<N>) => Promise<Reply<ProcedureOutput<N>>>;
} & EventSubscribers;
