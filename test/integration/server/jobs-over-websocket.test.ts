// The contract over a real WebSocket: raw call round trips, and the renderer's own client
// watching real import-corpus jobs in worker threads (done, cancelled, and a socket that
// drops mid-job), and reconnecting after the server restarts.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createWebSocketClient } from '../../../renderer/src/lib/client/ws-client';
import type { WebSocketLike } from '../../../renderer/src/lib/client/socket-channel';
import type { EngineClient } from '../../../renderer/src/lib/client/types';
import type { JobEndEvent, JobProgressEvent } from '../../../shared/events';
import { CORPUS_FIXTURES, eventually, nextMatching } from '../../unit/contract/helpers';
import { openSocket, rawCall, testServer } from './helpers';

let server: Awaited<ReturnType<typeof testServer>>;
let client: EngineClient;
let project: string;

const wsUrl = (port: number, token: string) => `ws://127.0.0.1:${port}/ws?token=${token}`;
const socketFactory = (origin: string) => (url: string) => new WebSocket(url, { origin }) as unknown as WebSocketLike;
const split = (s: string) => path.join(CORPUS_FIXTURES, 'stats', `${s}.txt`);
const tinyFiles = { kind: 'files', train: split('train'), valid: split('valid'), test: split('test') } as const;

beforeAll(async () => {
  server = await testServer();
  client = createWebSocketClient({ url: wsUrl(server.port, server.token), createSocket: socketFactory(server.origin) });
  project = (await client.api.projectCreate({ dir: path.join(server.home, 'study'), name: 'Study' })).dir;
});
afterAll(async () => {
  client.close();
  await server.close();
});

describe('calls over the WebSocket', () => {
  it('answers a call with its id, and a malformed one with a user error naming the field', async () => {
    const open = await openSocket(wsUrl(server.port, server.token), { origin: server.origin });
    const ws = open.ws as WebSocket;
    expect(await rawCall(ws, 1, 'projectInfo', { project })).toMatchObject({ id: 1, type: 'result', output: { dir: project, manifest: { name: 'Study' } } });
    expect(await rawCall(ws, 'two', 'projectInfo', { project: 5 })).toEqual({
      id: 'two',
      type: 'error',
      error: { kind: 'user', message: expect.stringMatching(/^invalid request for 'projectInfo': project: .*expected string/) },
    });
    expect(await rawCall(ws, 3, 'format', {})).toMatchObject({ id: 3, type: 'error', error: { kind: 'user', message: expect.stringMatching(/unknown procedure 'format'/) } });
    ws.close();
  });

  it('pushes the progress and the end of an import-corpus job, which the renderer client receives', async () => {
    expect(client.status().state).toBe('connected');
    const progress: JobProgressEvent[] = [];
    const off = client.api.onJobProgress((p) => progress.push(p));
    const ended = nextMatching<JobEndEvent>(client.api.onJobEnd, (e) => e.kind === 'import-corpus');
    const { jobId } = await client.api.jobStart({ kind: 'import-corpus', params: { project, id: 'tiny', name: 'Tiny', source: tinyFiles } });
    const end = await ended;
    off();
    expect(end).toMatchObject({ jobId, status: 'done', result: { corpus: { id: 'tiny', name: 'Tiny', format: 'plain' } } });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p) => p.jobId === jobId && p.kind === 'import-corpus')).toBe(true);
    expect(progress.at(-1)).toMatchObject({ fraction: 1, progress: { phase: 'write', split: 'test' } });
    expect(progress.at(-1)?.label).toMatch(/^importing test\.txt \(test\): \d+ lines$/);
    const listed = await client.api.corpusList({ project });
    expect(listed.map((c) => [c.id, c.name])).toEqual([['tiny', 'Tiny']]);
  });

  it('cancels a Brown import mid-way: the job ends cancelled and nothing is left in the project', async () => {
    const ends: JobEndEvent[] = [];
    const offEnd = client.api.onJobEnd((e) => ends.push(e));
    const { jobId } = await client.api.jobStart({ kind: 'import-corpus', params: { project, id: 'brown', source: { kind: 'builtin-brown', maxFiles: 60 } } });
    const first = await nextMatching<JobProgressEvent>(client.api.onJobProgress, (p) => p.jobId === jobId);
    expect(first.fraction).toBeLessThan(0.5);
    expect(await client.api.jobCancel({ jobId })).toEqual({ cancelled: true });
    await eventually(() => ends.some((e) => e.jobId === jobId), 'the end of the cancelled job', 20_000);
    offEnd();
    expect(ends.filter((e) => e.jobId === jobId)).toMatchObject([{ status: 'cancelled' }]);
    expect((await client.api.corpusList({ project })).map((c) => c.id)).toEqual(['tiny']);
    expect(await fs.readdir(path.join(project, '.staging')).catch(() => [])).toEqual([]);
    expect(await fs.readdir(path.join(project, 'corpora'))).toEqual(['tiny']);
  });

  it('a socket that drops mid-job leaves the job finishing and no listener behind', async () => {
    const before = server.engine.jobs.listenerCount;
    const open = await openSocket(wsUrl(server.port, server.token), { origin: server.origin });
    const ws = open.ws as WebSocket;
    await eventually(() => server.engine.jobs.listenerCount === before + 1, 'the new connection to subscribe');
    const reply = await rawCall(ws, 1, 'jobStart', { kind: 'import-corpus', params: { project, id: 'orphan', source: tinyFiles } });
    const jobId = (reply.output as { jobId: string }).jobId;
    expect(server.engine.jobs.list().active.map((j) => j.jobId)).toContain(jobId);
    ws.terminate(); // no close handshake: the line just goes
    await eventually(() => server.engine.jobs.listenerCount === before, 'the dropped connection to unsubscribe');
    expect(await server.engine.jobs.whenEnded(jobId)).toMatchObject({ status: 'done' });
    expect((await client.api.corpusList({ project })).map((c) => c.id)).toEqual(['tiny', 'orphan']);
    expect(server.connections).toBe(1); // the renderer client's
  });
});

describe('the renderer client across a server restart', () => {
  it('reports the lost connection, reconnects by itself, and keeps its subscriptions', async () => {
    const first = await testServer();
    const { port, token } = first;
    const c = createWebSocketClient({ url: wsUrl(port, token), createSocket: socketFactory(first.origin), retryMinMs: 20, retryMaxMs: 50, callWaitMs: 5000 });
    const states: string[] = [];
    c.onStatus((s) => states.push(s.state));
    const ends: JobEndEvent[] = [];
    c.api.onJobEnd((e) => ends.push(e));
    await eventually(() => c.status().state === 'connected', 'the first connection');
    await first.close();
    await eventually(() => c.status().state === 'disconnected', 'the client to notice');

    const second = await testServer({ port, token });
    try {
      await eventually(() => c.status().state === 'connected', 'the reconnection');
      const dir = (await c.api.projectCreate({ dir: path.join(second.home, 'p'), name: 'P' })).dir;
      const { jobId } = await c.api.jobStart({ kind: 'import-corpus', params: { project: dir, id: 'c', source: tinyFiles } });
      await eventually(() => ends.some((e) => e.jobId === jobId), 'the job end on the old subscription', 20_000);
      // Each failed attempt while the server was down reports 'disconnected' again.
      expect(states.filter((s, i) => s !== states[i - 1])).toEqual(['connected', 'disconnected', 'connected']);
    } finally {
      c.close();
      await second.close();
    }
  });
});
