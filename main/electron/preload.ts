// Preload: exposes one named function per contract procedure on window.mnemoscope, and one
// subscription function per event (onJobProgress, onJobEnd, onJobLog) that returns its
// unsubscribe. Never ipcRenderer itself, never a generic send (Electron's context-isolation
// guide). Calls resolve to a Reply ({ok, output} | {ok, error}): an Error crossing the
// context bridge would lose its kind, so renderer/src/lib/client turns failures into errors.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENT_PREFIX, IPC_PREFIX } from '../../shared/names';
import { buildApi } from '../../shared/api-builder';
import type { PreloadApi } from '../../shared/contract';

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
