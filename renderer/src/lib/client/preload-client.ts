// The engine through Electron's preload (window.mnemoscope): calls resolve to Replies
// there, and are turned into outputs or CallFailedErrors here; events pass straight through.
import { buildApi } from '../../../../shared/api-builder';
import { unwrapReply, type Reply } from '../../../../shared/call-error';
import type { PreloadApi } from '../../../../shared/contract';
import { subscriberName } from '../../../../shared/names';
import type { EngineClient } from './types';

export function createPreloadClient(preload: PreloadApi): EngineClient {
  const byName = preload as unknown as Record<string, (arg: unknown) => unknown>;
  const api = buildApi(
    async (procedure, input) => unwrapReply((await byName[procedure](input)) as Reply),
    (event, listener) => byName[subscriberName(event)](listener) as () => void,
  );
  const status = { state: 'connected', detail: 'Connected to the engine.' } as const;
  return {
    api,
    transport: 'electron',
    status: () => status,
    onStatus: () => () => {}, // an Electron window and its engine live and die together
    close: () => {},
  };
}
