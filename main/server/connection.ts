// One client connection, on any channel of text frames (a WebSocket, or an in-memory pair
// in tests): calls go through the engine's dispatch, every engine event is pushed, and
// when the channel closes the connection's listener is removed at once. A reply for a
// client that has gone away is dropped; the job or call it belonged to is not disturbed.
import type { Reply } from '../../shared/call-error';
import type { EngineEvent } from '../../shared/events';
import { ClientMessageSchema, type CallId, type FrameChannel, type ServerMessage } from '../../shared/wire';
import { describeIssues } from '../engine/handlers/dispatch';
import { HOST_FILE_WRITERS } from '../../shared/names';

export interface ConnectionEngine {
  dispatch(procedure: unknown, input: unknown): Promise<Reply>;
  subscribe(listener: (event: EngineEvent) => void): () => void;
}

export interface ConnectionOptions {
  /** True while the client is too far behind: progress events are skipped (the next one supersedes them anyway). */
  congested?: () => boolean;
}

function idOf(value: unknown): CallId | null {
  if (typeof value !== 'object' || value === null || !('id' in value)) return null;
  const id = (value as { id: unknown }).id;
  return typeof id === 'number' || typeof id === 'string' ? id : null;
}

/** Serves one connection; returns the function that detaches it (also called on close). */
export function serveConnection(engine: ConnectionEngine, channel: FrameChannel, options: ConnectionOptions = {}): () => void {
  const send = (message: ServerMessage) => {
    if (!channel.isOpen()) return;
    try {
      channel.send(JSON.stringify(message));
    } catch {
      // The channel closed between the check and the send; its close handler cleans up.
    }
  };

  const unsubscribe = engine.subscribe((event) => {
    if (event.name === 'jobProgress' && options.congested?.()) return;
    send({ type: 'event', event });
  });

  const handleFrame = async (frame: string) => {
    let raw: unknown;
    try {
      raw = JSON.parse(frame);
    } catch {
      send({ id: null, type: 'error', error: { kind: 'user', message: 'malformed message: not JSON' } });
      return;
    }
    const message = ClientMessageSchema.safeParse(raw);
    if (!message.success) {
      const error = { kind: 'user' as const, message: `malformed message: ${describeIssues(message.error)}` };
      send({ id: idOf(raw), type: 'error', error });
      return;
    }
    const { id, procedure, input } = message.data;
    // A path chosen over the WebSocket is on the server's machine, not the browser's: refused.
    if ((HOST_FILE_WRITERS as readonly string[]).includes(procedure)) {
      const message = `${procedure} writes a file on the server's machine and is not offered over the WebSocket: ask for ${procedure}Text and save what it returns`;
      send({ id, type: 'error', error: { kind: 'user', message } });
      return;
    }
    const reply = await engine.dispatch(procedure, input);
    send(reply.ok ? { id, type: 'result', output: reply.output } : { id, type: 'error', error: reply.error });
  };

  const offFrame = channel.onFrame((frame) => void handleFrame(frame));
  let detached = false;
  const detach = () => {
    if (detached) return;
    detached = true;
    unsubscribe();
    offFrame();
    offClose();
  };
  const offClose = channel.onClose(detach);
  if (!channel.isOpen()) detach();
  return detach;
}
