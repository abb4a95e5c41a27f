// Electron main process: window, security settings, and the contract bound to ipcMain
// (calls) and webContents.send (events, one channel per event type), the native dialogs of
// the path fields (dialogs.ts) and the menu (app-menu.ts). Everything heavy lives in the
// engine (worker threads); this file stays thin.
import { app, BrowserWindow, dialog, ipcMain, session, type IpcMainInvokeEvent } from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PROCEDURE_NAMES, IPC_PREFIX, IPC_EVENT_PREFIX } from '../../shared/names';
import { createEngine } from '../engine/handlers/create-engine';
import { firstStart, FIRST_START_HASH, type FirstStart } from '../engine/demo';
import { installAppMenu } from './app-menu';
import { registerPickPath } from './dialogs';
import { quitGuard } from './quit-guard';
import { isRendererPage } from './renderer-url';
import { rememberBounds, savedBounds } from './window-state';

const here = path.dirname(fileURLToPath(import.meta.url)); // dist/main/electron
const rendererIndex = path.join(here, '..', '..', 'renderer', 'index.html');
const rendererUrl = pathToFileURL(rendererIndex).href;

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

async function createWindow(hash = ''): Promise<BrowserWindow> {
  const bounds = await savedBounds(engine.settings);
  const win = new BrowserWindow({
    width: bounds.width,
    height: bounds.height,
    x: bounds.x,
    y: bounds.y,
    minWidth: 720,
    minHeight: 480,
    title: 'Mnemoscope',
    show: false,
    webPreferences: {
      preload: path.join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // Middle-click would open links in new windows (electronegativity AUXCLICK_JS_CHECK).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  win.once('ready-to-show', () => {
    if (bounds.maximized) win.maximize();
    win.show();
  });
  rememberBounds(win, engine.settings);
  void win.loadURL(rendererUrl + hash);
  return win;
}

function isOurRenderer(url: string | undefined): boolean {
  return isRendererPage(rendererUrl, url);
}

// Loading our page with only another #route than the one shown is a same-document
// navigation in Chromium (and loading the very same URL, a no-op): the renderer would keep
// the project it has. A new query (isOurRenderer ignores it) makes every load a new page,
// which opens the most recent project as it starts.
let pageLoads = 0;
function freshRendererPage(hash: string): string {
  return `${rendererUrl}?load=${++pageLoads}${hash}`;
}

const engine = createEngine({
  onInternalError: (procedure, err) => console.error(`mnemoscope: internal error in '${procedure}':`, err),
});

// Job events go to every window that shows our renderer, each type on its own channel.
engine.subscribe((event) => {
  for (const win of BrowserWindow.getAllWindows()) {
    if (win.isDestroyed() || !isOurRenderer(win.webContents.getURL())) continue;
    win.webContents.send(IPC_EVENT_PREFIX + event.name, event.payload);
  }
});

// First start (no recent project): the engine installs the demo project and puts it first
// in the recent list; the window opens at once, on the demo sweep's plots, and the
// renderer's calls that read the recent list wait for the install (engine/demo/first-start.ts).
let start: FirstStart | undefined;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  start = firstStart(engine, (err) => console.error('mnemoscope: the demo project could not be installed:', err));
  app.on('second-instance', () => {
    const [win] = BrowserWindow.getAllWindows();
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isOurRenderer(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    // The app is offline and opens no other windows, not even the user's browser.
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  void app.whenReady().then(async () => {
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
    });
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));

    for (const name of PROCEDURE_NAMES) {
      ipcMain.handle(IPC_PREFIX + name, async (event, input: unknown) => {
        if (!isOurRenderer(event.senderFrame?.url)) throw new Error('request from an unknown frame refused');
        await start?.before(name);
        return engine.dispatch(name, input); // a Reply: validated, never throws
      });
    }
    registerPickPath({
      handle: (channel, listener) => ipcMain.handle(channel, listener),
      dialog,
      isOurRenderer,
      windowOf: (event: IpcMainInvokeEvent) => BrowserWindow.fromWebContents(event.sender) ?? undefined,
    });
    const updateMenu = installAppMenu({
      engine,
      currentWindow: () => BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0],
      show: (win, hash) => void win.loadURL(freshRendererPage(hash)),
    });
    // File › Open Recent follows the recent list: filled in now, and again after every change.
    engine.settings.onChange(() => void updateMenu());
    void updateMenu();
    await createWindow((await start?.isFirst) ? FIRST_START_HASH : '');
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) void createWindow();
    });
  });

  // Running jobs are cancelled and settings writes finish before the process ends.
  app.on(
    'will-quit',
    quitGuard({
      activeJobs: () => engine.jobs.activeCount,
      closeEngine: () => engine.close(),
      settingsSaving: () => engine.settings.saving,
      settingsSaved: () => engine.settings.whenSaved(),
      quit: () => app.quit(),
    }),
  );

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
