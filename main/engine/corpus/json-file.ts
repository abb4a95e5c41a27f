// Reading a JSON file validated by a zod schema, with errors that name the file.
import type { z } from 'zod';
import { VersionProbeSchema } from '../../../shared/schemas/corpus';
import { UserError } from '../jobs/errors';
import { readRegularTextFile } from '../project/safe-open';

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
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
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${file}: broken ${what}, not valid JSON (${(err as Error).message})`);
  }
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
