// The native application menu. File › Open Project… uses the native folder dialog; the
// engine opens the project (which puts it first in the recent list) and the window reloads
// onto it, since the renderer opens the most recent project when it starts.
import { app, dialog, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { Engine } from '../engine/handlers/create-engine';

export interface MenuActions {
  engine: Engine;
  /** The focused window, or the first one. */
  currentWindow(): BrowserWindow | undefined;
  /** Show a route of the renderer (e.g. '#/projects') in the window. */
  show(win: BrowserWindow, hash: string): void;
}

async function openProjectFolder(a: MenuActions): Promise<void> {
  const win = a.currentWindow();
  if (!win) return;
  const picked = await dialog.showOpenDialog(win, {
    title: 'Open a Mnemoscope project',
    properties: ['openDirectory', 'createDirectory'],
    buttonLabel: 'Open project',
  });
  if (picked.canceled || picked.filePaths.length === 0) return;
  const reply = await a.engine.dispatch('projectOpen', { dir: picked.filePaths[0] });
  if (!reply.ok) {
    await dialog.showMessageBox(win, { type: 'error', message: 'The project could not be opened', detail: reply.error.message });
    return;
  }
  a.show(win, '#/corpora');
}

async function openDemo(a: MenuActions): Promise<void> {
  const win = a.currentWindow();
  if (!win) return;
  const reply = await a.engine.dispatch('projectDemo', {});
  if (!reply.ok) {
    await dialog.showMessageBox(win, { type: 'error', message: 'The demo project could not be installed', detail: reply.error.message });
    return;
  }
  a.show(win, '#/sweeps');
}

export function buildAppMenu(a: MenuActions): Menu {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'New Project…', accelerator: 'CmdOrCtrl+N', click: () => a.currentWindow() && a.show(a.currentWindow()!, '#/projects') },
        { label: 'Open Project…', accelerator: 'CmdOrCtrl+O', click: () => void openProjectFolder(a) },
        { label: 'Open Demo Project', click: () => void openDemo(a) },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        { role: 'reload' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: `About ${app.getName()}`, click: () => app.showAboutPanel() }],
    },
  ];
  return Menu.buildFromTemplate(template);
}
