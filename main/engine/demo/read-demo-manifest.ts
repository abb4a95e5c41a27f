// Reading build/demo/demo.json, validated; a broken file is reported by path and reason, and
// one of another version (a demo built by an older or newer train:demo) says so.
import path from 'node:path';
import { z } from 'zod';
import { UserError } from '../errors';
import { readJsonFile, validateJson } from '../project';
import { DEMO_MANIFEST_VERSION, DemoManifestSchema, type DemoManifest } from './demo-manifest';
import { DEMO_FILES } from './demo-spec';

const VersionProbe = z.object({ schemaVersion: z.number().int() });

export async function readDemoManifest(sourceDir: string): Promise<DemoManifest> {
  const file = path.join(sourceDir, DEMO_FILES.manifest);
  const value: unknown = await readJsonFile(file, z.unknown(), DEMO_FILES.manifest);
  const probe = VersionProbe.safeParse(value);
  if (probe.success && probe.data.schemaVersion !== DEMO_MANIFEST_VERSION) {
    throw new UserError(
      `${file} is a version ${probe.data.schemaVersion} demo; this Mnemoscope installs version ${DEMO_MANIFEST_VERSION} ` +
        `(models/<id>/ and runs/<id>/): run 'npm run train:demo' in a checkout, or reinstall Mnemoscope`,
    );
  }
  return validateJson(file, value, DemoManifestSchema, DEMO_FILES.manifest);
}
