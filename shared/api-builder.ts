// Builds the typed API object (one function per procedure, one subscriber per event) from
// a transport's generic call and subscribe. Used by the in-process engine, the preload
// client and the WebSocket client, so the three can never drift apart. No zod here: the
// renderer loads this at run time.
import type { MnemoscopeApi } from './contract';
import { EVENT_NAMES, PROCEDURE_NAMES, subscriberName, type EventName, type ProcedureName } from './names';

export type CallFn = (procedure: ProcedureName, input: unknown) => Promise<unknown>;
export type SubscribeFn = (event: EventName, listener: (payload: unknown) => void) => () => void;

/** `Api` is MnemoscopeApi, or PreloadApi in the preload (whose calls resolve to Replies). */
export function buildApi<Api = MnemoscopeApi>(call: CallFn, subscribe: SubscribeFn): Api {
  const api: Record<string, unknown> = {};
  for (const name of PROCEDURE_NAMES) api[name] = (input?: unknown) => call(name, input ?? {});
  for (const event of EVENT_NAMES) {
    api[subscriberName(event)] = (listener: (payload: unknown) => void) => subscribe(event, listener);
  }
  return api as Api;
}
