// Preload: exposes one named function per contract procedure on window.mnemoscope.
// Never ipcRenderer itself (Electron's context-isolation guide).
import { contextBridge, ipcRenderer } from 'electron';
import { procedures, IPC_PREFIX, type MnemoscopeApi } from '../../shared/contract';

const api = Object.fromEntries(
  Object.keys(procedures).map((name) => [name, (input: unknown) => ipcRenderer.invoke(IPC_PREFIX + name, input)]),
) as MnemoscopeApi;

contextBridge.exposeInMainWorld('mnemoscope', api);
