// The native application menu. File › Open Project… uses the native folder dialog and
// File › Open Recent lists the engine's recent projects; the engine opens the project
// (which puts it first in the recent list) and the window reloads onto it, since the
// renderer opens the most recent project when it starts. The menu is built again whenever
// the settings change (installAppMenu), so Open Recent follows the list.
import { app, dialog, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { Engine } from '../engine/handlers/create-engine';
import type { RecentProjectInfo } from '../../shared/api/projects';
import type { DemoProjectInfo } from '../../shared/api/demo';
import { demoStartHash } from '../engine/demo/first-start';
import { recentMenuItems, type RecentEntry } from './recent-menu';

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
  await openProjectAt(a, win, picked.filePaths[0]);
}

async function openRecent(a: MenuActions, dir: string): Promise<void> {
  const win = a.currentWindow();
  if (win) await openProjectAt(a, win, dir);
}

async function openProjectAt(a: MenuActions, win: BrowserWindow, dir: string): Promise<void> {
  const reply = await a.engine.dispatch('projectOpen', { dir });
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
  // The demo's sweeps side by side in Compare, as on a first start.
  a.show(win, demoStartHash((reply.output as DemoProjectInfo).demo.opens));
}

async function clearRecent(a: MenuActions): Promise<void> {
  const reply = await a.engine.dispatch('settingsSet', { recentProjects: [] });
  const win = a.currentWindow();
  if (!reply.ok && win) await dialog.showMessageBox(win, { type: 'error', message: 'The recent list could not be cleared', detail: reply.error.message });
}

export function buildAppMenu(a: MenuActions, recent: readonly RecentEntry[] = []): Menu {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'New Project…', accelerator: 'CmdOrCtrl+N', click: () => a.currentWindow() && a.show(a.currentWindow()!, '#/projects') },
        { label: 'Open Project…', accelerator: 'CmdOrCtrl+O', click: () => void openProjectFolder(a) },
        {
          label: 'Open &Recent',
          submenu: recentMenuItems(recent, { open: (dir) => void openRecent(a, dir), clear: () => void clearRecent(a) }),
        },
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

/**
 * Sets the menu now (Open Recent still empty: nothing waits on the disk) and returns the
 * function that builds it again with the recent list as the engine has it then; when
 * calls overlap, the menu of the last one stays.
 */
export function installAppMenu(a: MenuActions): () => Promise<void> {
  Menu.setApplicationMenu(buildAppMenu(a));
  let latest = 0;
  return async () => {
    const ticket = ++latest;
    const reply = await a.engine.dispatch('projectRecent', {});
    if (ticket !== latest) return;
    const recent = reply.ok ? (reply.output as RecentProjectInfo[]) : [];
    Menu.setApplicationMenu(buildAppMenu(a, recent));
  };
}
