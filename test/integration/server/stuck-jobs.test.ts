// Issue 10, defect 3, through the server: jobs that would hang (model imports from FIFOs),
// a job whose worker is stuck, and a training that is running must not hold up the other
// calls — projectInfo and corpusPreview answer promptly next to them — and jobCancel of a
// running job really ends it, as cancelled.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CANCEL_GRACE_ENV, WORKER_SCRIPT_ENV } from '../../../main/engine/jobs/run-in-worker';
import { createWebSocketClient } from '../../../renderer/src/lib/client/ws-client';
import type { WebSocketLike } from '../../../renderer/src/lib/client/socket-channel';
import type { EngineClient } from '../../../renderer/src/lib/client/types';
import type { JobEndEvent, JobProgressEvent } from '../../../shared/events';
import { CORPUS_FIXTURES, eventually, nextMatching } from '../../unit/contract/helpers';
import { hasFifos, makeFifo, releaseFifos, settlesWithin } from '../../unit/project/fifo';
import { testServer } from './helpers';

let server: Awaited<ReturnType<typeof testServer>>;
let client: EngineClient;
let project: string;
const ends = new Map<string, JobEndEvent>();

const wsUrl = (port: number, token: string) => `ws://127.0.0.1:${port}/ws?token=${token}`;
const socketFactory = (origin: string) => (url: string) => new WebSocket(url, { origin }) as unknown as WebSocketLike;
const previewFile = path.join(CORPUS_FIXTURES, 'stats', 'train.txt');
/** How long a call may take next to the jobs and still count as prompt. */
const PROMPT_MS = 2000;

/** projectInfo and corpusPreview, each answering within PROMPT_MS. */
async function liveCallsAnswer(): Promise<void> {
  const info = await settlesWithin(client.api.projectInfo({ project }), PROMPT_MS, 'projectInfo');
  expect(info.dir).toBe(project);
  const preview = await settlesWithin(client.api.corpusPreview({ path: previewFile }), PROMPT_MS, 'corpusPreview');
  expect(preview.format).toBe('plain');
}

function ended(jobId: string, ms: number): Promise<JobEndEvent> {
  return settlesWithin(
    eventually(() => ends.has(jobId), `the end of ${jobId}`, ms).then(() => ends.get(jobId)!),
    ms + 1000,
    `the end of ${jobId}`,
  );
}

/** Sets environment variables until the returned function is called. */
function setEnv(vars: Record<string, string>): () => void {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  return () => {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

beforeAll(async () => {
  server = await testServer();
  client = createWebSocketClient({ url: wsUrl(server.port, server.token), createSocket: socketFactory(server.origin) });
  client.api.onJobEnd((e) => ends.set(e.jobId, e));
  project = (await client.api.projectCreate({ dir: path.join(server.home, 'study'), name: 'Study' })).dir;
});
afterEach(releaseFifos);
afterAll(async () => {
  releaseFifos();
  client.close();
  await server.close();
});

describe('jobs that would block, next to live calls', () => {
  it.runIf(hasFifos)('four model imports from FIFOs fail at once, and every other call still answers', async () => {
    const fifos = [1, 2, 3, 4].map((i) => makeFifo(path.join(server.home, `model-${i}.json`)));
    const vocab = makeFifo(path.join(server.home, 'vocab.txt'));
    const jobIds: string[] = [];
    for (const [i, modelJson] of fifos.entries()) {
      jobIds.push((await client.api.jobStart({ kind: 'import-model', params: { project, id: `m${i}`, modelJson, vocab, backend: 'wasm' } })).jobId);
    }
    await liveCallsAnswer();
    for (const [i, jobId] of jobIds.entries()) {
      expect(await ended(jobId, 30_000)).toMatchObject({ status: 'failed', errorKind: 'user', error: expect.stringContaining(`${fifos[i]}: is a FIFO (named pipe), not a regular file`) });
    }
    await liveCallsAnswer();
    expect(await client.api.modelList({ project })).toEqual([]);
    expect(await fs.readdir(path.join(project, '.staging')).catch(() => [])).toEqual([]);
  });

  it('a job whose worker is stuck: live calls answer, and jobCancel ends it as cancelled', async () => {
    const dir = path.join(server.home, 'stuck');
    await fs.mkdir(dir);
    const stuck = path.join(dir, 'stuck-worker.mjs');
    // Takes the start message and never answers, nor checks the cancel flag.
    await fs.writeFile(stuck, "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => {});\nsetInterval(() => {}, 1000);\n");
    const restore = setEnv({ [WORKER_SCRIPT_ENV]: stuck, [CANCEL_GRACE_ENV]: '300' });
    try {
      const { jobId } = await client.api.jobStart({ kind: 'import-model', params: { project, id: 'stuck', modelJson: path.join(dir, 'model.json'), vocab: path.join(dir, 'vocab.txt') } });
      await eventually(() => server.engine.jobs.list().active.some((j) => j.jobId === jobId), 'the job to run');
      await new Promise((r) => setTimeout(r, 300)); // its worker is up and stuck
      expect(ends.has(jobId)).toBe(false);
      await liveCallsAnswer();
      expect(await client.api.jobCancel({ jobId })).toEqual({ cancelled: true });
      expect(await ended(jobId, 5000)).toMatchObject({ status: 'cancelled' });
      expect(server.engine.jobs.list().active.map((j) => j.jobId)).not.toContain(jobId);
    } finally {
      restore();
    }
    await liveCallsAnswer();
    expect((await client.api.modelList({ project })).map((m) => m.id)).not.toContain('stuck');
    expect(await fs.readdir(path.join(project, '.staging')).catch(() => [])).toEqual([]);
  });

  it('a running training: live calls answer while it runs, and jobCancel ends it as cancelled', async () => {
    const { jobId: importId } = await client.api.jobStart({ kind: 'import-corpus', params: { project, id: 'brown', source: { kind: 'builtin-brown', maxFiles: 3 } } });
    expect(await ended(importId, 60_000)).toMatchObject({ status: 'done' });
    const config = { embeddingDim: 16, hiddenSize: 32, vocabSize: 2000, batchSize: 1, bptt: 5, epochs: 20, dropout: 0 };
    const { jobId } = await client.api.jobStart({ kind: 'train', params: { project, corpus: 'brown', id: 'lm', config, backend: 'wasm' } });
    await nextMatching<JobProgressEvent>(client.api.onJobProgress, (p) => p.jobId === jobId);
    await liveCallsAnswer();
    expect(ends.has(jobId)).toBe(false);
    expect(await client.api.jobCancel({ jobId })).toEqual({ cancelled: true });
    expect(await ended(jobId, 20_000)).toMatchObject({ status: 'cancelled' });
    expect((await client.api.modelList({ project })).map((m) => m.id)).not.toContain('lm');
    await liveCallsAnswer();
  });
});
