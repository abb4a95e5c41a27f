// Browser mode: the built renderer over HTTP and the contract over a WebSocket at /ws,
// on 127.0.0.1 unless told otherwise. Every WebSocket upgrade needs the token, the right
// Host and the server's own Origin; every static file but index.html needs the token.
import http from 'node:http';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { UserError } from '../engine/errors';
import { createEngine, type Engine, type EngineOptions } from '../engine/handlers/create-engine';
import { AccessPolicy, hostForUrl, newToken } from './access';
import { serveConnection } from './connection';
import { INDEX_PATHS, securityHeaders, sendText, serveStatic } from './static-files';
import { wsChannel } from './ws-channel';

export interface ServerOptions {
  /** 0 (default): any free port. */
  port?: number;
  /** Default 127.0.0.1. Anything else makes the engine reachable from other machines. */
  host?: string;
  /** Default: 32 random bytes. */
  token?: string;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** An engine to serve; by default one is made (and closed with the server). */
  engine?: Engine;
  engineOptions?: EngineOptions;
  /** How often idle clients are pinged; one that misses a ping is dropped (default 30 s). */
  heartbeatMs?: number;
}

export interface RunningServer {
  /** The URL to open, with the token. */
  url: string;
  port: number;
  host: string;
  token: string;
  engine: Engine;
  /** Open WebSocket connections. */
  readonly connections: number;
  /** Closes every connection, stops listening and (when the server made it) closes the engine. */
  close(): Promise<void>;
}

const WS_PATH = '/ws';
const MAX_FRAME_BYTES = 1 << 20;
/** Beyond this much unsent data, progress events to that client are skipped. */
const CONGESTED_BYTES = 4 << 20;
const DEFAULT_HEARTBEAT_MS = 30_000;

const STATUS_TEXT: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' };

function refuseUpgrade(socket: Duplex, status: 401 | 403 | 404, reason: string): void {
  const body = `${reason}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  socket.destroy();
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (err.code === 'EADDRINUSE') reject(new UserError(`Port ${port} on ${host} is in use: choose another with --port, or leave it out to take any free port.`));
      else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND')
        reject(new UserError(`Cannot serve on host '${host}': it is not an address of this machine.`));
      else if (err.code === 'EACCES') reject(new UserError(`Not allowed to listen on port ${port}: choose a port above 1023.`));
      else reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? newToken();
  const staticDir = path.resolve(options.staticDir);
  const ownEngine = !options.engine;
  const engine = options.engine ?? createEngine(options.engineOptions);
  let policy: AccessPolicy | null = null; // known once the port is

  const server = http.createServer((req, res) => {
    void handleHttp(req, res).catch(() => {
      if (!res.headersSent) sendText(res, 500, 'Internal error\n');
      else res.destroy();
    });
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  async function handleHttp(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!policy) return sendText(res, 503, 'Starting\n');
    const hostHeader = req.headers.host;
    if (!policy.hostAllowed(hostHeader)) return sendText(res, 403, 'Host not allowed\n');
    const headers = securityHeaders(hostHeader as string);
    if (!policy.originAllowed(req.headers.origin, hostHeader, false)) return sendText(res, 403, 'Origin not allowed\n', headers);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed\n', { ...headers, Allow: 'GET, HEAD' });
    const url = new URL(req.url ?? '/', 'http://server');
    const authorised = policy.tokenAllowed(url, req.headers.cookie);
    if (INDEX_PATHS.has(url.pathname)) {
      // index.html is the only public file; loaded with the token, it passes it on as a cookie.
      if (authorised) headers['Set-Cookie'] = policy.cookie();
    } else if (!authorised) {
      return sendText(res, 401, "Unauthorized: open the URL that 'mnemoscope serve' printed (it carries the access token).\n", headers);
    }
    await serveStatic(req, res, staticDir, url.pathname, headers);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const alive = new WeakMap<WebSocket, boolean>();

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://server');
    if (!policy || url.pathname !== WS_PATH) return refuseUpgrade(socket, 404, 'Not found');
    if (!policy.hostAllowed(req.headers.host)) return refuseUpgrade(socket, 403, 'Host not allowed');
    if (!policy.originAllowed(req.headers.origin, req.headers.host, true)) return refuseUpgrade(socket, 403, 'Origin not allowed');
    if (!policy.tokenAllowed(url, req.headers.cookie)) return refuseUpgrade(socket, 401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
    // Without an error listener a broken socket would throw; close ends the connection cleanly.
    ws.on('error', () => ws.terminate());
    serveConnection(engine, wsChannel(ws), { congested: () => ws.bufferedAmount > CONGESTED_BYTES });
  });

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.get(ws)) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
  heartbeat.unref();

  let port: number;
  try {
    port = await listen(server, options.port ?? 0, host);
  } catch (err) {
    clearInterval(heartbeat);
    if (ownEngine) await engine.close();
    throw err;
  }
  policy = new AccessPolicy(host, port, token);
  const shownHost = ['0.0.0.0', '::'].includes(host) ? '127.0.0.1' : hostForUrl(host);

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      clearInterval(heartbeat);
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await stopped;
      if (ownEngine) await engine.close();
    })();
    return closing;
  };

  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    host,
    token,
    engine,
    get connections() {
      return wss.clients.size;
    },
    close,
  };
}
