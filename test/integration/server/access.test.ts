// Who may use the server: the token (constant-time compare) for the WebSocket and for every
// static file but index.html, the Host header, and the Origin header.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenMatches } from '../../../main/server/access';
import { httpGet, openSocket, testServer } from './helpers';
import { eventually } from '../../unit/contract/helpers';

let server: Awaited<ReturnType<typeof testServer>>;
beforeAll(async () => {
  server = await testServer();
});
afterAll(async () => {
  await server.close();
});

describe('static files', () => {
  it('prints a URL with a 32-byte random token, on 127.0.0.1', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(Buffer.from(server.token, 'base64url')).toHaveLength(32);
    expect(server.host).toBe('127.0.0.1');
  });

  it('serves index.html to anyone, and sets the token cookie only when the URL has the token', async () => {
    const bare = await httpGet(server.port, '/');
    expect(bare.status).toBe(200);
    expect(bare.body).toContain('assets/app.js');
    expect(bare.headers['set-cookie']).toBeUndefined();
    expect(bare.headers['content-security-policy']).toContain("default-src 'none'");
    expect(bare.headers['referrer-policy']).toBe('no-referrer');
    const withToken = await httpGet(server.port, `/?token=${server.token}`);
    expect(withToken.headers['set-cookie']?.[0]).toMatch(new RegExp(`^mnemoscope_token_${server.port}=${server.token}; .*HttpOnly; SameSite=Strict`));
  });

  it('refuses every other file without the token, and serves it with the token or the cookie', async () => {
    expect((await httpGet(server.port, '/assets/app.js')).status).toBe(401);
    expect((await httpGet(server.port, '/assets/app.js?token=wrong')).status).toBe(401);
    const byQuery = await httpGet(server.port, `/assets/app.js?token=${server.token}`);
    expect([byQuery.status, byQuery.body, byQuery.headers['content-type']]).toEqual([200, 'console.log("mnemoscope");', 'text/javascript; charset=utf-8']);
    const byCookie = await httpGet(server.port, '/assets/app.js', { cookie: `other=1; mnemoscope_token_${server.port}=${server.token}` });
    expect(byCookie.status).toBe(200);
  });

  it('never serves anything outside the renderer folder, and only GET and HEAD', async () => {
    const t = `token=${server.token}`;
    const name = `${server.home.split('/').pop()}-secret.txt`;
    for (const p of [`/../${name}?${t}`, `/%2e%2e/${name}?${t}`, `/assets/%2e%2e%2f%2e%2e%2f${name}?${t}`, `/assets?${t}`, `/%E0%A4%A?${t}`]) {
      expect((await httpGet(server.port, p)).status, p).toBe(404);
    }
    expect((await httpGet(server.port, `/?${t}`, {}, 'POST')).status).toBe(405);
  });

  it('refuses requests for another host name (DNS rebinding) and from another origin', async () => {
    expect((await httpGet(server.port, '/', { host: `evil.example:${server.port}` })).status).toBe(403);
    expect((await httpGet(server.port, '/', { host: `127.0.0.1:1` })).status).toBe(403);
    expect((await httpGet(server.port, '/', { host: `localhost:${server.port}` })).status).toBe(200);
    const cross = await httpGet(server.port, `/assets/app.js?token=${server.token}`, { origin: 'http://evil.example' });
    expect(cross.status).toBe(403);
  });
});

describe('WebSocket upgrade', () => {
  const ws = (query: string) => `ws://127.0.0.1:${server.port}/ws${query}`;

  it('opens with the token and the server origin', async () => {
    const open = await openSocket(ws(`?token=${server.token}`), { origin: server.origin });
    expect(open.status).toBe(101);
    const closed = new Promise((resolve) => open.ws?.once('close', resolve));
    open.ws?.close();
    await closed;
    await eventually(() => server.connections === 0, 'the server to drop the connection');
  });

  it.each([
    ['no token', '', undefined, 401],
    ['a wrong token', '?token=AAAA', undefined, 401],
    ['a token one character off', 'SWAP', undefined, 401],
    ['a foreign origin', 'TOKEN', 'http://evil.example', 403],
    ['an origin on another port', 'TOKEN', 'http://127.0.0.1:1', 403],
    ['no origin at all', 'TOKEN', null, 403],
  ])('refuses %s', async (_what, query, origin, status) => {
    const token = server.token;
    const swapped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    const q = query === 'TOKEN' ? `?token=${token}` : query === 'SWAP' ? `?token=${swapped}` : query;
    const result = await openSocket(ws(q), { origin: origin === null ? undefined : (origin ?? server.origin) });
    expect(result.status).toBe(status);
    expect(server.connections).toBe(0);
  });

  it('refuses another path and another Host header', async () => {
    expect((await openSocket(`ws://127.0.0.1:${server.port}/socket?token=${server.token}`, { origin: server.origin })).status).toBe(404);
    const rebound = await openSocket(ws(`?token=${server.token}`), {
      origin: `http://evil.example:${server.port}`,
      headers: { host: `evil.example:${server.port}` },
    });
    expect(rebound.status).toBe(403);
  });

  it('compares tokens in constant time, whatever their lengths', () => {
    expect(tokenMatches(server.token, server.token)).toBe(true);
    expect(tokenMatches(server.token.slice(1), server.token)).toBe(false);
    expect(tokenMatches('', server.token)).toBe(false);
    expect(tokenMatches(null, server.token)).toBe(false);
  });
});
