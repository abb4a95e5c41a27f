// Exporting a run, by transport. runExport writes to a path of the caller's choosing on the
// engine's machine: the CLI and the desktop app (in process, as here) may call it; the
// WebSocket server refuses it (HOST_FILE_WRITERS) and writes nothing, and a browser asks for
// runExportText instead, which returns what runExport would have written, byte for byte.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveConnection } from '../../../main/server/connection';
import { connectProtocol } from '../../../renderer/src/lib/client/protocol-connection';
import { EventHub } from '../../../renderer/src/lib/client/event-hub';
import { buildApi } from '../../../shared/api-builder';
import { CallFailedError, unwrapReply } from '../../../shared/call-error';
import { HOST_FILE_WRITERS, PROCEDURE_NAMES } from '../../../shared/names';
import type { Engine } from '../../../main/engine/handlers/create-engine';
import { createMemoryPair } from './memory-pair';
import { testEngine } from './helpers';

const shippedRun = path.resolve(__dirname, '..', '..', '..', 'build', 'demo', 'runs', 'adam-small-sweep');

let engine: Engine;
let dir: string;
let project: string;
let delays: number;

beforeAll(async () => {
  ({ engine, dir } = await testEngine());
  project = (await engine.api.projectCreate({ dir: path.join(dir, 'study'), name: 'Export', remember: false })).dir;
  // A finished run as the demo ships it (its model and corpus are not in this project: a run stays readable without them).
  const store = await engine.projects.get(project);
  await store.stageItem('run', 'sweep', async (to) => {
    await fs.cp(shippedRun, to, { recursive: true });
    const record = JSON.parse(await fs.readFile(path.join(to, 'run.json'), 'utf8')) as { id: string };
    await fs.writeFile(path.join(to, 'run.json'), JSON.stringify({ ...record, id: 'sweep' }));
  });
  delays = (await engine.api.runShow({ project, run: 'sweep' })).record.summary.delays.length;
});
afterAll(async () => {
  await engine.close();
  await fs.rm(dir, { recursive: true, force: true });
});

function overWebSocket() {
  const pair = createMemoryPair();
  serveConnection(engine, pair.server);
  const hub = new EventHub();
  const connection = connectProtocol(pair.client, (event) => hub.emit(event));
  return buildApi(
    async (procedure, input) => unwrapReply(await connection.call(procedure, input)),
    (name, listener) => hub.subscribe(name, listener),
  );
}

describe('exporting a run, by transport', () => {
  it('the procedures that write where the caller says are procedures of the contract', () => {
    for (const name of HOST_FILE_WRITERS) expect(PROCEDURE_NAMES).toContain(name);
  });

  it('in process (CLI, desktop): runExport writes the file; runExportText returns the same bytes', async () => {
    for (const format of ['csv', 'json'] as const) {
      const out = path.join(dir, `in-process.${format}`);
      const written = await engine.api.runExport({ project, run: 'sweep', format, out });
      expect(written).toMatchObject({ run: 'sweep', format, out, target: out, rows: delays });
      const text = await engine.api.runExportText({ project, run: 'sweep', format });
      expect(text).toMatchObject({ run: 'sweep', format, fileName: `sweep.${format}`, rows: delays, columns: written.columns });
      expect(text.text).toBe(await fs.readFile(out, 'utf8'));
    }
    const csv = (await engine.api.runExportText({ project, run: 'sweep', format: 'csv' })).text.trimEnd().split('\n');
    expect(csv).toHaveLength(1 + delays);
    expect(csv[0].split(',')).toHaveLength((await engine.api.runExportText({ project, run: 'sweep', format: 'csv' })).columns);
  });

  it('over the WebSocket: runExport is refused as a user error and writes nothing; runExportText works', async () => {
    const api = overWebSocket();
    const out = path.join(dir, 'over-websocket.csv');
    const refused = await api.runExport({ project, run: 'sweep', format: 'csv', out }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CallFailedError);
    expect(refused).toMatchObject({ kind: 'user' });
    expect((refused as Error).message).toMatch(/^runExport writes a file on the server's machine .* runExportText/);
    expect(existsSync(out)).toBe(false);
    const text = await api.runExportText({ project, run: 'sweep', format: 'csv' });
    expect(text.text).toBe(await fs.readFile(path.join(dir, 'in-process.csv'), 'utf8'));
  });

  it('runExportText of a run the project does not have is a user error', async () => {
    await expect(engine.api.runExportText({ project, run: 'nope', format: 'csv' })).rejects.toMatchObject({ kind: 'user' });
  });
});
