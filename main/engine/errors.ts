// Errors that mean something to the people who read them.

/** A problem with what the user asked for or gave us: bad file, wrong shape, missing id. */
export class UserError extends Error {
  override name = 'UserError';
}

/** Raised when a job stops because it was cancelled. `partial` holds what was kept, if anything. */
export class JobCancelledError extends Error {
  override name = 'JobCancelledError';
  constructor(
    message = 'cancelled',
    public readonly partial?: unknown,
  ) {
    super(message);
  }
}

/** An error that came back from a worker thread, with its original name and stack. */
export class WorkerError extends Error {
  constructor(name: string, message: string, stack?: string) {
    super(message);
    this.name = name;
    if (stack) this.stack = stack;
  }
}

export function isUserError(err: unknown): boolean {
  return err instanceof UserError || (err instanceof Error && err.name === 'UserError');
}
