// The Electron layer end to end, without Electron: the real main/electron/main.ts and
// preload.ts run against a fake of the 'electron' module (fake-electron.ts) that records
// what they ask and behaves as Electron does where the wiring depends on it. The engine is
// the real one; its settings file and data folder (where the first start installs the demo
// project) are in a temporary folder, through MNEMOSCOPE_CONFIG_DIR and MNEMOSCOPE_DATA_DIR.
//
// One boot of main.ts serves the whole file, as one run of the app would: the tests below
// run in order, and the last one quits the app.
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFakeElectron, fakeEvent, type FakeBrowserWindow, type FakeMenu, type FakeMenuItem } from './fake-electron';
import {
  DESKTOP_GLOBAL,
  EVENT_NAMES,
  IPC_EVENT_PREFIX,
  IPC_PICK_PATH,
  IPC_PREFIX,
  PROCEDURE_NAMES,
  subscriberName,
} from '../../../shared/names';
import type { Reply } from '../../../shared/call-error';
import type { PreloadApi } from '../../../shared/contract';
import type { DesktopApi } from '../../../shared/desktop';
import type { JobEndEvent } from '../../../shared/events';
import type { RecentProjectInfo } from '../../../shared/api/projects';
import { FIRST_START_HASH } from '../../../main/engine/demo/first-start';
import { DEMO_FOLDER_NAME, userDataDir } from '../../../main/engine/demo/demo-location';
import { defaultSettingsFile } from '../../../main/engine/settings';
import { isRendererPage } from '../../../main/electron/renderer-url';

const fake = createFakeElectron();
vi.mock('electron', () => fake.module);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const mainDir = path.join(root, 'main', 'electron');
/** Where main.ts finds the renderer when it runs from its source folder (main/electron/../../renderer). */
const RENDERER = pathToFileURL(path.join(root, 'renderer', 'index.html')).href;
const FOREIGN = 'https://example.com/';
const CORPUS_FILE = path.join(root, 'test', 'fixtures', 'corpus', 'animals.txt');

const ENV_KEYS = ['MNEMOSCOPE_CONFIG_DIR', 'MNEMOSCOPE_DATA_DIR', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME'] as const;
const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));

let tmp: string;
let demoDir: string;
let win: FakeBrowserWindow;
/** What the preload exposed to the page. */
let api: PreloadApi;
let desktop: DesktopApi;
/** console.error calls: main reports a failed demo install and internal errors there. */
const errors: unknown[][] = [];
/** What main had done before app.whenReady() resolved. */
let beforeReady: { windows: number; handlers: number; headersListeners: number; menus: number; listeners: Record<string, number> };

const plain = (label: string | undefined) => (label ?? '').replace(/&&/g, '\0').replace(/&/g, '').replace(/\0/g, '&');
const labelsOf = (menu: FakeMenu) => menu.items.map((i) => (i.type === 'separator' ? '---' : plain(i.label ?? i.role)));
function item(menu: FakeMenu | undefined, label: string): FakeMenuItem {
  const found = menu?.items.find((i) => plain(i.label) === label);
  if (!found) throw new Error(`no menu item '${label}' in [${menu ? labelsOf(menu).join(', ') : 'no menu'}]`);
  return found;
}
const appMenu = () => fake.Menu.getApplicationMenu()!;
const fileMenu = () => item(appMenu(), 'File').submenu!;
const recentMenu = () => item(fileMenu(), 'Open Recent').submenu!;

/** Calls a procedure's ipcMain handler as Electron would for a frame showing `url`. */
function invokeHandler(channel: string, input: unknown, frameUrl: string | null = win.webContents.getURL()): Promise<unknown> {
  const handler = fake.ipcMain.handlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return Promise.resolve(handler(fake.invokeEvent(win.webContents, frameUrl), input));
}
const call = (procedure: string, input: unknown = {}) => invokeHandler(IPC_PREFIX + procedure, input) as Promise<Reply>;
async function recent(): Promise<RecentProjectInfo[]> {
  const reply = await call('projectRecent');
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.output as RecentProjectInfo[];
}

/** Resolves once the window has loaded a new document (not only changed its #route). */
async function nextDocument(action: () => void): Promise<string> {
  const loads = win.webContents.documentLoads;
  const navigations = win.webContents.navigations.length;
  action();
  await vi.waitFor(() => expect(win.webContents.navigations.length).toBeGreaterThan(navigations), { timeout: 20_000 });
  const last = win.webContents.navigations.at(-1)!;
  expect(last.sameDocument, `${last.url} must load the page again, not only change its #route`).toBe(false);
  expect(win.webContents.documentLoads).toBe(loads + 1);
  return last.url;
}

beforeAll(async () => {
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args));
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'mnemo-electron-'));
  process.env.MNEMOSCOPE_CONFIG_DIR = path.join(tmp, 'config');
  process.env.MNEMOSCOPE_DATA_DIR = path.join(tmp, 'data');
  // Not read while the two above are set; pointed here all the same.
  process.env.XDG_CONFIG_HOME = path.join(tmp, 'xdg-config');
  process.env.XDG_DATA_HOME = path.join(tmp, 'xdg-data');
  // Nothing of this run may land outside the temporary folder.
  expect(defaultSettingsFile().startsWith(tmp + path.sep)).toBe(true);
  expect(userDataDir().startsWith(tmp + path.sep)).toBe(true);
  demoDir = path.join(tmp, 'data', DEMO_FOLDER_NAME);

  vi.resetModules();
  await import('../../../main/electron/main');
  beforeReady = {
    windows: fake.windows().length,
    handlers: fake.ipcMain.handlers.size,
    headersListeners: fake.defaultSession.headersListeners.length,
    menus: fake.applicationMenus.length,
    listeners: Object.fromEntries(
      ['web-contents-created', 'second-instance', 'will-quit', 'window-all-closed', 'activate'].map((e) => [e, fake.app.listenerCount(e)]),
    ),
  };

  fake.becomeReady();
  await vi.waitFor(() => expect(fake.windows()).toHaveLength(1));
  [win] = fake.windows();
  await vi.waitFor(() => expect(win.isVisible()).toBe(true));

  // The window's page runs the preload (the sandbox loads it before the page's scripts).
  fake.attachRenderer(win.webContents);
  await import('../../../main/electron/preload');
  api = fake.mainWorld.get('mnemoscope') as PreloadApi;
  desktop = fake.mainWorld.get(DESKTOP_GLOBAL) as DesktopApi;
});

afterAll(async () => {
  try {
    // The first-start install writes into the temporary folder: let it end (projectRecent waits for it).
    if (win) await recent().catch(() => undefined);
    // If a test failed before the last one quit the app, quit now: running jobs are cancelled.
    if (!fake.app.quitted) {
      fake.app.quit();
      await vi.waitFor(() => expect(fake.app.quitted).toBe(true), { timeout: 60_000 });
    }
    // Let the settings writes and menu rebuilds that closing the window started finish.
    let seen = -1;
    await vi.waitFor(
      () => {
        const now = fake.applicationMenus.length;
        const stable = now === seen;
        seen = now;
        expect(stable).toBe(true);
      },
      { interval: 200, timeout: 10_000 },
    );
  } finally {
    for (const key of ENV_KEYS) {
      if (savedEnv[key] === undefined) delete process.env[key];
      else process.env[key] = savedEnv[key];
    }
    vi.restoreAllMocks();
    if (tmp) await fs.rm(tmp, { recursive: true, force: true, maxRetries: 5 });
  }
});

describe('main.ts before the app is ready', () => {
  it('takes the single-instance lock and sets up the app listeners, but opens and registers nothing yet', () => {
    expect(fake.app.calls.requestSingleInstanceLock).toBe(1);
    expect(beforeReady.listeners).toEqual({
      'web-contents-created': 1,
      'second-instance': 1,
      'will-quit': 1,
      'window-all-closed': 1,
      activate: 0,
    });
    expect(beforeReady).toMatchObject({ windows: 0, handlers: 0, headersListeners: 0, menus: 0 });
  });
});

describe('the window', () => {
  it('is created once, hidden until ready, with the security settings of the webPreferences', () => {
    expect(fake.windows()).toEqual([win]);
    const { webPreferences, show } = win.options;
    expect(show).toBe(false);
    expect(win.calls.show).toBe(1); // on ready-to-show
    expect(win.isMaximized()).toBe(false);
    expect(webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
    });
    expect(webPreferences).not.toHaveProperty('nodeIntegrationInWorker', true);
    expect(webPreferences).not.toHaveProperty('nodeIntegrationInSubFrames', true);
    expect(webPreferences).not.toHaveProperty('webviewTag', true);
    // The CommonJS preload the build writes beside the main bundle (build/build.mjs).
    expect(path.basename(webPreferences!.preload!)).toBe('preload.cjs');
    expect(path.dirname(webPreferences!.preload!)).toBe(mainDir);
  });

  it('shows the renderer at the Compare view of the demo sweeps on a first start', () => {
    expect(win.webContents.navigations).toEqual([{ url: RENDERER + FIRST_START_HASH, sameDocument: false }]);
  });
});

describe('the IPC handlers', () => {
  it('are one per procedure of the contract, plus the path picker', () => {
    const expected = [...PROCEDURE_NAMES.map((n) => IPC_PREFIX + n), IPC_PICK_PATH];
    expect([...fake.ipcMain.handlers.keys()].sort()).toEqual(expected.sort());
  });

  it('answer our renderer with a Reply that survives the structured clone', async () => {
    const reply = await call('settingsGet');
    expect(reply).toMatchObject({ ok: true, output: { problem: null, settings: { theme: expect.any(String) } } });
    expect(structuredClone(reply)).toEqual(reply);
    // A bad request is a failed Reply, not a throw.
    expect(await call('settingsSet', { theme: 42 })).toMatchObject({ ok: false, error: { kind: 'user' } });
  });

  it('wait for the first-start install before they read the recent list, which then holds the demo', async () => {
    const list = await recent();
    expect(list[0]).toMatchObject({ dir: demoDir, name: 'Demo', available: true });
    expect(existsSync(path.join(demoDir, 'project.json'))).toBe(true);
    expect(JSON.parse(await fs.readFile(path.join(tmp, 'config', 'settings.json'), 'utf8')).recentProjects[0].dir).toBe(demoDir);
  });

  it.each([
    ['another site', FOREIGN],
    ['another file', pathToFileURL(path.join(root, 'renderer', 'other.html')).href],
    ['a frame that is gone', null],
  ])('refuse a call from %s', async (_what, url) => {
    await expect(invokeHandler(IPC_PREFIX + 'settingsGet', {}, url)).rejects.toThrow(/unknown frame refused/);
    await expect(invokeHandler(IPC_PICK_PATH, { purpose: 'open-file', title: 'x' }, url)).rejects.toThrow(/unknown frame refused/);
  });

  it('accept our renderer whatever its #route or query', async () => {
    for (const url of [`${RENDERER}#/models`, `${RENDERER}?load=3#/corpora`, RENDERER]) {
      expect(await invokeHandler(IPC_PREFIX + 'settingsGet', {}, url)).toMatchObject({ ok: true });
    }
  });
});

describe('the session', () => {
  it('adds a Content-Security-Policy header that allows our own scripts only', () => {
    expect(fake.defaultSession.headersListeners).toHaveLength(1);
    const [listener] = fake.defaultSession.headersListeners;
    let answer: { cancel?: boolean; responseHeaders?: Record<string, string | string[]> } | undefined;
    listener(
      { id: 1, url: RENDERER, method: 'GET', resourceType: 'mainFrame', responseHeaders: { 'Content-Type': ['text/html'] } },
      (response) => (answer = response),
    );
    expect(answer?.cancel).toBeFalsy();
    expect(answer?.responseHeaders?.['Content-Type']).toEqual(['text/html']); // kept
    const csp = answer?.responseHeaders?.['Content-Security-Policy'];
    expect(Array.isArray(csp) && csp.length === 1).toBe(true);
    const directives = new Map(
      String((csp as string[])[0])
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values]),
    );
    expect(String((csp as string[])[0])).toContain("default-src 'none'");
    expect(String((csp as string[])[0])).toContain("script-src 'self'");
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('refuses every permission a page asks for', () => {
    expect(fake.defaultSession.permissionRequestHandlers).toHaveLength(1);
    const [handler] = fake.defaultSession.permissionRequestHandlers;
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read']) {
      const answers: boolean[] = [];
      handler!(win.webContents, permission, (granted) => answers.push(granted), {});
      expect(answers, permission).toEqual([false]);
    }
  });
});

describe('every webContents', () => {
  const contents = () => [win.webContents, new fake.WebContents(null)];

  it('may navigate only within our renderer', () => {
    for (const wc of contents()) {
      if (!wc.owner) fake.app.emit('web-contents-created', fakeEvent(), wc); // e.g. a devtools or a webview's
      const navigate = (url: string) => {
        const event = fakeEvent({ url, isMainFrame: true });
        wc.emit('will-navigate', event, url, false, true, 1, 1);
        return event.defaultPrevented;
      };
      expect(navigate(FOREIGN)).toBe(true);
      expect(navigate('file:///etc/passwd')).toBe(true);
      expect(navigate(`${RENDERER}.evil`)).toBe(true);
      expect(navigate(`${RENDERER}#/models`)).toBe(false);
      expect(navigate(`${RENDERER}?x=1#/runs/a`)).toBe(false);
    }
  });

  it('opens no new window, not even for our own page', () => {
    for (const wc of contents()) {
      if (!wc.owner) fake.app.emit('web-contents-created', fakeEvent(), wc);
      for (const url of [FOREIGN, RENDERER]) {
        expect(wc.windowOpenHandler?.({ url, frameName: '', features: '', disposition: 'new-window' })).toEqual({ action: 'deny' });
      }
    }
  });

  it('attaches no webview', () => {
    const event = fakeEvent();
    win.webContents.emit('will-attach-webview', event, {}, { src: FOREIGN });
    expect(event.defaultPrevented).toBe(true);
  });
});

describe('the application menu', () => {
  it('has File › Open Project…, Open Recent (with the demo) and Open Demo Project', async () => {
    expect(fake.applicationMenus.length).toBeGreaterThanOrEqual(1);
    const mac = process.platform === 'darwin';
    expect(labelsOf(appMenu())).toEqual([...(mac ? ['appMenu'] : []), 'File', 'editMenu', 'View', 'windowMenu', 'help']);
    const file = fileMenu();
    expect(labelsOf(file)).toEqual(['New Project…', 'Open Project…', 'Open Recent', 'Open Demo Project', '---', mac ? 'close' : 'quit']);
    expect(item(file, 'Open Recent').type).toBe('submenu');
    // Filled in from the engine's recent list, which the first start changed.
    await vi.waitFor(() => expect(labelsOf(recentMenu())).toEqual([`Demo — ${demoDir}`, '---', 'Clear Recent']));
  });

  it('opens the About panel from Help', () => {
    item(appMenu().items.find((i) => i.role === 'help')!.submenu, 'About Mnemoscope').trigger();
    expect(fake.app.calls.showAboutPanel).toBe(1);
  });

  it('Open Project… opens the folder picked in the dialog, in a fresh page, and lists it first in Open Recent', async () => {
    const second = path.join(tmp, 'projects', 'Second');
    expect(await call('projectCreate', { dir: second, name: 'Second' })).toMatchObject({ ok: true });
    await call('projectOpen', { dir: demoDir }); // demo first again
    fake.dialogAnswers.open = { canceled: false, filePaths: [second] };
    const dialogs = fake.dialogCalls.length;

    const url = await nextDocument(() => item(fileMenu(), 'Open Project…').trigger());
    expect(isRendererPage(RENDERER, url)).toBe(true);
    expect(new URL(url).hash).toBe('#/corpora');
    const [picked] = fake.dialogCalls.slice(dialogs);
    expect(picked.dialog).toBe('open');
    expect(picked.window).toBe(win);
    expect((picked.options as { properties: string[] }).properties).toContain('openDirectory');
    expect((await recent()).map((r) => r.dir)).toEqual([second, demoDir]);
    await vi.waitFor(() => expect(labelsOf(recentMenu()).slice(0, 2)).toEqual([`Second — ${second}`, `Demo — ${demoDir}`]));
  });

  it('Open Recent opens the project clicked, in a fresh page', async () => {
    const url = await nextDocument(() => item(recentMenu(), `Demo — ${demoDir}`).trigger());
    expect(new URL(url).hash).toBe('#/corpora');
    expect((await recent())[0].dir).toBe(demoDir);
  });

  it('Open Demo Project shows the demo sweeps side by side in Compare, in a fresh page, even when the page was there already', async () => {
    await nextDocument(() => item(fileMenu(), 'Open Demo Project').trigger());
    const url = await nextDocument(() => item(fileMenu(), 'Open Demo Project').trigger());
    expect(new URL(url).hash).toBe(FIRST_START_HASH);
    expect(new URL(url).hash).toBe('#/compare?runs=verwimp2018-sweep,adam-small-sweep');
    expect((await recent())[0].dir).toBe(demoDir);
  });

  it('Open Project… does nothing when the dialog is cancelled, and says so when the folder holds no project', async () => {
    const navigations = win.webContents.navigations.length;
    fake.dialogAnswers.open = { canceled: true, filePaths: [] };
    const dialogs = fake.dialogCalls.length;
    item(fileMenu(), 'Open Project…').trigger();
    await vi.waitFor(() => expect(fake.dialogCalls.length).toBe(dialogs + 1));

    const empty = path.join(tmp, 'not-a-project');
    await fs.mkdir(empty);
    fake.dialogAnswers.open = { canceled: false, filePaths: [empty] };
    item(fileMenu(), 'Open Project…').trigger();
    await vi.waitFor(() => expect(fake.dialogCalls.at(-1)?.dialog).toBe('message'));
    expect(fake.dialogCalls.at(-1)).toMatchObject({ window: win, options: { type: 'error', message: 'The project could not be opened' } });
    expect(win.webContents.navigations.length).toBe(navigations);
  });
});

describe('the preload', () => {
  const exposedApi = () => fake.mainWorld.get('mnemoscope') as Record<string, unknown>;

  it('exposes window.mnemoscope and window.mnemoscopeDesktop, nothing else', () => {
    expect([...fake.mainWorld.keys()]).toEqual(['mnemoscope', DESKTOP_GLOBAL]);
    expect(Object.keys(exposedApi()).sort()).toEqual([...PROCEDURE_NAMES, ...EVENT_NAMES.map(subscriberName)].sort());
    expect(Object.values(exposedApi()).every((f) => typeof f === 'function')).toBe(true);
    expect(Object.keys(desktop)).toEqual(['pickPath']);
  });

  it('never hands the page ipcRenderer or one of its methods', () => {
    const forbidden = new Set<unknown>([fake.ipcRenderer, fake.ipcRenderer.invoke, fake.ipcRenderer.on, fake.ipcRenderer.send]);
    const seen = new Set<unknown>();
    const walk = (value: unknown, where: string) => {
      expect(forbidden.has(value), where).toBe(false);
      if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) return;
      seen.add(value);
      for (const key of Reflect.ownKeys(value)) walk((value as Record<PropertyKey, unknown>)[key], `${where}.${String(key)}`);
    };
    for (const [key, value] of fake.mainWorld) walk(value, key);
  });

  it('calls a procedure over its own channel and resolves to main’s Reply', async () => {
    const invoked = fake.ipcRenderer.invoked.length;
    const reply = await api.settingsGet({});
    expect(fake.ipcRenderer.invoked.slice(invoked)).toEqual([{ channel: IPC_PREFIX + 'settingsGet', args: [{}] }]);
    expect(reply).toMatchObject({ ok: true, output: { settings: { recentProjects: expect.any(Array) } } });
    // Left out, the input is {}; a failure comes back as a Reply too.
    expect(await (api.projectInfo as unknown as () => Promise<Reply>)()).toMatchObject({ ok: false, error: { kind: 'user' } });
    expect(fake.ipcRenderer.invoked.at(-1)).toEqual({ channel: IPC_PREFIX + 'projectInfo', args: [{}] });
  });

  it('is refused by main when it runs in a page that is not ours', async () => {
    const other = new fake.BrowserWindow({ show: false });
    await other.loadURL(FOREIGN);
    fake.attachRenderer(other.webContents);
    try {
      await expect(api.settingsGet({})).rejects.toThrow(/Error invoking remote method 'mnemoscope:settingsGet'.*unknown frame refused/);
      await expect(desktop.pickPath({ purpose: 'open-file', title: 'x' })).rejects.toThrow(/unknown frame refused/);
    } finally {
      fake.attachRenderer(win.webContents);
      other.close();
    }
  });

  it('subscribes to an event, hands the listener the payload only, and unsubscribes', () => {
    const channel = IPC_EVENT_PREFIX + 'jobLog';
    const seen: unknown[] = [];
    const off = api.onJobLog((payload) => seen.push(payload));
    expect(fake.ipcRenderer.listenerCount(channel)).toBe(1);
    win.webContents.send(channel, { jobId: 'job-1', line: 'hello' });
    expect(seen).toEqual([{ jobId: 'job-1', line: 'hello' }]);
    off();
    off();
    expect(fake.ipcRenderer.listenerCount(channel)).toBe(0);
    win.webContents.send(channel, { jobId: 'job-1', line: 'again' });
    expect(seen).toHaveLength(1);
    expect(() => (api.onJobEnd as unknown as (l: unknown) => void)('not a function')).toThrow(TypeError);
    expect(fake.ipcRenderer.listenerCount(IPC_EVENT_PREFIX + 'jobEnd')).toBe(0);
  });

  it('picks a path with the native dialog of the window the page is in', async () => {
    fake.dialogAnswers.open = { canceled: false, filePaths: ['/data/brown.txt'] };
    const request = { purpose: 'open-file' as const, title: 'Corpus file', filters: [{ name: 'Text', extensions: ['txt'] }] };
    expect(await desktop.pickPath(request)).toBe('/data/brown.txt');
    expect(fake.ipcRenderer.invoked.at(-1)).toEqual({ channel: IPC_PICK_PATH, args: [request] });
    expect(fake.dialogCalls.at(-1)).toMatchObject({ dialog: 'open', window: win, options: { title: 'Corpus file', properties: ['openFile'] } });
    fake.dialogAnswers.save = { canceled: true };
    expect(await desktop.pickPath({ purpose: 'save-file', title: 'Export' })).toBeNull();
    await expect(desktop.pickPath({ purpose: 'open-file' } as never)).rejects.toThrow(/invalid request/);
  });
});

describe('job events', () => {
  it('reach the page showing our renderer, each on its own channel, and no other page', async () => {
    const foreign = new fake.BrowserWindow({ show: false });
    await foreign.loadURL(FOREIGN);
    const ends: JobEndEvent[] = [];
    const progress: unknown[] = [];
    const offEnd = api.onJobEnd((e) => ends.push(e));
    const offProgress = api.onJobProgress((p) => progress.push(p));
    try {
      const started = await api.jobStart({
        kind: 'import-corpus',
        params: { project: demoDir, id: 'animals', source: { kind: 'files', train: CORPUS_FILE, valid: CORPUS_FILE, test: CORPUS_FILE } },
      });
      expect(started).toMatchObject({ ok: true });
      const { jobId } = (started as { ok: true; output: { jobId: string } }).output;
      await vi.waitFor(() => expect(ends.map((e) => e.jobId)).toContain(jobId), { timeout: 60_000 });
      expect(ends.find((e) => e.jobId === jobId), JSON.stringify(ends)).toMatchObject({ status: 'done', kind: 'import-corpus' });
      const channels = new Set(win.webContents.sent.map((s) => s.channel));
      expect(channels.has(IPC_EVENT_PREFIX + 'jobEnd')).toBe(true);
      expect([...channels].every((c) => c.startsWith(IPC_EVENT_PREFIX) && EVENT_NAMES.some((n) => c === IPC_EVENT_PREFIX + n))).toBe(true);
      expect(foreign.webContents.sent).toEqual([]);
    } finally {
      offEnd();
      offProgress();
      foreign.close();
    }
  });
});

describe('the app', () => {
  it('brings the window back when a second instance starts', () => {
    win.minimize();
    const { focus, restore } = win.calls;
    fake.app.emit('second-instance', fakeEvent(), [], root, {});
    expect(win.calls.restore).toBe(restore + 1);
    expect(win.calls.focus).toBe(focus + 1);
    expect(win.isMinimized()).toBe(false);
  });

  it('opens no second window on activate while one is open', () => {
    fake.app.emit('activate', fakeEvent(), true);
    expect(fake.windows()).toEqual([win]);
  });

  it('lets the app quit at once when no job runs', () => {
    const event = fakeEvent();
    fake.app.emit('will-quit', event);
    expect(event.defaultPrevented).toBe(false);
    expect(fake.app.calls.quit).toBe(0);
  });

  it('cancels a running job before it quits, and keeps the window’s place in the settings', async () => {
    const ends: JobEndEvent[] = [];
    const off = api.onJobEnd((e) => ends.push(e));
    win.setBounds({ x: 40, y: 30, width: 1111, height: 777 });
    const started = await api.jobStart({
      kind: 'import-corpus',
      params: { project: demoDir, id: 'animals-2', source: { kind: 'files', train: CORPUS_FILE, valid: CORPUS_FILE, test: CORPUS_FILE } },
    });
    expect(started).toMatchObject({ ok: true });
    const { jobId } = (started as { ok: true; output: { jobId: string } }).output;

    const event = fakeEvent();
    fake.app.emit('will-quit', event); // the job has only just started
    expect(event.defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(fake.app.quitted).toBe(true), { timeout: 60_000 });
    // once the job had ended; quitting then closed the window, whose place was being saved,
    // so the app quit again once that was on disk
    expect(fake.app.calls.quit).toBe(2);
    off();
    expect(ends.find((e) => e.jobId === jobId)?.status).toBe('cancelled');
    expect(existsSync(path.join(demoDir, 'corpora', 'animals-2'))).toBe(false);

    // Quitting closed the window, which saved its place, and the quit waited for the save.
    expect(fake.windows()).toEqual([]);
    const saved = JSON.parse(await fs.readFile(path.join(tmp, 'config', 'settings.json'), 'utf8'));
    expect(saved.window).toEqual({ x: 40, y: 30, width: 1111, height: 777, maximized: false });
    expect(errors).toEqual([]);
  });
});
