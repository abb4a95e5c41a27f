// A WebSocket (the browser's, or any object with the same on* properties) as a FrameChannel.
import type { FrameChannel } from '../../../../shared/wire';

/** The part of the WebSocket API the client uses; the browser's WebSocket and the `ws` package both have it. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: (() => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: (() => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  send(data: string): void;
  close(code?: number): void;
}

const OPEN = 1;

/** Takes over the socket's onmessage and onclose; call it once the socket is open. */
export function socketChannel(socket: WebSocketLike): FrameChannel {
  const frameListeners = new Set<(frame: string) => void>();
  const closeListeners = new Set<() => void>();
  socket.onmessage = (event) => {
    if (typeof event.data !== 'string') return; // the engine sends text frames only
    for (const listener of [...frameListeners]) listener(event.data);
  };
  const previousOnClose = socket.onclose;
  socket.onclose = (event) => {
    for (const listener of [...closeListeners]) listener();
    previousOnClose?.(event);
  };
  return {
    send: (frame) => socket.send(frame),
    onFrame: (listener) => {
      frameListeners.add(listener);
      return () => frameListeners.delete(listener);
    },
    onClose: (listener) => {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    isOpen: () => socket.readyState === OPEN,
    close: () => socket.close(1000),
  };
}
