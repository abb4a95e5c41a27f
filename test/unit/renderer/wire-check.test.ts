// What the renderer's clients accept from the engine: an event or an error that does not fit
// the contract is refused with a message that says what is wrong, the call it answered still
// fails (it is never left waiting), and the job store goes on with the next good event.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildApi } from '../../../shared/api-builder';
import { CallFailedError, unwrapReply } from '../../../shared/call-error';
import type { MnemoscopeApi, PreloadApi } from '../../../shared/contract';
import { EventHub } from '../../../renderer/src/lib/client/event-hub';
import { createPreloadClient } from '../../../renderer/src/lib/client/preload-client';
import { connectProtocol } from '../../../renderer/src/lib/client/protocol-connection';
import { JobsState } from '../../../renderer/src/lib/state/jobs.svelte';
import { createMemoryPair } from '../contract/memory-pair';
import { trainDone } from './job-fixtures';

const progress = (fraction: number) => ({ jobId: 'job-1', kind: 'train', progress: {}, fraction, secondsLeft: null, label: 'training' });

/** A renderer over the WebSocket protocol, and a server end whose every frame the test writes. */
function overWebSocket(answer: (call: { id: number; procedure: string }) => object | null) {
  const pair = createMemoryPair();
  const hub = new EventHub();
  const connection = connectProtocol(pair.client, (event) => hub.emit(event));
  pair.server.onFrame((frame) => {
    const call = JSON.parse(frame) as { id: number; procedure: string };
    const reply = answer(call);
    if (reply) pair.server.send(JSON.stringify({ id: call.id, ...reply }));
  });
  const api = buildApi<MnemoscopeApi>(
    async (procedure, input) => unwrapReply(await connection.call(procedure, input)),
    (name, listener) => hub.subscribe(name, listener),
  );
  const sendEvent = (name: string, payload: unknown) => pair.server.send(JSON.stringify({ type: 'event', event: { name, payload } }));
  return { api, connection, sendEvent, sendRaw: (frame: string) => pair.server.send(frame) };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

afterEach(() => vi.restoreAllMocks());

describe('events and errors on the wire', () => {
  it('over the WebSocket: a malformed event is refused, named, and the store takes the next good one', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const ws = overWebSocket((call) => (call.procedure === 'jobStart' ? { type: 'result', output: { jobId: 'job-1' } } : null));
    const jobs = new JobsState(ws.api);
    jobs.connect();
    await jobs.start('train', { project: '/p', corpus: 'brown', id: 'small' });

    ws.sendEvent('jobProgress', progress(1.5)); // a fraction above 1
    ws.sendEvent('jobEnd', { ...trainDone, result: { model: 'small' } }); // not a train job's result
    ws.sendEvent('jobEnd', { ...trainDone, kind: 'fly' }); // no such kind
    ws.sendRaw('{not json');
    await turn();
    await turn();
    expect(jobs.records['job-1']).toMatchObject({ status: 'running', progress: null, end: null });
    const warned = warn.mock.calls.map((c) => String(c[0]));
    expect(warned).toHaveLength(4);
    expect(warned[0]).toMatch(/ignored a message of type 'event' that does not fit the contract: event\.payload\.fraction: /);
    expect(warned[1]).toMatch(/event\.payload\.result\.model: /);
    expect(warned[2]).toMatch(/event\.payload\.kind: /);
    expect(warned[3]).toMatch(/not JSON/);

    ws.sendEvent('jobProgress', progress(0.5));
    ws.sendEvent('jobEnd', trainDone);
    await turn();
    await turn();
    const job = jobs.records['job-1'];
    expect(job).toMatchObject({ status: 'done', progress: { fraction: 0.5 } });
    expect(job.kind === 'train' && job.end?.status === 'done' ? job.end.result.model.id : null).toBe('small');
  });

  it('over the WebSocket: an error that is not a CallError still fails its call, as an internal error saying so', async () => {
    const ws = overWebSocket(() => ({ type: 'error', error: { kind: 'explode', message: 'boom' } }));
    const failed = await ws.api.corpusList({ project: '/p' }).catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(CallFailedError);
    expect(failed).toMatchObject({
      kind: 'internal',
      message: expect.stringMatching(/^The engine sent a message of type 'error' that does not fit the contract: error\.kind: /),
    });
    expect(ws.connection.pending).toBe(0);

    const good = overWebSocket(() => ({ type: 'error', error: { kind: 'user', message: "no corpus 'x'" } }));
    const user = await good.api.corpusList({ project: '/p' }).catch((err: unknown) => err);
    expect(user).toMatchObject({ kind: 'user', message: "no corpus 'x'" });
  });

  it("through Electron's preload: the same checks on events and errors", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    let emitEnd: (payload: unknown) => void = () => {};
    let reply: unknown = { ok: false, error: { kind: 'user', message: 3 } };
    const preload = {
      corpusList: () => Promise.resolve(reply),
      onJobEnd: (listener: (payload: unknown) => void) => {
        emitEnd = listener;
        return () => {};
      },
    } as unknown as PreloadApi;
    const { api } = createPreloadClient(preload);

    const failed = await api.corpusList({ project: '/p' }).catch((err: unknown) => err);
    expect(failed).toMatchObject({ kind: 'internal', message: expect.stringMatching(/cannot read \(message: /) });
    reply = 'nonsense';
    expect(await api.corpusList({ project: '/p' }).catch((err: unknown) => err)).toMatchObject({ kind: 'internal', message: expect.stringMatching(/not a reply/) });
    reply = { ok: true, output: { corpora: [] } };
    expect(await api.corpusList({ project: '/p' })).toEqual({ corpora: [] });

    const ends: unknown[] = [];
    api.onJobEnd((end) => ends.push(end));
    emitEnd({ ...trainDone, seconds: -1 });
    emitEnd(trainDone);
    expect(ends).toEqual([trainDone]);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/ignored a jobEnd event from the engine that does not fit the contract: payload\.seconds: /);
  });
});
