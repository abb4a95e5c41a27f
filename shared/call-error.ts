// How a failed call looks on every transport: plain types and one error class, light enough
// for every side to import. The zod schema that checks it on the wire is CallErrorSchema in wire.ts.

/**
 * user: the request or its data is wrong (the message says how); internal: a bug;
 * cancelled: stopped on request. The engine sends only these three; a client adds
 * 'disconnected' when it has no connection to the engine to ask.
 */
export type CallErrorKind = 'user' | 'internal' | 'cancelled' | 'disconnected';

export interface CallError {
  kind: CallErrorKind;
  message: string;
}

/** What the dispatcher returns for every call, whatever the transport: it never throws. */
export type Reply<T = unknown> = { ok: true; output: T } | { ok: false; error: CallError };

/** Thrown by the typed clients when a call fails, so callers can tell user errors from bugs. */
export class CallFailedError extends Error {
  override name = 'CallFailedError';
  readonly kind: CallErrorKind;
  constructor(error: CallError) {
    super(error.message);
    this.kind = error.kind;
  }
}

/** The reply's output, or a CallFailedError. */
export function unwrapReply<T>(reply: Reply<T>): T {
  if (reply.ok) return reply.output;
  throw new CallFailedError(reply.error);
}
