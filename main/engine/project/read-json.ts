// Reading the project's JSON files: a broken file becomes a UserError that names the
// file and says what is wrong with it (position for bad JSON, field path for bad values).
import type { z } from 'zod';
import { UserError } from '../errors';
import { locateJsonError } from './json-error';
import { readRegularTextFile } from './safe-open';

const MAX_ISSUES_SHOWN = 5;

/** `corpora[0].id` from a zod issue path. */
export function formatIssuePath(p: readonly PropertyKey[]): string {
  let out = '';
  for (const key of p) {
    if (typeof key === 'number') out += `[${key}]`;
    else {
      // A key from the file is shown quoted unless it is a plain name: it may hold anything, newlines included.
      const name = typeof key === 'string' && /^[\p{L}\p{N}_$-]+$/u.test(key) ? key : JSON.stringify(String(key));
      out += out ? `.${name}` : name;
    }
  }
  return out || '(top level)';
}

/** One readable message for all issues of a failed zod parse. */
export function describeSchemaError(file: string, error: z.ZodError, what = 'file'): string {
  const shown = error.issues.slice(0, MAX_ISSUES_SHOWN).map((iss) => `${formatIssuePath(iss.path)}: ${iss.message}`);
  const more = error.issues.length > MAX_ISSUES_SHOWN ? `; and ${error.issues.length - MAX_ISSUES_SHOWN} more` : '';
  return `${file}: invalid ${what}: ${shown.join('; ')}${more}`;
}

/** Parse JSON text read from `file`; a syntax error names the file, line and column. */
export function parseJsonText(file: string, text: string): unknown {
  // Editors on Windows may add a byte-order mark; it is not part of the JSON.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    if (body.trim() === '') throw new UserError(`${file}: file is empty (expected JSON)`);
    const at = locateJsonError(body);
    throw new UserError(`${file}: invalid JSON at line ${at.line}, column ${at.column}: ${at.reason}`);
  }
}

/**
 * Read a file's text; a missing or unreadable file, or one that is not a regular file
 * (a FIFO, a device, a folder) or is too large, is a UserError naming it.
 */
export async function readTextFile(file: string, what = 'file', maxBytes?: number): Promise<string> {
  return readRegularTextFile(file, { what, maxBytes });
}

/** Validate an already-parsed value read from `file`. */
export function validateJson<S extends z.ZodType>(file: string, value: unknown, schema: S, what = 'file'): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new UserError(describeSchemaError(file, result.error, what));
  return result.data;
}

/** Read, parse and validate a JSON file. Every failure is a UserError naming the file. */
export async function readJsonFile<S extends z.ZodType>(file: string, schema: S, what = 'file'): Promise<z.output<S>> {
  const text = await readTextFile(file, what);
  return validateJson(file, parseJsonText(file, text), schema, what);
}
