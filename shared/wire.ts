// The WebSocket protocol (browser mode), in JSON text frames:
//   client → server  {id, type:'call', procedure, input}
//   server → client  {id, type:'result', output} | {id, type:'error', error} | {type:'event', event}
// `id` is chosen by the client and echoed; it is null on an error about a frame that had no usable id.
import { z } from 'zod';
import type { CallError } from './call-error';
import { EngineEventSchema, type EngineEvent } from './events';

export const CallErrorSchema = z.object({
  kind: z.enum(['user', 'internal', 'cancelled']),
  message: z.string(),
}) satisfies z.ZodType<CallError>;

export const CallIdSchema = z.union([z.number().int(), z.string().max(100)]);

export const ClientMessageSchema = z.strictObject({
  id: CallIdSchema,
  type: z.literal('call'),
  procedure: z.string().max(100),
  input: z.unknown(),
});
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

export type CallId = z.infer<typeof CallIdSchema>;

export type ServerMessage =
  | { id: CallId; type: 'result'; output: unknown }
  | { id: CallId | null; type: 'error'; error: CallError }
  | { type: 'event'; event: EngineEvent };

/**
 * What a client accepts from the server: an error must be a CallError and an event must fit
 * its schema (a job's result its kind's), so a malformed one is refused at the edge.
 */
export const ServerMessageSchema = z.discriminatedUnion('type', [
  z.object({ id: CallIdSchema, type: z.literal('result'), output: z.unknown() }),
  z.object({ id: CallIdSchema.nullable(), type: z.literal('error'), error: CallErrorSchema }),
  z.object({ type: z.literal('event'), event: EngineEventSchema }),
]) satisfies z.ZodType<ServerMessage>;

/** One end of a message channel carrying text frames: a WebSocket, or an in-memory pair in tests. */
export interface FrameChannel {
  send(frame: string): void;
  /** Returns a function that removes the listener. */
  onFrame(listener: (frame: string) => void): () => void;
  onClose(listener: () => void): () => void;
  isOpen(): boolean;
  close(): void;
}
