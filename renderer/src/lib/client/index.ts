// The renderer's client of the engine. In Electron the preload provides window.mnemoscope;
// in a browser (mnemoscope serve) the client speaks WebSocket to the server that served
// the page, with the token from the page's URL. The API is the same either way.
import type { PreloadApi } from '../../../../shared/contract';
import type { DesktopApi } from '../../../../shared/desktop';
import { DESKTOP_GLOBAL } from '../../../../shared/names';
import { createPreloadClient } from './preload-client';
import type { WebSocketLike } from './socket-channel';
import type { EngineClient } from './types';
import { createWebSocketClient } from './ws-client';
import { webSocketUrl } from './ws-url';

export type { ConnectionState, ConnectionStatus, EngineClient } from './types';
export { CallFailedError } from '../../../../shared/call-error';

export function createClient(): EngineClient {
  const preload = (globalThis as { mnemoscope?: PreloadApi }).mnemoscope;
  const desktop = (globalThis as Record<string, unknown>)[DESKTOP_GLOBAL] as DesktopApi | undefined;
  if (preload) return createPreloadClient(preload, desktop);
  return createWebSocketClient({
    url: webSocketUrl(window.location),
    createSocket: (url) => new WebSocket(url) as unknown as WebSocketLike,
  });
}

let client: EngineClient | null = null;

/** The page's one client, made on first use. */
export function getClient(): EngineClient {
  client ??= createClient();
  return client;
}
