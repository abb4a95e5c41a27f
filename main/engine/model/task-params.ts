// Validating a task's parameters as they arrive in the worker: a bad value becomes a
// UserError that names the parameter, not a stack trace.
import type { z } from 'zod';
import { UserError } from '../errors';
import { formatIssuePath } from '../project/read-json';

export function parseTaskParams<S extends z.ZodType>(task: string, schema: S, raw: unknown): z.output<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issues = r.error.issues.slice(0, 5).map((i) => `${formatIssuePath(i.path)}: ${i.message}`);
  throw new UserError(`invalid ${task} parameters: ${issues.join('; ')}`);
}
