// The engine through Electron's preload (window.mnemoscope): calls resolve to Replies
// there, and are turned into outputs or CallFailedErrors here; errors and events are checked
// against the contract on the way in (wire-check.ts), as over the WebSocket.
// The desktop-only API (window.mnemoscopeDesktop) brings the native path picker.
import { buildApi } from '../../../../shared/api-builder';
import { unwrapReply } from '../../../../shared/call-error';
import type { PreloadApi } from '../../../../shared/contract';
import type { DesktopApi } from '../../../../shared/desktop';
import { subscriberName } from '../../../../shared/names';
import type { EngineClient } from './types';
import { checkEvent, checkReply } from './wire-check';

export function createPreloadClient(preload: PreloadApi, desktop?: DesktopApi): EngineClient {
  const byName = preload as unknown as Record<string, (arg: unknown) => unknown>;
  const api = buildApi(
    async (procedure, input) => unwrapReply(checkReply(await byName[procedure](input))),
    (event, listener) =>
      byName[subscriberName(event)]((payload: unknown) => {
        const checked = checkEvent(event, payload);
        if (checked) listener(checked.payload);
      }) as () => void,
  );
  const status = { state: 'connected', detail: 'Connected to the engine.' } as const;
  return {
    api,
    transport: 'electron',
    pickPath: typeof desktop?.pickPath === 'function' ? (request) => desktop.pickPath(request) : null,
    status: () => status,
    onStatus: () => () => {}, // an Electron window and its engine live and die together
    close: () => {},
  };
}
