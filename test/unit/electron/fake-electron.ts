// A fake of the 'electron' module, faithful in the parts main/electron/*.ts and the preload
// use, for running the real main.ts and preload.ts in Node (the Electron binary is not
// needed). It records what the code asks of Electron and behaves as Electron does where the
// wiring depends on it:
//  - app, BrowserWindow, WebContents and ipcRenderer are EventEmitters; a new window's
//    webContents is announced with app's 'web-contents-created', as Electron does;
//  - app.quit() closes the windows, then emits 'will-quit' (which can be prevented) and
//    'quit'; 'window-all-closed' is emitted when the last window closes, but not while quitting;
//  - loadURL to the page already shown with only another #fragment is a same-document
//    navigation (no new document: the page's script keeps running), as in Chromium;
//  - ipcMain.handle refuses a second handler for one channel; ipcRenderer.invoke reaches the
//    handler with an event naming the sending webContents and frame, structured-clones the
//    arguments and the result, and rejects with Electron's "Error invoking remote method";
//  - webContents.send structured-clones what it sends and reaches the ipcRenderer of the
//    page shown in that webContents (the one attachRenderer names);
//  - Menu.buildFromTemplate checks the template as Electron does and builds submenus;
//  - contextBridge.exposeInMainWorld refuses a key that is already exposed.
import { EventEmitter } from 'node:events';
import type { BrowserWindowConstructorOptions, MenuItemConstructorOptions } from 'electron';

/** The event object Electron passes to a listener that may cancel what is about to happen. */
export interface FakeEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}

export function fakeEvent<T extends object>(extra?: T): FakeEvent & T {
  return {
    ...(extra as T),
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One navigation of a webContents: a new document, or a fragment change within the one shown. */
export interface Navigation {
  url: string;
  sameDocument: boolean;
}

/** What ipcMain's handler receives (Electron's IpcMainInvokeEvent, as far as it is used). */
export interface FakeInvokeEvent<Sender = unknown> {
  sender: Sender;
  senderFrame: { url: string } | null;
  processId: number;
  frameId: number;
  type: 'frame';
}

type InvokeHandler = (event: FakeInvokeEvent, ...args: unknown[]) => unknown;

export interface FakeMenuItem {
  label?: string;
  role?: string;
  type: 'normal' | 'separator' | 'submenu' | 'checkbox' | 'radio';
  accelerator?: string;
  enabled: boolean;
  toolTip?: string;
  submenu?: FakeMenu;
  /** What Electron does when the item is chosen (with the focused window). */
  trigger(): void;
}

export interface FakeMenu {
  items: FakeMenuItem[];
}

const stripFragment = (url: string) => url.split('#')[0];

export function createFakeElectron() {
  let nextId = 1;
  const windows: BrowserWindow[] = [];
  /** The focused window (a property: the windows set it to themselves). */
  const focus: { window: BrowserWindow | null } = { window: null };
  let quitting = false;
  /** The webContents whose page the preload (ipcRenderer) belongs to. */
  let rendererContents: WebContents | null = null;
  let readyResolve: () => void = () => {};
  const readyPromise = new Promise<void>((resolve) => (readyResolve = resolve));
  let ready = false;

  // ---- app -------------------------------------------------------------------------------
  class App extends EventEmitter {
    readonly isPackaged = false;
    readonly name = 'Mnemoscope';
    readonly calls = { requestSingleInstanceLock: 0, quit: 0, showAboutPanel: 0 };
    /** What requestSingleInstanceLock answers (false: another instance has it). */
    singleInstanceLock = true;
    quitted = false;

    requestSingleInstanceLock(): boolean {
      this.calls.requestSingleInstanceLock++;
      return this.singleInstanceLock;
    }
    whenReady(): Promise<void> {
      return readyPromise;
    }
    isReady(): boolean {
      return ready;
    }
    getName(): string {
      return this.name;
    }
    showAboutPanel(): void {
      this.calls.showAboutPanel++;
    }
    quit(): void {
      this.calls.quit++;
      // An app whose will-quit listener always says no would loop (here in microtasks, which
      // would starve the test's timers): stop it with an error the test reports.
      if (this.calls.quit > 50) throw new Error('app.quit() was called 50 times: the app never quits');
      const beforeQuit = fakeEvent();
      this.emit('before-quit', beforeQuit);
      if (beforeQuit.defaultPrevented) return;
      quitting = true;
      try {
        for (const win of [...windows]) {
          win.close();
          if (!win.isDestroyed()) return; // a window refused to close: no quit
        }
      } finally {
        quitting = false;
      }
      const willQuit = fakeEvent();
      this.emit('will-quit', willQuit);
      if (willQuit.defaultPrevented) return;
      this.quitted = true;
      this.emit('quit', fakeEvent(), 0);
    }
  }
  const app = new App();

  // ---- webContents -----------------------------------------------------------------------
  class WebContents extends EventEmitter {
    readonly id = nextId++;
    private url = '';
    private destroyed = false;
    /** Every navigation, in order. */
    readonly navigations: Navigation[] = [];
    /** How many documents were loaded (a fragment-only change loads none). */
    documentLoads = 0;
    windowOpenHandler: ((details: { url: string; frameName: string; features: string; disposition: string }) => unknown) | null = null;
    /** Everything sent to the page with send(), already cloned. */
    readonly sent: { channel: string; args: unknown[] }[] = [];

    constructor(readonly owner: BrowserWindow | null) {
      super();
    }
    getURL(): string {
      return this.url;
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
    destroy(): void {
      this.destroyed = true;
      this.emit('destroyed');
    }
    loadURL(url: string): Promise<void> {
      const target = new URL(url).href;
      const sameDocument = this.url !== '' && target.includes('#') && stripFragment(target) === stripFragment(this.url);
      this.navigations.push({ url: target, sameDocument });
      this.url = target;
      if (sameDocument) {
        this.emit('did-navigate-in-page', fakeEvent(), target, true);
        return Promise.resolve();
      }
      this.documentLoads++;
      const first = this.documentLoads === 1;
      return new Promise((resolve) => {
        setImmediate(() => {
          if (this.destroyed) return resolve();
          this.emit('did-finish-load', fakeEvent());
          if (first) this.owner?.emit('ready-to-show', fakeEvent());
          resolve();
        });
      });
    }
    send(channel: string, ...args: unknown[]): void {
      if (this.destroyed) throw new Error('Object has been destroyed');
      const cloned = structuredClone(args);
      this.sent.push({ channel, args: cloned });
      if (rendererContents === this) ipcRenderer.deliver(channel, cloned);
    }
    setWindowOpenHandler(handler: WebContents['windowOpenHandler']): void {
      this.windowOpenHandler = handler;
    }
  }

  // ---- BrowserWindow ---------------------------------------------------------------------
  class BrowserWindow extends EventEmitter {
    readonly id = nextId++;
    readonly webContents: WebContents;
    private visible: boolean;
    private maximized = false;
    private minimized = false;
    private destroyed = false;
    private bounds: Rect;
    readonly calls = { show: 0, maximize: 0, focus: 0, restore: 0 };

    constructor(readonly options: BrowserWindowConstructorOptions = {}) {
      super();
      if (!ready) throw new Error('Cannot create BrowserWindow before app is ready');
      this.bounds = { x: options.x ?? 100, y: options.y ?? 100, width: options.width ?? 800, height: options.height ?? 600 };
      this.visible = options.show !== false;
      windows.push(this);
      this.webContents = new WebContents(this);
      app.emit('web-contents-created', fakeEvent(), this.webContents);
      if (this.visible) focus.window = this;
    }
    static getAllWindows(): BrowserWindow[] {
      return [...windows];
    }
    static getFocusedWindow(): BrowserWindow | null {
      return focus.window;
    }
    static fromWebContents(contents: unknown): BrowserWindow | null {
      return windows.find((w) => w.webContents === contents) ?? null;
    }
    loadURL(url: string): Promise<void> {
      return this.webContents.loadURL(url);
    }
    show(): void {
      this.calls.show++;
      this.visible = true;
      this.minimized = false;
      focus.window = this;
    }
    isVisible(): boolean {
      return this.visible;
    }
    maximize(): void {
      this.calls.maximize++;
      this.maximized = true;
    }
    isMaximized(): boolean {
      return this.maximized;
    }
    minimize(): void {
      this.minimized = true;
      if (focus.window === this) focus.window = null;
    }
    isMinimized(): boolean {
      return this.minimized;
    }
    restore(): void {
      this.calls.restore++;
      this.minimized = false;
      this.maximized = false;
    }
    focus(): void {
      this.calls.focus++;
      focus.window = this;
    }
    getBounds(): Rect {
      return { ...this.bounds };
    }
    getNormalBounds(): Rect {
      return { ...this.bounds };
    }
    setBounds(b: Partial<Rect>): void {
      this.bounds = { ...this.bounds, ...b };
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
    /** As if the person closed the window: 'close' (which may be prevented), then 'closed'. */
    close(): void {
      if (this.destroyed) return;
      const event = fakeEvent();
      this.emit('close', event);
      if (event.defaultPrevented) return;
      this.destroy();
    }
    destroy(): void {
      if (this.destroyed) return;
      this.destroyed = true;
      windows.splice(windows.indexOf(this), 1);
      if (focus.window === this) focus.window = null;
      this.webContents.destroy();
      this.emit('closed');
      if (windows.length === 0 && !quitting) app.emit('window-all-closed');
    }
  }

  // ---- ipcMain ---------------------------------------------------------------------------
  class IpcMain extends EventEmitter {
    readonly handlers = new Map<string, InvokeHandler>();
    handle(channel: string, handler: InvokeHandler): void {
      if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      this.handlers.set(channel, handler);
    }
    removeHandler(channel: string): void {
      this.handlers.delete(channel);
    }
  }
  const ipcMain = new IpcMain();

  /** The event ipcMain's handler receives for a call from the page shown in `sender`. */
  function invokeEvent(sender: WebContents, frameUrl: string | null = sender.getURL()): FakeInvokeEvent<WebContents> {
    return { sender, senderFrame: frameUrl === null ? null : { url: frameUrl }, processId: 1, frameId: 1, type: 'frame' };
  }

  // ---- ipcRenderer (the preload's side) ----------------------------------------------------
  class IpcRenderer extends EventEmitter {
    readonly invoked: { channel: string; args: unknown[] }[] = [];
    readonly sentToMain: { channel: string; args: unknown[] }[] = [];
    async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
      this.invoked.push({ channel, args });
      const sender = rendererContents;
      if (!sender) throw new Error('ipcRenderer: the preload is not attached to any webContents');
      const handler = ipcMain.handlers.get(channel);
      try {
        if (!handler) throw new Error(`No handler registered for '${channel}'`);
        return structuredClone(await handler(invokeEvent(sender), ...structuredClone(args)));
      } catch (err) {
        throw new Error(`Error invoking remote method '${channel}': ${String(err)}`);
      }
    }
    send(channel: string, ...args: unknown[]): void {
      this.sentToMain.push({ channel, args: structuredClone(args) });
    }
    /** main → page: what webContents.send ends in. */
    deliver(channel: string, args: unknown[]): void {
      this.emit(channel, { sender: this, senderId: 0, ports: [] }, ...args);
    }
  }
  const ipcRenderer = new IpcRenderer();

  // ---- contextBridge -----------------------------------------------------------------------
  const mainWorld = new Map<string, unknown>();
  const contextBridge = {
    exposeInMainWorld(key: string, api: unknown): void {
      if (mainWorld.has(key)) throw new Error('Cannot bind an API on top of an existing property on the window object');
      mainWorld.set(key, api);
    },
  };

  // ---- Menu --------------------------------------------------------------------------------
  const applicationMenus: (FakeMenu | null)[] = [];

  function buildMenu(template: unknown): FakeMenu {
    if (!Array.isArray(template)) throw new TypeError('Invalid template for Menu: Menu template must be an array');
    const valid = (item: unknown) =>
      item !== null &&
      typeof item === 'object' &&
      ('label' in item || 'role' in item || (item as { type?: unknown }).type === 'separator');
    if (!template.every(valid)) throw new TypeError('Invalid template for MenuItem: must have at least one of label, role or type');
    return { items: (template as MenuItemConstructorOptions[]).map(buildItem) };
  }

  function buildItem(options: MenuItemConstructorOptions): FakeMenuItem {
    if (options.click !== undefined && typeof options.click !== 'function') throw new TypeError('Invalid click for MenuItem');
    const submenu =
      options.submenu === undefined ? undefined : isFakeMenu(options.submenu) ? options.submenu : buildMenu(options.submenu);
    const type = options.type ?? (submenu ? 'submenu' : 'normal');
    if (type === 'submenu' && !submenu) throw new Error('Invalid submenu');
    const item: FakeMenuItem = {
      ...(options.label !== undefined && { label: options.label }),
      ...(options.role !== undefined && { role: options.role }),
      type: type as FakeMenuItem['type'],
      ...(options.accelerator !== undefined && { accelerator: String(options.accelerator) }),
      enabled: options.enabled ?? true,
      ...(options.toolTip !== undefined && { toolTip: options.toolTip }),
      ...(submenu && { submenu }),
      trigger: () => {
        if (!item.enabled) return;
        const click = options.click as ((...args: unknown[]) => void) | undefined;
        click?.(item, focus.window ?? undefined, { triggeredByAccelerator: false });
      },
    };
    return item;
  }

  function isFakeMenu(value: unknown): value is FakeMenu {
    return typeof value === 'object' && value !== null && !Array.isArray(value) && Array.isArray((value as FakeMenu).items);
  }

  const Menu = {
    buildFromTemplate: (template: readonly MenuItemConstructorOptions[]): FakeMenu => buildMenu(template),
    setApplicationMenu: (menu: FakeMenu | null): void => {
      applicationMenus.push(menu);
    },
    getApplicationMenu: (): FakeMenu | null => applicationMenus.at(-1) ?? null,
  };

  // ---- dialog ------------------------------------------------------------------------------
  type DialogAnswer<T> = T | ((options: unknown) => T);
  const dialogCalls: { dialog: 'open' | 'save' | 'message'; window: unknown; options: unknown }[] = [];
  const dialogAnswers = {
    open: { canceled: true, filePaths: [] } as DialogAnswer<{ canceled: boolean; filePaths: string[] }>,
    save: { canceled: true } as DialogAnswer<{ canceled: boolean; filePath?: string }>,
  };
  // Electron's dialogs take (window, options) or (options).
  const split = (a: unknown, b: unknown) => (b === undefined ? { window: undefined, options: a } : { window: a, options: b });
  const answer = <T>(a: DialogAnswer<T>, options: unknown): T => (typeof a === 'function' ? (a as (o: unknown) => T)(options) : a);
  const dialog = {
    showOpenDialog: async (a: unknown, b?: unknown) => {
      const call = split(a, b);
      dialogCalls.push({ dialog: 'open', ...call });
      return answer(dialogAnswers.open, call.options);
    },
    showSaveDialog: async (a: unknown, b?: unknown) => {
      const call = split(a, b);
      dialogCalls.push({ dialog: 'save', ...call });
      return answer(dialogAnswers.save, call.options);
    },
    showMessageBox: async (a: unknown, b?: unknown) => {
      dialogCalls.push({ dialog: 'message', ...split(a, b) });
      return { response: 0, checkboxChecked: false };
    },
  };

  // ---- session -----------------------------------------------------------------------------
  type HeadersListener = (
    details: { id: number; url: string; method: string; resourceType: string; responseHeaders?: Record<string, string[]> },
    callback: (response: { cancel?: boolean; responseHeaders?: Record<string, string | string[]> }) => void,
  ) => void;
  type PermissionHandler = (webContents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void;
  const defaultSession = {
    headersListeners: [] as HeadersListener[],
    permissionRequestHandlers: [] as (PermissionHandler | null)[],
    webRequest: {
      onHeadersReceived(a: unknown, b?: unknown): void {
        const listener = (b === undefined ? a : b) as HeadersListener | null;
        if (listener) defaultSession.headersListeners.push(listener);
      },
    },
    setPermissionRequestHandler(handler: PermissionHandler | null): void {
      defaultSession.permissionRequestHandlers.push(handler);
    },
  };
  const session = {
    get defaultSession() {
      if (!ready) throw new Error("Session can only be received when app is ready");
      return defaultSession;
    },
  };

  // ---- screen --------------------------------------------------------------------------------
  const display = { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1048 } };
  const screen = {
    getAllDisplays() {
      if (!ready) throw new Error("The 'screen' module can't be used before the app 'ready' event");
      return [display];
    },
    getPrimaryDisplay: () => display,
  };

  return {
    /** What vi.mock('electron') gives the code under test. */
    module: { app, BrowserWindow, WebContents, ipcMain, ipcRenderer, contextBridge, Menu, dialog, session, screen },
    app,
    BrowserWindow,
    WebContents,
    ipcMain,
    ipcRenderer,
    Menu,
    defaultSession,
    dialogCalls,
    dialogAnswers,
    /** Everything the preload exposed on window, by key, as it was handed over. */
    mainWorld,
    applicationMenus,
    windows: () => [...windows],
    /** Resolves app.whenReady() (and emits 'ready'), as Electron does once it has started. */
    becomeReady(): void {
      ready = true;
      app.emit('ready', fakeEvent(), {});
      readyResolve();
    },
    /** The page shown in `contents` is the one whose preload uses ipcRenderer. */
    attachRenderer(contents: WebContents | null): void {
      rendererContents = contents;
    },
    invokeEvent,
  };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;
export type FakeWebContents = InstanceType<FakeElectron['WebContents']>;
export type FakeBrowserWindow = InstanceType<FakeElectron['BrowserWindow']>;
