// The dispatcher validates every request before a handler runs, validates every output,
// and maps every failure to {kind, message}.
import { describe, expect, it, vi } from 'vitest';
import { dispatch } from '../../../main/engine/handlers/dispatch';
import type { Handlers } from '../../../main/engine/handlers/types';
import { JobCancelledError, UserError, WorkerError } from '../../../main/engine/errors';
import { PROCEDURE_NAMES } from '../../../shared/names';
import { procedures } from '../../../shared/contract';
import type { Reply } from '../../../shared/call-error';

/** Every handler is a spy that must not be reached by a malformed request. */
function spyHandlers(): Handlers {
  return Object.fromEntries(PROCEDURE_NAMES.map((n) => [n, vi.fn(async () => ({}))])) as unknown as Handlers;
}

function refused(reply: Reply): string {
  expect(reply.ok).toBe(false);
  if (reply.ok) return '';
  expect(reply.error.kind).toBe('user');
  return reply.error.message;
}

const validImport = {
  kind: 'import-corpus',
  params: { project: '/p', id: 'brown3', source: { kind: 'builtin-brown', maxFiles: 3 } },
};

describe('request validation', () => {
  it('has one schema pair per procedure name the preload and client know', () => {
    expect(Object.keys(procedures).sort()).toEqual([...PROCEDURE_NAMES].sort());
  });

  it('refuses wrong types, naming the procedure and the field, before the handler runs', async () => {
    const h = spyHandlers();
    const msg = refused(await dispatch(h, 'projectCreate', { dir: 42, name: 'P' }));
    expect(msg).toMatch(/^invalid request for 'projectCreate': dir: .*expected string, received number/);
    expect(h.projectCreate).not.toHaveBeenCalled();
  });

  it('refuses extra keys, at the top and nested', async () => {
    const h = spyHandlers();
    expect(refused(await dispatch(h, 'corpusList', { project: '/p', projct: '/q' }))).toMatch(/corpusList.*Unrecognized key: "projct"/);
    const nested = { ...validImport, params: { ...validImport.params, source: { kind: 'builtin-brown', maxFiles: 3, dir: '/x' } } };
    expect(refused(await dispatch(h, 'jobStart', nested))).toMatch(/params\.source: Unrecognized key: "dir"/);
    expect(refused(await dispatch(h, 'engineInfo', { verbose: true }))).toMatch(/engineInfo.*"verbose"/);
    expect(h.corpusList).not.toHaveBeenCalled();
    expect(h.jobStart).not.toHaveBeenCalled();
    expect(h.engineInfo).not.toHaveBeenCalled();
  });

  it('refuses unknown procedures, including inherited property names', async () => {
    const h = spyHandlers();
    expect(refused(await dispatch(h, 'deleteEverything', {}))).toMatch(/unknown procedure 'deleteEverything'.*engineInfo/);
    expect(refused(await dispatch(h, 'toString', {}))).toMatch(/unknown procedure 'toString'/);
    expect(refused(await dispatch(h, '__proto__', {}))).toMatch(/unknown procedure/);
    expect(refused(await dispatch(h, 7, {}))).toMatch(/unknown procedure of type number/);
  });

  it('refuses input that is not an object, and unknown job kinds or bad job params by path', async () => {
    const h = spyHandlers();
    expect(refused(await dispatch(h, 'projectInfo', 'some/path'))).toMatch(/expected object, received string/);
    expect(refused(await dispatch(h, 'jobStart', { kind: 'mine-bitcoin', params: {} }))).toMatch(/kind: .*'import-corpus'/);
    const badId = { ...validImport, params: { ...validImport.params, id: '../escape', source: { kind: 'builtin-brown', maxFiles: 2 } } };
    const msg = refused(await dispatch(h, 'jobStart', badId));
    expect(msg).toMatch(/params\.id: must be 1-64 characters/);
    expect(msg).toMatch(/params\.source\.maxFiles: .*>=3/);
    expect(h.jobStart).not.toHaveBeenCalled();
  });

  it('passes a valid request to its handler, parsed, and lets a call without input mean {}', async () => {
    const h = spyHandlers();
    h.jobStart = vi.fn(async () => ({ jobId: 'job-1' }));
    h.jobList = vi.fn(async () => ({ active: [], recent: [] }));
    expect(await dispatch(h, 'jobStart', validImport)).toEqual({ ok: true, output: { jobId: 'job-1' } });
    expect(h.jobStart).toHaveBeenCalledWith(validImport);
    expect(await dispatch(h, 'jobList', undefined)).toEqual({ ok: true, output: { active: [], recent: [] } });
  });
});

describe('output validation and error mapping', () => {
  it('turns an output that breaks the contract into an internal error', async () => {
    const h = spyHandlers();
    h.jobCancel = vi.fn(async () => ({ cancelled: 'yes' }) as unknown as { cancelled: boolean });
    const seen: string[] = [];
    const reply = await dispatch(h, 'jobCancel', { jobId: 'job-1' }, { onInternalError: (p) => seen.push(p) });
    expect(reply).toMatchObject({ ok: false, error: { kind: 'internal' } });
    expect(!reply.ok && reply.error.message).toMatch(/'jobCancel'.*does not match the contract: cancelled:/);
    expect(seen).toEqual(['jobCancel']);
  });

  it.each([
    ['a user error', new UserError('No corpus "x" in project /p.'), 'user', /^No corpus "x" in project \/p\.$/],
    ['a cancel', new JobCancelledError(), 'cancelled', /^cancelled$/],
    ['a full disk', Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }), 'user', /^ENOSPC/],
    ['a user error from a worker', new WorkerError('UserError', 'train.txt: empty line'), 'user', /^train\.txt: empty line$/],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')"), 'internal', /^internal error in procedure 'runList': .*reading 'id'.*please report/],
  ])('maps %s', async (_what, err, kind, message) => {
    const h = spyHandlers();
    h.runList = vi.fn(async () => {
      throw err;
    });
    const reply = await dispatch(h, 'runList', { project: '/p' });
    expect(reply.ok).toBe(false);
    if (!reply.ok) {
      expect(reply.error.kind).toBe(kind);
      expect(reply.error.message).toMatch(message);
    }
  });
});
