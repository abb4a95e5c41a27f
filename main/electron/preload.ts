// Preload: exposes one named function per contract procedure on window.mnemoscope, and one
// subscription function per event (onJobProgress, onJobEnd, onJobLog) that returns its
// unsubscribe. Never ipcRenderer itself, never a generic send (Electron's context-isolation
// guide). Calls resolve to a Reply ({ok, output} | {ok, error}): an Error crossing the
// context bridge would lose its kind, so renderer/src/lib/client turns failures into errors.
// Apart from the contract, window.mnemoscopeDesktop holds the desktop-only pickPath (native
// file and folder dialogs, shared/desktop.ts); main checks the sender and the request.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { DESKTOP_GLOBAL, IPC_EVENT_PREFIX, IPC_PICK_PATH, IPC_PREFIX } from '../../shared/names';
import { buildApi } from '../../shared/api-builder';
import type { PreloadApi } from '../../shared/contract';
import type { DesktopApi, PickPathRequest } from '../../shared/desktop';

const api = buildApi<PreloadApi>(
  (procedure, input) => ipcRenderer.invoke(IPC_PREFIX + procedure, input),
  (event, listener) => {
    if (typeof listener !== 'function') throw new TypeError(`${event}: the listener must be a function`);
    const channel = IPC_EVENT_PREFIX + event;
    // The Electron event object stays here: the page gets the payload only.
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  },
);

contextBridge.exposeInMainWorld('mnemoscope', api);

const desktop: DesktopApi = {
  pickPath: (request: PickPathRequest) => ipcRenderer.invoke(IPC_PICK_PATH, request) as Promise<string | null>,
};

contextBridge.exposeInMainWorld(DESKTOP_GLOBAL, desktop);
