// What the renderer accepts from the engine, on either transport: events and call errors are
// checked against their schemas (shared/events.ts, shared/wire.ts) before the UI sees them.
// A malformed event is refused with a warning that says what was wrong; a malformed error
// still fails its call, as an internal error that says so, never leaving the call hanging.
import type { z } from 'zod';
import type { CallError, Reply } from '../../../../shared/call-error';
import { EngineEventSchema, type EngineEvent } from '../../../../shared/events';
import type { EventName } from '../../../../shared/names';
import { CallErrorSchema, CallIdSchema, ServerMessageSchema, type CallId, type ServerMessage } from '../../../../shared/wire';

/** At most three problems, each with where it is: "payload.result.model: expected object". */
export function issuesText(error: z.ZodError): string {
  const shown = error.issues.slice(0, 3).map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
  const more = error.issues.length - shown.length;
  return shown.join('; ') + (more > 0 ? ` (and ${more} more)` : '');
}

function refused(what: string, error: z.ZodError): void {
  console.warn(`mnemoscope: ignored ${what} from the engine that does not fit the contract: ${issuesText(error)}`);
}

/** The event, or null (with a warning) when it does not fit its schema. */
export function checkEvent(name: EventName, payload: unknown): EngineEvent | null {
  const checked = EngineEventSchema.safeParse({ name, payload });
  if (checked.success) return checked.data;
  refused(`a ${name} event`, checked.error);
  return null;
}

/** The engine's error, or an internal error saying that it could not be read. */
export function checkCallError(error: unknown): CallError {
  const checked = CallErrorSchema.safeParse(error);
  if (checked.success) return checked.data;
  return { kind: 'internal', message: `The engine answered with an error this window cannot read (${issuesText(checked.error)}).` };
}

/** A reply through Electron's preload: its error, when it failed, checked like one over the WebSocket. */
export function checkReply(reply: unknown): Reply {
  if (reply !== null && typeof reply === 'object' && 'ok' in reply) {
    if (reply.ok === true) return { ok: true, output: 'output' in reply ? reply.output : undefined };
    if (reply.ok === false) return { ok: false, error: checkCallError('error' in reply ? reply.error : undefined) };
  }
  return { ok: false, error: { kind: 'internal', message: 'The engine answered with something that is not a reply.' } };
}

export type CheckedMessage =
  | { ok: true; message: ServerMessage }
  /** `id`: the call it answers, when that much could be read, so the call can still fail. */
  | { ok: false; id: CallId | null; problem: string };

/** A WebSocket frame from the server, parsed and checked. */
export function checkServerFrame(frame: string): CheckedMessage {
  let raw: unknown;
  try {
    raw = JSON.parse(frame);
  } catch {
    return { ok: false, id: null, problem: 'a message that is not JSON' };
  }
  const checked = ServerMessageSchema.safeParse(raw);
  if (checked.success) return { ok: true, message: checked.data };
  const id = raw !== null && typeof raw === 'object' && 'id' in raw ? (CallIdSchema.safeParse(raw.id).data ?? null) : null;
  const type = raw !== null && typeof raw === 'object' && 'type' in raw && typeof raw.type === 'string' ? raw.type : 'unknown';
  return { ok: false, id, problem: `a message of type '${type}' that does not fit the contract: ${issuesText(checked.error)}` };
}
