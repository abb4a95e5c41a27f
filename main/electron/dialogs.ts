// Native file and folder dialogs for the renderer's path fields (the desktop-only API of
// shared/desktop.ts). One ipcMain handler: it refuses a sender frame that is not our
// renderer and a request that fails the schema, before any dialog opens, and resolves with
// the chosen path or null when the person cancelled. Electron's objects are passed in
// (main.ts wires the real ones), so the logic runs in Node tests with fakes.
import { PickPathRequestSchema, type PickPathRequest } from '../../shared/desktop';
import { IPC_PICK_PATH } from '../../shared/names';
import { describeIssues } from '../engine/handlers/dispatch';

/** The part of Electron's OpenDialogOptions we use. */
export interface OpenOptions {
  title: string;
  defaultPath?: string;
  filters?: { name: string; extensions: string[] }[];
  properties: ('openFile' | 'openDirectory' | 'createDirectory' | 'promptToCreate')[];
}

/** The part of Electron's SaveDialogOptions we use. */
export interface SaveOptions {
  title: string;
  defaultPath?: string;
  filters?: { name: string; extensions: string[] }[];
  properties: ('createDirectory' | 'showOverwriteConfirmation')[];
}

/** Electron's `dialog`, as far as this module uses it. */
export interface DialogLike<W> {
  showOpenDialog(window: W, options: OpenOptions): Promise<{ canceled: boolean; filePaths: string[] }>;
  showSaveDialog(window: W, options: SaveOptions): Promise<{ canceled: boolean; filePath?: string }>;
}

/** Electron's IpcMainInvokeEvent, as far as this module uses it. */
export interface InvokeEventLike {
  senderFrame?: { url: string } | null;
}

export interface PickPathDeps<E extends InvokeEventLike, W> {
  /** ipcMain.handle */
  handle(channel: string, listener: (event: E, request: unknown) => Promise<string | null>): void;
  dialog: DialogLike<W>;
  /** Whether a frame's URL is our renderer's page (main.ts's isOurRenderer). */
  isOurRenderer(url: string | undefined): boolean;
  /** The window of the frame that asked, for the dialog to be modal to. */
  windowOf(event: E): W | undefined;
}

export type DialogCall = { dialog: 'open'; options: OpenOptions } | { dialog: 'save'; options: SaveOptions };

/** Which dialog a (valid) request opens, with which options. */
export function dialogCall(request: PickPathRequest): DialogCall {
  const common = {
    title: request.title,
    ...(request.defaultPath !== undefined && { defaultPath: request.defaultPath }),
  };
  const filters = request.filters?.length ? { filters: request.filters } : {};
  switch (request.purpose) {
    case 'open-file':
      return { dialog: 'open', options: { ...common, ...filters, properties: ['openFile'] } };
    case 'open-directory':
      // A new project's folder may not exist yet: let the person make one in the dialog.
      return { dialog: 'open', options: { ...common, properties: ['openDirectory', 'createDirectory', 'promptToCreate'] } };
    case 'save-file':
      return { dialog: 'save', options: { ...common, ...filters, properties: ['createDirectory', 'showOverwriteConfirmation'] } };
  }
}

/** The handler itself: checks, then the dialog; throws (the renderer's promise rejects) when refused. */
export function pickPathHandler<E extends InvokeEventLike, W>(deps: Omit<PickPathDeps<E, W>, 'handle'>) {
  return async (event: E, request: unknown): Promise<string | null> => {
    if (!deps.isOurRenderer(event.senderFrame?.url)) throw new Error('pickPath: request from an unknown frame refused');
    const parsed = PickPathRequestSchema.safeParse(request);
    if (!parsed.success) throw new Error(`pickPath: invalid request: ${describeIssues(parsed.error)}`);
    const win = deps.windowOf(event);
    if (win === undefined) throw new Error('pickPath: the asking frame has no window to show a dialog on');
    const call = dialogCall(parsed.data);
    if (call.dialog === 'open') {
      const picked = await deps.dialog.showOpenDialog(win, call.options);
      return picked.canceled || picked.filePaths.length === 0 ? null : picked.filePaths[0];
    }
    const saved = await deps.dialog.showSaveDialog(win, call.options);
    return saved.canceled || !saved.filePath ? null : saved.filePath;
  };
}

export function registerPickPath<E extends InvokeEventLike, W>(deps: PickPathDeps<E, W>): void {
  deps.handle(IPC_PICK_PATH, pickPathHandler(deps));
}
