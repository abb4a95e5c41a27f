// Reading build/demo/demo.json, validated; a broken file is reported by path and reason.
import path from 'node:path';
import { readJsonFile } from '../project';
import { DemoManifestSchema, type DemoManifest } from './demo-manifest';
import { DEMO_FILES } from './demo-spec';

export function readDemoManifest(sourceDir: string): Promise<DemoManifest> {
  return readJsonFile(path.join(sourceDir, DEMO_FILES.manifest), DemoManifestSchema, DEMO_FILES.manifest);
}
