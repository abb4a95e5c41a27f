// A job's whole life over an in-memory transport pair, through the same server-side
// connection and client code the WebSocket uses: start → progress → done, cancel,
// failure, and a receiver that goes away mid-job.
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { importCorpus } from '../../../main/engine/corpus/import-corpus';
import { UserError } from '../../../main/engine/errors';
import type { JobRunner } from '../../../main/engine/jobs/job-manager';
import type { Engine } from '../../../main/engine/handlers/create-engine';
import { serveConnection } from '../../../main/server/connection';
import { connectProtocol } from '../../../renderer/src/lib/client/protocol-connection';
import { EventHub } from '../../../renderer/src/lib/client/event-hub';
import { buildApi } from '../../../shared/api-builder';
import { CallFailedError, unwrapReply } from '../../../shared/call-error';
import type { JobParams, JobResult } from '../../../shared/jobs';
import type { JobEndEvent, JobProgressEvent } from '../../../shared/events';
import type { CorpusManifest } from '../../../shared/schemas/corpus';
import { createMemoryPair } from './memory-pair';
import { CORPUS_FIXTURES, eventually, gate, nextMatching, tempDir, testEngine } from './helpers';

type ImportRunner = JobRunner<JobParams<'import-corpus'>, JobResult<'import-corpus'>>;

let manifest: CorpusManifest;
const engines: Engine[] = [];

beforeAll(async () => {
  // A real corpus.json for the fake runners to return (results are checked against the contract).
  const split = (s: string) => path.join(CORPUS_FIXTURES, 'stats', `${s}.txt`);
  manifest = await importCorpus(
    { kind: 'files', train: split('train'), valid: split('valid'), test: split('test') },
    { id: 'tiny' },
    await tempDir(),
  );
});

afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

async function connect(runner: ImportRunner) {
  const { engine } = await testEngine({ runners: { 'import-corpus': runner } });
  engines.push(engine);
  const pair = createMemoryPair();
  serveConnection(engine, pair.server);
  const hub = new EventHub();
  const connection = connectProtocol(pair.client, (event) => hub.emit(event));
  const api = buildApi(
    async (procedure, input) => unwrapReply(await connection.call(procedure, input)),
    (name, listener) => hub.subscribe(name, listener),
  );
  return { engine, pair, hub, connection, api };
}

const request = { kind: 'import-corpus', params: { project: '/nowhere', id: 'tiny', source: { kind: 'builtin-brown' } } } as const;

describe('a job over an in-memory transport pair', () => {
  it('start → progress → done, every event carrying the job id', async () => {
    const hold = gate();
    const { api } = await connect(async (_params, ctx) => {
      for (const f of [0.25, 0.5, 1]) ctx.progress({ detail: { f }, fraction: f, label: `at ${f}` });
      await hold.opened;
      return { corpus: manifest };
    });
    const progress: JobProgressEvent[] = [];
    api.onJobProgress((p) => progress.push(p));
    const ended = nextMatching<JobEndEvent>(api.onJobEnd, () => true);

    const { jobId } = await api.jobStart(request);
    await eventually(() => progress.length === 3, 'three progress events');
    expect((await api.jobList({})).active).toMatchObject([{ jobId, kind: 'import-corpus', status: 'running', lastProgress: { fraction: 1 } }]);
    hold.open();
    const end = await ended;

    expect(progress.map((p) => [p.jobId, p.kind, p.fraction, p.label])).toEqual([
      [jobId, 'import-corpus', 0.25, 'at 0.25'],
      [jobId, 'import-corpus', 0.5, 'at 0.5'],
      [jobId, 'import-corpus', 1, 'at 1'],
    ]);
    expect(end).toMatchObject({ jobId, status: 'done', result: { corpus: { id: 'tiny' } } });
    expect((await api.jobList({})).recent[0]).toMatchObject({ jobId, status: 'done' });
  });

  it('cancel → cancelled, once; cancelling again says it was not running', async () => {
    const { api } = await connect(async (_params, ctx) => {
      for (let i = 0; ; i++) {
        ctx.cancel.throwIfCancelled();
        ctx.progress({ detail: { i }, fraction: null, label: `step ${i}` });
        await new Promise((r) => setTimeout(r, 2));
      }
    });
    const ends: JobEndEvent[] = [];
    api.onJobEnd((e) => ends.push(e));
    const { jobId } = await api.jobStart(request);
    await nextMatching<JobProgressEvent>(api.onJobProgress, (p) => p.jobId === jobId);
    expect(await api.jobCancel({ jobId })).toEqual({ cancelled: true });
    await eventually(() => ends.length === 1, 'the end event');
    expect(ends[0]).toMatchObject({ jobId, status: 'cancelled' });
    expect(await api.jobCancel({ jobId })).toEqual({ cancelled: false });
    await new Promise((r) => setTimeout(r, 20));
    expect(ends).toHaveLength(1);
  });

  it('a failing job ends as failed with a message a person can act on', async () => {
    const { api } = await connect(async () => {
      throw new UserError('/data/train.txt, line 3: empty line; every line must be a sentence');
    });
    const ended = nextMatching<JobEndEvent>(api.onJobEnd, () => true);
    const { jobId } = await api.jobStart(request);
    expect(await ended).toMatchObject({ jobId, status: 'failed', errorKind: 'user', error: '/data/train.txt, line 3: empty line; every line must be a sentence' });
  });

  it('a malformed job request is refused over the wire with the field named', async () => {
    const { api } = await connect(async () => ({ corpus: manifest }));
    const bad = { kind: 'import-corpus', params: { ...request.params, id: 'no/slash' } } as unknown as typeof request;
    const err = await api.jobStart(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CallFailedError);
    expect(err).toMatchObject({ kind: 'user', message: expect.stringMatching(/^invalid request for 'jobStart': params\.id:/) });
  });

  it('a receiver that unsubscribes mid-job gets nothing more, and the job finishes', async () => {
    const hold = gate();
    const { api, hub, engine } = await connect(async (_params, ctx) => {
      ctx.progress({ detail: 1, fraction: 0.1, label: 'one' });
      await hold.opened;
      ctx.progress({ detail: 2, fraction: 0.9, label: 'two' });
      return { corpus: manifest };
    });
    const seen: string[] = [];
    const off = api.onJobProgress((p) => {
      seen.push(p.label);
      off();
    });
    const { jobId } = await api.jobStart(request);
    await eventually(() => seen.length === 1, 'the first progress event');
    expect(hub.size).toBe(0);
    hold.open();
    expect(await engine.jobs.whenEnded(jobId)).toMatchObject({ status: 'done' });
    await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual(['one']);
  });

  it('a connection that closes mid-job leaves the job finishing cleanly and no listener behind', async () => {
    const hold = gate();
    const { api, engine, pair, connection } = await connect(async (_params, ctx) => {
      ctx.progress({ detail: 1, fraction: 0.5, label: 'half' });
      await hold.opened;
      ctx.progress({ detail: 2, fraction: 1, label: 'all' }); // sent to nobody
      ctx.log('finished');
      return { corpus: manifest };
    });
    const baseline = engine.jobs.listenerCount;
    expect(baseline).toBe(1); // this connection's
    const { jobId } = await api.jobStart(request);
    await nextMatching<JobProgressEvent>(api.onJobProgress, () => true);

    const pendingCall = connection.call('jobList', {}); // in flight when the line drops
    pair.client.close();
    expect(await pendingCall).toMatchObject({ ok: false, error: { kind: 'disconnected' } });
    await eventually(() => engine.jobs.listenerCount === 0, 'the connection to unsubscribe');
    expect(pair.listenerCounts()).toEqual({ server: 0, client: 0 });

    hold.open();
    expect(await engine.jobs.whenEnded(jobId)).toMatchObject({ jobId, status: 'done' });
    expect(engine.jobs.activeCount).toBe(0);
    await expect(api.jobList({})).rejects.toMatchObject({ kind: 'disconnected' });
  });

  it('answers frames that are not calls with an error, and keeps serving', async () => {
    const { pair, api } = await connect(async () => ({ corpus: manifest }));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const replies: unknown[] = [];
    pair.client.onFrame((f) => replies.push(JSON.parse(f)));
    pair.client.send('{not json');
    pair.client.send(JSON.stringify({ id: 9, type: 'call', input: {} }));
    await eventually(() => replies.length === 2, 'two error replies');
    expect(replies).toEqual([
      { id: null, type: 'error', error: { kind: 'user', message: 'malformed message: not JSON' } },
      { id: 9, type: 'error', error: { kind: 'user', message: expect.stringMatching(/^malformed message: procedure: /) } },
    ]);
    expect(await api.jobList({})).toEqual({ active: [], recent: [] });
    expect(warn).toHaveBeenCalledWith('mnemoscope: the engine refused a message: malformed message: not JSON');
    warn.mockRestore();
  });
});
