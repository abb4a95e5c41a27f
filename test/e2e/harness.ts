// What the end-to-end suite runs against: the real app in Electron when its binary is
// present, otherwise browser mode (`mnemoscope serve`) in Debian's Chromium, driven by
// playwright-core. Settings, the demo data and the projects live in a fresh temporary folder.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, _electron, type BrowserContext, type Download, type ElectronApplication, type Page } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHOTS = path.join(ROOT, 'test-results', 'e2e');
export const CHROMIUM = process.env.MNEMOSCOPE_E2E_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];
const ELECTRON = path.join(ROOT, 'node_modules', 'electron', 'dist', process.platform === 'win32' ? 'electron.exe' : 'electron');
const VIEWPORT = { width: 1440, height: 960 };

/**
 * Which app the suite drives: the Electron app when its binary is present and runs (and, on
 * Linux, there is a display to open its window on), else browser mode in Chromium.
 * MNEMOSCOPE_E2E_TARGET=chromium forces browser mode.
 */
export function chooseTarget(): { kind: 'electron'; binary: string } | { kind: 'chromium'; why: string } {
  if (process.env.MNEMOSCOPE_E2E_TARGET === 'chromium') return { kind: 'chromium', why: 'MNEMOSCOPE_E2E_TARGET=chromium' };
  if (!existsSync(ELECTRON)) return { kind: 'chromium', why: 'Electron binary not present' };
  const r = spawnSync(ELECTRON, ['--version'], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
  if (r.status !== 0) return { kind: 'chromium', why: `Electron binary does not run (${(r.stderr || r.error?.message || `exit ${r.status}`).trim()})` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { kind: 'chromium', why: 'Electron binary present but no display (DISPLAY unset; run under xvfb-run for the Electron app)' };
  }
  return { kind: 'electron', binary: ELECTRON };
}

export interface Target {
  kind: 'electron' | 'chromium';
  page: Page;
  /** temporary folder holding config/, data/, projects/ and the browser profile */
  home: string;
  /** where new projects go */
  projects: string;
  /** the export a click starts, saved to a file; resolves with its path and suggested name */
  download(click: () => Promise<void>): Promise<{ file: string; name: string }>;
  /** the server's stderr so far (browser mode), for failure messages */
  log(): string;
  close(): Promise<void>;
}

function freshHome(): { home: string; env: NodeJS.ProcessEnv } {
  const home = mkdtempSync(path.join(os.tmpdir(), 'mnemoscope-e2e-'));
  for (const d of ['config', 'data', 'projects', 'profile', 'downloads']) mkdirSync(path.join(home, d));
  const env = {
    ...process.env,
    MNEMOSCOPE_CONFIG_DIR: path.join(home, 'config'),
    MNEMOSCOPE_DATA_DIR: path.join(home, 'data'),
  };
  return { home, env };
}

/** `mnemoscope serve --port 0 --json`: resolves with the printed URL (it carries the token). */
function startServer(env: NodeJS.ProcessEnv): Promise<{ proc: ChildProcess; url: string; log: () => string }> {
  const proc = spawn(process.execPath, [path.join(ROOT, 'main', 'cli', 'mnemoscope.mjs'), 'serve', '--port', '0', '--json'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`mnemoscope serve printed no URL within 120 s.\nstdout: ${out}\nstderr: ${err}`));
    }, 120_000);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`mnemoscope serve exited with ${code} before printing its URL.\nstdout: ${out}\nstderr: ${err}`));
    });
    proc.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const line = out.split('\n').find((l) => l.trim().startsWith('{'));
      if (!line || !out.includes('\n')) return;
      clearTimeout(timer);
      const reply = JSON.parse(line) as { ok: boolean; url?: string; error?: { message: string } };
      if (!reply.ok || !reply.url) reject(new Error(`mnemoscope serve: ${reply.error?.message ?? line}`));
      else resolve({ proc, url: reply.url, log: () => err });
    });
  });
}

function stopServer(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const hard = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    proc.once('exit', () => {
      clearTimeout(hard);
      resolve();
    });
    proc.kill('SIGTERM'); // the server cancels running jobs and closes
  });
}

async function saveDownload(download: Download, dir: string): Promise<{ file: string; name: string }> {
  const name = download.suggestedFilename();
  const file = path.join(dir, name);
  await download.saveAs(file);
  return { file, name };
}

async function launchChromium(): Promise<Target> {
  const { home, env } = freshHome();
  const server = await startServer(env);
  let context: BrowserContext;
  try {
    // A persistent context on a fresh profile folder: the --user-data-dir of this run only.
    context = await chromium.launchPersistentContext(path.join(home, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: VIEWPORT,
      acceptDownloads: true,
      colorScheme: 'light',
    });
  } catch (err) {
    await stopServer(server.proc);
    throw err;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(server.url);
  return {
    kind: 'chromium',
    page,
    home,
    projects: path.join(home, 'projects'),
    async download(click) {
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), click()]);
      return saveDownload(download, path.join(home, 'downloads'));
    },
    log: server.log,
    async close() {
      await context.close().catch(() => {});
      await stopServer(server.proc);
      if (!process.env.MNEMOSCOPE_E2E_KEEP) rmSync(home, { recursive: true, force: true });
    },
  };
}

async function launchElectron(binary: string): Promise<Target> {
  const { home, env } = freshHome();
  const app: ElectronApplication = await _electron.launch({
    executablePath: binary,
    args: [ROOT, `--user-data-dir=${path.join(home, 'profile')}`],
    cwd: ROOT,
    env: env as Record<string, string>,
    colorScheme: 'light',
  });
  const page = await app.firstWindow();
  await page.setViewportSize(VIEWPORT);
  const downloads = path.join(home, 'downloads');
  return {
    kind: 'electron',
    page,
    home,
    projects: path.join(home, 'projects'),
    // Electron asks where to save a download; here the main process is told to save it
    // straight into the downloads folder, and the file is awaited there.
    async download(click) {
      // The listener is in place before the click; the file is awaited after it.
      await app.evaluate(({ session }, dir) => {
        (globalThis as unknown as Record<string, unknown>).__e2eDownload = new Promise<{ file: string; name: string }>((resolve) => {
          session.defaultSession.once('will-download', (_e, item) => {
            const name = item.getFilename();
            const file = `${dir}/${name}`;
            item.setSavePath(file);
            item.once('done', () => resolve({ file, name }));
          });
        });
      }, downloads);
      await click();
      return app.evaluate(() => (globalThis as unknown as Record<string, Promise<{ file: string; name: string }>>).__e2eDownload);
    },
    log: () => '',
    async close() {
      await app.close().catch(() => {});
      if (!process.env.MNEMOSCOPE_E2E_KEEP) rmSync(home, { recursive: true, force: true });
    },
  };
}

/** The app to test: Electron when its binary runs here, else Chromium in browser mode (and says so). */
export async function launchTarget(): Promise<Target> {
  const choice = chooseTarget();
  if (choice.kind === 'electron') {
    process.stdout.write(`e2e: running the suite against the Electron app (${choice.binary})\n`);
    return launchElectron(choice.binary);
  }
  process.stdout.write(`${choice.why}: running the suite in Chromium (browser mode)\n`);
  return launchChromium();
}

/** Whether Chromium is there and starts; null when it does, else why not. */
export function chromiumProblem(): string | null {
  if (!existsSync(CHROMIUM)) return `Chromium not found at ${CHROMIUM}`;
  const r = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0 || !/chrom/i.test(r.stdout)) return `${CHROMIUM} --version failed: ${(r.stderr || r.error?.message || `exit ${r.status}`).trim()}`;
  return null;
}

/**
 * A screenshot of the whole current view: the shell scrolls inside <main>, so the viewport is
 * made as tall as the view for the shot and put back afterwards.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  const size = page.viewportSize() ?? VIEWPORT;
  const main = page.locator('main#main');
  const extra = await main.evaluate((el) => el.scrollHeight - el.clientHeight);
  if (extra > 0) await page.setViewportSize({ width: size.width, height: Math.min(size.height + extra, 8000) });
  try {
    await page.screenshot({ path: file, animations: 'disabled' });
  } finally {
    if (extra > 0) await page.setViewportSize(size);
  }
  return file;
}

export async function readJson<T = unknown>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T;
}
