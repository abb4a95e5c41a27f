// Turns anything thrown into the {kind, message} every transport reports: a user error
// keeps its message (it already says what to do), a cancel says so, and anything else is
// an internal error whose message says it is a bug, so a person knows to report it.
import type { CallError } from '../../../shared/call-error';
import { JobCancelledError, isUserError } from '../errors';

// File-system failures the user can fix (space, permissions, a missing or busy file):
// reported as user errors. Worker errors lose `code`, so the message prefix counts too.
const USER_ERRNO = new Set(['ENOENT', 'EACCES', 'EPERM', 'ENOSPC', 'EROFS', 'EEXIST', 'ENOTDIR', 'EISDIR', 'EBUSY', 'EDQUOT', 'EMFILE']);

function errnoOf(err: Error): string | undefined {
  const code = (err as NodeJS.ErrnoException).code;
  if (typeof code === 'string') return code;
  return /^(E[A-Z]+):/.exec(err.message)?.[1];
}

export function isCancelError(err: unknown): boolean {
  return err instanceof JobCancelledError || (err instanceof Error && err.name === 'JobCancelledError');
}

/** `where` names what failed ("procedure 'corpusList'", "job import-corpus") for internal errors. */
export function describeError(err: unknown, where: string): CallError {
  if (isCancelError(err)) return { kind: 'cancelled', message: (err as Error).message || 'cancelled' };
  if (isUserError(err)) return { kind: 'user', message: (err as Error).message };
  if (err instanceof Error) {
    const code = errnoOf(err);
    if (code && USER_ERRNO.has(code)) return { kind: 'user', message: err.message };
    return { kind: 'internal', message: `internal error in ${where}: ${err.message} (this is a bug; please report it)` };
  }
  return { kind: 'internal', message: `internal error in ${where}: ${String(err)} (this is a bug; please report it)` };
}
