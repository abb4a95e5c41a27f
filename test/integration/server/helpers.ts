// A server on a free port with a small fake renderer, and raw HTTP/WebSocket probes that
// can send any Host and Origin headers.
import { promises as fs } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { WebSocket } from 'ws';
import { startServer, type RunningServer, type ServerOptions } from '../../../main/server/start-server';
import { tempDir } from '../../unit/contract/helpers';

export async function fakeRenderer(): Promise<string> {
  const dir = await tempDir('mnemo-renderer-');
  await fs.mkdir(path.join(dir, 'assets'));
  await fs.writeFile(path.join(dir, 'index.html'), '<!doctype html><script type="module" src="./assets/app.js"></script>');
  await fs.writeFile(path.join(dir, 'assets', 'app.js'), 'console.log("mnemoscope");');
  await fs.writeFile(path.join(path.dirname(dir), `${path.basename(dir)}-secret.txt`), 'outside');
  return dir;
}

export async function testServer(options: Partial<ServerOptions> = {}): Promise<RunningServer & { home: string; origin: string }> {
  const home = await tempDir('mnemo-server-');
  const server = await startServer({
    staticDir: options.staticDir ?? (await fakeRenderer()),
    ...options,
    engineOptions: { settingsFile: path.join(home, 'settings.json'), jobs: { progressIntervalMs: 0 }, ...options.engineOptions },
  });
  return Object.assign(server, { home, origin: `http://127.0.0.1:${server.port}` });
}

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export function httpGet(port: number, urlPath: string, headers: Record<string, string> = {}, method = 'GET'): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, method, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a WebSocket; resolves with the open socket, or with the HTTP status the upgrade was refused with. */
export function openSocket(
  url: string,
  options: { origin?: string; headers?: Record<string, string> } = {},
): Promise<{ ws: WebSocket; status: 101 } | { ws: null; status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin: options.origin, headers: options.headers });
    ws.once('open', () => resolve({ ws, status: 101 }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ ws: null, status: res.statusCode ?? 0, body }));
    });
    ws.once('error', reject);
  });
}

/** Sends one call frame and resolves with the reply frame that has its id. */
export function rawCall(ws: WebSocket, id: number | string, procedure: string, input: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      if (message.id !== id) return;
      ws.off('message', onMessage);
      resolve(message);
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, type: 'call', procedure, input }));
  });
}
