// Reading a JSON file validated by a zod schema, with errors that name the file.
import type { z } from 'zod';
import { VersionProbeSchema } from '../../../shared/schemas/corpus';
import { UserError } from '../errors';
import { locateJsonError } from '../project/json-error';
import { formatIssuePath } from '../project/read-json';
import { readRegularTextFile } from '../project/safe-open';

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${formatIssuePath(i.path)}: ${i.message}` : i.message))
    .join('; ');
}

/**
 * JSON.parse of `text`, a byte-order mark ignored; a syntax error is one line saying where
 * (JSON.parse's own message quotes the text, newlines and all).
 */
function parseJson(file: string, text: string, what: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    if (body.trim() === '') throw new UserError(`${file}: broken ${what}, not valid JSON (the file is empty)`);
    const at = locateJsonError(body);
    throw new UserError(`${file}: broken ${what}, not valid JSON (line ${at.line}, column ${at.column}: ${at.reason})`);
  }
}

/**
 * Reads `file` and validates it. A schemaVersion newer than `supportedVersion` is refused
 * with a message saying so, rather than a list of schema errors.
 */
export async function readVersionedJson<T>(
  file: string,
  schema: z.ZodType<T>,
  what: string,
  supportedVersion: number,
): Promise<T> {
  const text = await readRegularTextFile(file, { what, missing: `${file}: no ${what} here (file missing)` });
  const data = parseJson(file, text, what);
  const probe = VersionProbeSchema.safeParse(data);
  if (probe.success && probe.data.schemaVersion > supportedVersion) {
    throw new UserError(
      `${file}: ${what} has schema version ${probe.data.schemaVersion}, newer than this Mnemoscope reads (${supportedVersion}); update Mnemoscope`,
    );
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new UserError(`${file}: invalid ${what}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
