// Reading and writing project.json. Older schema versions are brought up to the
// current one through a table of one-step migrations; newer ones are refused.
import type { z } from 'zod';
import { UserError } from '../errors';
import {
  ManifestHeaderSchema,
  PROJECT_SCHEMA_VERSION,
  ProjectManifestSchema,
  ProjectManifestV0Schema,
  type ProjectManifest,
  type ProjectManifestV0,
} from '../../../shared/schemas/project';
import { parseJsonText, readTextFile, validateJson } from './read-json';
import { writeJsonAtomic } from './atomic-write';

/** Reads a manifest of version `from` (validated by `schema`) and returns version `from + 1`. */
export interface ManifestMigration {
  schema: z.ZodType;
  up(manifest: never): unknown;
}

function migration<S extends z.ZodType>(schema: S, up: (m: z.output<S>) => unknown): ManifestMigration {
  return { schema, up: up as (m: never) => unknown };
}

/** Keyed by the version migrated from. Add an entry here with every schema version bump. */
export const MANIFEST_MIGRATIONS: Readonly<Record<number, ManifestMigration>> = {
  // v0 (pre-release): corpora were called datasets, and there was no modified time.
  0: migration(ProjectManifestV0Schema, (m: ProjectManifestV0) => {
    const { datasets, ...rest } = m;
    return { ...rest, schemaVersion: 1, corpora: datasets, modified: m.created };
  }),
};

export interface LoadedManifest {
  manifest: ProjectManifest;
  /** The version found on disk when it was older than the current one. */
  migratedFrom?: number;
}

/** Validate a parsed project.json of any known version and bring it to the current version. */
export function upgradeManifest(
  file: string,
  raw: unknown,
  migrations: Readonly<Record<number, ManifestMigration>> = MANIFEST_MIGRATIONS,
): LoadedManifest {
  const header = validateJson(file, raw, ManifestHeaderSchema, 'project manifest');
  const found = header.schemaVersion;
  if (found > PROJECT_SCHEMA_VERSION) {
    throw new UserError(
      `${file}: project schema version ${found} was written by a newer Mnemoscope; ` +
        `this version reads up to schema version ${PROJECT_SCHEMA_VERSION}. Upgrade Mnemoscope to open this project.`,
    );
  }
  let value = raw;
  for (let v = found; v < PROJECT_SCHEMA_VERSION; v++) {
    const step = migrations[v];
    if (!step) throw new UserError(`${file}: project schema version ${v} is not supported by this Mnemoscope.`);
    const old = validateJson(file, value, step.schema, `project manifest (schema version ${v})`);
    value = step.up(old as never);
  }
  const manifest = validateJson(file, value, ProjectManifestSchema, 'project manifest');
  return found < PROJECT_SCHEMA_VERSION ? { manifest, migratedFrom: found } : { manifest };
}

export async function readManifestFile(file: string): Promise<LoadedManifest> {
  const text = await readTextFile(file, 'project manifest');
  return upgradeManifest(file, parseJsonText(file, text));
}

/** Validate before writing: the store never puts a manifest on disk that it could not read back. */
export async function writeManifestFile(file: string, manifest: ProjectManifest): Promise<void> {
  const checked = ProjectManifestSchema.parse(manifest);
  await writeJsonAtomic(file, checked);
}
