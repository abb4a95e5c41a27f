// The engine over a WebSocket (browser mode). Reconnects by itself with a growing pause,
// keeps event subscriptions across reconnects (the server pushes every event to every
// connection), and answers calls made while disconnected with a 'disconnected' error
// once a short wait for the connection has passed.
import { buildApi } from '../../../../shared/api-builder';
import { unwrapReply, type Reply } from '../../../../shared/call-error';
import { EventHub } from './event-hub';
import { connectProtocol, type ProtocolConnection } from './protocol-connection';
import { socketChannel, type WebSocketLike } from './socket-channel';
import type { ConnectionStatus, EngineClient } from './types';

export interface WebSocketClientOptions {
  url: string;
  createSocket: (url: string) => WebSocketLike;
  /** How long a call waits for a connection before it fails (default 10 s). */
  callWaitMs?: number;
  /** First and longest pause between reconnection attempts (default 500 ms and 10 s). */
  retryMinMs?: number;
  retryMaxMs?: number;
}

export function createWebSocketClient(options: WebSocketClientOptions): EngineClient {
  const hub = new EventHub();
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  const waitingForOpen = new Set<() => void>();
  const retryMin = options.retryMinMs ?? 500;
  const retryMax = options.retryMaxMs ?? 10_000;
  let status: ConnectionStatus = { state: 'connecting', detail: 'Connecting to the engine…' };
  let connection: ProtocolConnection | null = null;
  let retryMs = retryMin;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let socket: WebSocketLike | null = null;
  let stopped = false;

  const setStatus = (next: ConnectionStatus) => {
    status = next;
    for (const listener of [...statusListeners]) listener(next);
  };

  const open = () => {
    retryTimer = null;
    const ws = options.createSocket(options.url);
    socket = ws;
    ws.onopen = () => {
      retryMs = retryMin;
      connection = connectProtocol(socketChannel(ws), (event) => hub.emit(event));
      setStatus({ state: 'connected', detail: 'Connected to the engine.' });
      for (const wake of [...waitingForOpen]) wake();
    };
    ws.onerror = () => {}; // a close event follows with what there is to know
    ws.onclose = () => {
      connection = null;
      socket = null;
      if (stopped) return;
      setStatus({
        state: 'disconnected',
        detail: `No connection to the engine (stopped, unreachable, or the access token in the URL is wrong); trying again in ${Math.round(retryMs / 1000)} s.`,
      });
      retryTimer = setTimeout(open, retryMs);
      retryMs = Math.min(retryMax, retryMs * 2);
    };
  };

  const waitForConnection = (): Promise<ProtocolConnection | null> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        waitingForOpen.delete(wake);
        resolve(connection);
      }, options.callWaitMs ?? 10_000);
      const wake = () => {
        clearTimeout(timer);
        waitingForOpen.delete(wake);
        resolve(connection);
      };
      waitingForOpen.add(wake);
    });

  const call = async (procedure: string, input: unknown): Promise<unknown> => {
    const current = connection && !connection.closed ? connection : await waitForConnection();
    const reply: Reply = current
      ? await current.call(procedure, input)
      : { ok: false, error: { kind: 'disconnected', message: status.detail } };
    return unwrapReply(reply);
  };

  open();

  return {
    api: buildApi(call, (name, listener) => hub.subscribe(name, listener)),
    transport: 'websocket',
    pickPath: null,
    status: () => status,
    onStatus: (listener) => {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    close: () => {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      socket?.close(1000);
      setStatus({ state: 'disconnected', detail: 'Closed.' });
    },
  };
}
