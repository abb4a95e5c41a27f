// The client end of the WebSocket protocol (shared/wire.ts) over one channel's lifetime:
// numbered calls matched to their replies, events handed on. When the channel closes,
// every call still waiting is answered with a 'disconnected' error, never left hanging.
import type { Reply } from '../../../../shared/call-error';
import type { EngineEvent } from '../../../../shared/events';
import type { CallId, FrameChannel } from '../../../../shared/wire';
import { checkServerFrame } from './wire-check';

export interface ProtocolConnection {
  call(procedure: string, input: unknown): Promise<Reply>;
  readonly closed: boolean;
  /** Calls waiting for an answer. */
  readonly pending: number;
  close(): void;
}

const lost = (message: string): Reply => ({ ok: false, error: { kind: 'disconnected', message } });

export function connectProtocol(
  channel: FrameChannel,
  onEvent: (event: EngineEvent) => void,
  onClosed: () => void = () => {},
): ProtocolConnection {
  let nextId = 1;
  let closed = false;
  const waiting = new Map<CallId, (reply: Reply) => void>();

  const offFrame = channel.onFrame((frame) => {
    const checked = checkServerFrame(frame);
    if (!checked.ok) {
      // A call the malformed answer was meant for still fails, saying why; anything else is only reported.
      const id = checked.id;
      const resolve = id === null ? undefined : waiting.get(id);
      if (id !== null && resolve) {
        waiting.delete(id);
        resolve({ ok: false, error: { kind: 'internal', message: `The engine sent ${checked.problem}.` } });
      } else console.warn(`mnemoscope: ignored ${checked.problem}`);
      return;
    }
    const message = checked.message;
    if (message.type === 'event') {
      onEvent(message.event);
      return;
    }
    if (message.id === null) {
      console.warn(`mnemoscope: the engine refused a message: ${message.type === 'error' ? message.error.message : ''}`);
      return;
    }
    const resolve = waiting.get(message.id);
    if (!resolve) return;
    waiting.delete(message.id);
    resolve(message.type === 'result' ? { ok: true, output: message.output } : { ok: false, error: message.error });
  });

  const offClose = channel.onClose(() => {
    if (closed) return;
    closed = true;
    offFrame();
    offClose();
    for (const resolve of waiting.values()) resolve(lost('The connection to the engine was lost before it answered; try again.'));
    waiting.clear();
    onClosed();
  });

  return {
    call(procedure, input) {
      if (closed || !channel.isOpen()) return Promise.resolve(lost('Not connected to the engine.'));
      const id = nextId++;
      return new Promise<Reply>((resolve) => {
        waiting.set(id, resolve);
        try {
          channel.send(JSON.stringify({ id, type: 'call', procedure, input }));
        } catch {
          waiting.delete(id);
          resolve(lost('Not connected to the engine.'));
        }
      });
    },
    get closed() {
      return closed;
    },
    get pending() {
      return waiting.size;
    },
    close: () => channel.close(),
  };
}
