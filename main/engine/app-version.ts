// The app's own name and version, read from package.json once.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function findPackageJson(): { name: string; version: string } {
  // Source layout: main/engine/app-version.ts; bundled: dist/main/*.js. Both are two levels below the root.
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = require(rel) as { name?: string; version?: string };
      if (pkg.name === 'mnemoscope' && pkg.version) return { name: pkg.name, version: pkg.version };
    } catch {
      /* try the next candidate */
    }
  }
  return { name: 'mnemoscope', version: 'unknown' };
}

export const APP = findPackageJson();
