// The one entry point every transport uses (Electron IPC, WebSocket, in-process calls):
// the request is validated with the contract's schema before any handler runs, the
// handler's output is validated before it leaves, and every failure becomes a
// {kind, message} reply. It never throws.
import type { z } from 'zod';
import { procedures } from '../../../shared/contract';
import type { CallError, Reply } from '../../../shared/call-error';
import type { ProcedureName } from '../../../shared/names';
import { describeError } from '../jobs/describe-error';
import { formatIssuePath } from '../project/read-json';
import type { Handlers } from './types';

const MAX_ISSUES = 5;

/** "params.source.kind: Invalid discriminator value…; name: …", the fields named as paths. */
export function describeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, MAX_ISSUES).map((issue) => {
    const where = issue.path.length > 0 ? `${formatIssuePath(issue.path)}: ` : '';
    return where + issue.message;
  });
  const more = error.issues.length > MAX_ISSUES ? `; and ${error.issues.length - MAX_ISSUES} more` : '';
  return shown.join('; ') + more;
}

export function isProcedureName(name: unknown): name is ProcedureName {
  return typeof name === 'string' && Object.hasOwn(procedures, name);
}

export interface DispatchHooks {
  /** Called with the original error when a handler fails with an internal error (for the log). */
  onInternalError?: (procedure: string, err: unknown) => void;
}

const fail = (kind: CallError['kind'], message: string): Reply => ({ ok: false, error: { kind, message } });

export async function dispatch(handlers: Handlers, name: unknown, rawInput: unknown, hooks: DispatchHooks = {}): Promise<Reply> {
  if (!isProcedureName(name)) {
    const shown = typeof name === 'string' ? `'${name.slice(0, 100)}'` : `of type ${typeof name}`;
    return fail('user', `unknown procedure ${shown}; the engine has: ${Object.keys(procedures).join(', ')}`);
  }
  const schemas = procedures[name];
  // A procedure without parameters may be called with nothing at all.
  const parsed = schemas.input.safeParse(rawInput === undefined ? {} : rawInput);
  if (!parsed.success) return fail('user', `invalid request for '${name}': ${describeIssues(parsed.error)}`);

  let output: unknown;
  try {
    const handler = handlers[name] as (input: unknown) => Promise<unknown>;
    output = await handler(parsed.data);
  } catch (err) {
    const error = describeError(err, `procedure '${name}'`);
    if (error.kind === 'internal') hooks.onInternalError?.(name, err);
    return { ok: false, error };
  }

  const checked = schemas.output.safeParse(output);
  if (!checked.success) {
    hooks.onInternalError?.(name, checked.error);
    return fail(
      'internal',
      `internal error in procedure '${name}': its result does not match the contract: ${describeIssues(checked.error)} (this is a bug; please report it)`,
    );
  }
  return { ok: true, output: checked.data };
}
