// The native path picker's ipcMain handler (main/electron/dialogs.ts) with fakes in place of
// Electron: a valid request from our renderer reaches the right dialog with the right
// options and gives back the chosen path; cancel gives null; a malformed request or one
// from another frame is refused before any dialog opens.
import { describe, expect, it } from 'vitest';
import { registerPickPath, type InvokeEventLike, type OpenOptions, type SaveOptions } from '../../../main/electron/dialogs';
import { isRendererPage } from '../../../main/electron/renderer-url';
import { IPC_PICK_PATH, IPC_PREFIX } from '../../../shared/names';

const RENDERER = 'file:///opt/Mnemoscope/resources/app.asar/dist/renderer/index.html';
const WINDOW = { id: 'main-window' };

interface FakeWindow {
  id: string;
}

type Listener = (event: InvokeEventLike, request: unknown) => Promise<string | null>;

/** The handler as main.ts registers it, with a dialog that records its calls and answers as told. */
function setUp(answers: { open?: { canceled: boolean; filePaths: string[] }; save?: { canceled: boolean; filePath?: string } } = {}) {
  const opened: { window: FakeWindow; options: OpenOptions }[] = [];
  const saved: { window: FakeWindow; options: SaveOptions }[] = [];
  const channels: string[] = [];
  let listener: Listener | undefined;
  registerPickPath<InvokeEventLike, FakeWindow>({
    handle: (channel, l) => {
      channels.push(channel);
      listener = l;
    },
    dialog: {
      showOpenDialog: async (window, options) => {
        opened.push({ window, options });
        return answers.open ?? { canceled: false, filePaths: ['/data/picked.txt'] };
      },
      showSaveDialog: async (window, options) => {
        saved.push({ window, options });
        return answers.save ?? { canceled: false, filePath: '/data/out.csv' };
      },
    },
    isOurRenderer: (url) => isRendererPage(RENDERER, url),
    windowOf: (event) => ((event as { noWindow?: boolean }).noWindow ? undefined : WINDOW),
  });
  const fromRenderer = (request: unknown, url = `${RENDERER}#/corpora`) => listener!({ senderFrame: { url } }, request);
  return { opened, saved, channels, listener: () => listener!, fromRenderer, dialogCalls: () => opened.length + saved.length };
}

describe('pickPath in main', () => {
  it('registers one handler, on its own channel apart from the contract', () => {
    const { channels } = setUp();
    expect(channels).toEqual([IPC_PICK_PATH]);
    expect(IPC_PICK_PATH.startsWith(IPC_PREFIX)).toBe(true);
    expect(IPC_PICK_PATH).toBe('mnemoscope:desktop:pickPath');
  });

  it('opens a file dialog with the title, start path and file types, on the asking window', async () => {
    const t = setUp();
    const filters = [
      { name: 'Corpus text', extensions: ['txt', 'conllu'] },
      { name: 'All files', extensions: ['*'] },
    ];
    const path = await t.fromRenderer({ purpose: 'open-file', title: 'Corpus file', defaultPath: '/data', filters });
    expect(path).toBe('/data/picked.txt');
    expect(t.saved).toEqual([]);
    expect(t.opened).toEqual([{ window: WINDOW, options: { title: 'Corpus file', defaultPath: '/data', filters, properties: ['openFile'] } }]);
  });

  it('opens a folder dialog that can make the folder, and leaves file types out', async () => {
    const t = setUp({ open: { canceled: false, filePaths: ['/home/ada/study', '/home/ada/other'] } });
    const path = await t.fromRenderer({ purpose: 'open-directory', title: 'Project folder', filters: [{ name: 'Text', extensions: ['txt'] }] });
    expect(path).toBe('/home/ada/study'); // the first one
    expect(t.opened).toHaveLength(1);
    const { options } = t.opened[0];
    expect(options.properties).toEqual(expect.arrayContaining(['openDirectory', 'createDirectory']));
    expect(options.properties).not.toContain('openFile');
    expect(options).not.toHaveProperty('filters');
    expect(options).not.toHaveProperty('defaultPath');
  });

  it('opens a save dialog for a file to write, which asks before replacing one', async () => {
    const t = setUp();
    const filters = [{ name: 'CSV', extensions: ['csv'] }];
    const path = await t.fromRenderer({ purpose: 'save-file', title: 'Export key numbers', defaultPath: '/data/key.csv', filters });
    expect(path).toBe('/data/out.csv');
    expect(t.opened).toEqual([]);
    expect(t.saved).toEqual([
      {
        window: WINDOW,
        options: { title: 'Export key numbers', defaultPath: '/data/key.csv', filters, properties: ['createDirectory', 'showOverwriteConfirmation'] },
      },
    ]);
  });

  it('gives null when the person cancels', async () => {
    const open = setUp({ open: { canceled: true, filePaths: [] } });
    expect(await open.fromRenderer({ purpose: 'open-file', title: 'File' })).toBeNull();
    expect(await open.fromRenderer({ purpose: 'open-directory', title: 'Folder' })).toBeNull();
    const save = setUp({ save: { canceled: true, filePath: '' } });
    expect(await save.fromRenderer({ purpose: 'save-file', title: 'Save' })).toBeNull();
    expect(open.dialogCalls() + save.dialogCalls()).toBe(3); // the dialogs did open
  });

  it.each([
    ['no request at all', undefined, /expected object/],
    ['a string', 'open-file', /invalid request/],
    ['an unknown purpose', { purpose: 'delete-file', title: 'x' }, /purpose/],
    ['no title', { purpose: 'open-file' }, /title/],
    ['an empty title', { purpose: 'open-file', title: '' }, /title/],
    ['an unknown field', { purpose: 'open-file', title: 'x', properties: ['openFile', 'multiSelections'] }, /properties|unrecognized/i],
    ['an extension with its dot', { purpose: 'open-file', title: 'x', filters: [{ name: 'Text', extensions: ['.txt'] }] }, /filters\[0\]\.extensions\[0\]/],
    ['a filter without extensions', { purpose: 'open-file', title: 'x', filters: [{ name: 'Text', extensions: [] }] }, /extensions/],
    ['a path that is not a string', { purpose: 'open-file', title: 'x', defaultPath: 42 }, /defaultPath/],
  ])('refuses %s, naming what is wrong, without opening a dialog', async (_what, request, mentions) => {
    const t = setUp();
    const refused = t.fromRenderer(request);
    await expect(refused).rejects.toThrow(/^pickPath: invalid request: /);
    await expect(refused).rejects.toThrow(mentions);
    expect(t.dialogCalls()).toBe(0);
  });

  it.each([
    ['another page', 'https://example.com/index.html'],
    ['another file of the app', RENDERER.replace('index.html', 'other.html')],
    ['a frame without a URL', undefined],
  ])('refuses a valid request from %s without opening a dialog', async (_what, url) => {
    const t = setUp();
    await expect(t.listener()({ senderFrame: url === undefined ? null : { url } }, { purpose: 'open-file', title: 'x' })).rejects.toThrow(
      /unknown frame refused/,
    );
    expect(t.dialogCalls()).toBe(0);
  });

  it('refuses a request from another frame before reading it', async () => {
    const t = setUp();
    // Malformed and foreign: the frame is the reason given.
    await expect(t.listener()({ senderFrame: { url: 'https://example.com/' } }, { purpose: 'x' })).rejects.toThrow(/unknown frame/);
  });

  it('refuses when the asking frame has no window to be modal to', async () => {
    const t = setUp();
    const event = { senderFrame: { url: RENDERER }, noWindow: true };
    await expect(t.listener()(event, { purpose: 'open-file', title: 'x' })).rejects.toThrow(/no window/);
    expect(t.dialogCalls()).toBe(0);
  });
});

describe('the renderer page check', () => {
  it('accepts our page with any route or query, and nothing else', () => {
    expect(isRendererPage(RENDERER, RENDERER)).toBe(true);
    expect(isRendererPage(RENDERER, `${RENDERER}#/runs/abc`)).toBe(true);
    expect(isRendererPage(RENDERER, `${RENDERER}?token=1#/x`)).toBe(true);
    expect(isRendererPage(RENDERER, `${RENDERER}.evil`)).toBe(false);
    expect(isRendererPage(RENDERER, 'file:///tmp/index.html')).toBe(false);
    expect(isRendererPage(RENDERER, '')).toBe(false);
    expect(isRendererPage(RENDERER, undefined)).toBe(false);
  });
});
