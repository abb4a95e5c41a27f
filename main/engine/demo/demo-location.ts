// Where the demo project is installed, and where its shipped content (build/demo) is read from.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { userDataDir } from '../user-folders';
import { DEMO_FILES } from './demo-spec';

export { userDataDir };

export const DEMO_FOLDER_NAME = 'Demo project';

/** Default folder of the demo project: `<user data dir>/Demo project` (user-folders.ts). */
export function defaultDemoProjectDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  return path.join(userDataDir({ env, platform }), DEMO_FOLDER_NAME);
}

/**
 * Folders that may hold the shipped demo, best first: $MNEMOSCOPE_DEMO_SOURCE; in a
 * packaged app <resources>/demo (electron-builder's extraResources); in a checkout or
 * an unpacked build, build/demo above this module (main/engine/demo/ or dist/main/...).
 */
export function demoSourceCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  if (env.MNEMOSCOPE_DEMO_SOURCE) out.push(path.resolve(env.MNEMOSCOPE_DEMO_SOURCE));
  // Set by Electron in its main process (a Node property there, no import of electron needed).
  const resources = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  if (resources) out.push(path.join(resources, 'demo'));
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    out.push(path.join(dir, 'build', 'demo'));
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return out;
}

/** The first candidate that has a demo.json, or null. */
export function findDemoSource(env: NodeJS.ProcessEnv = process.env): string | null {
  return demoSourceCandidates(env).find((dir) => existsSync(path.join(dir, DEMO_FILES.manifest))) ?? null;
}
