#!/usr/bin/env node
// The `mnemoscope` command. Runs the bundled CLI (dist/main/cli.js, built by `npm install`
// through the prepare script, or by `npm run build`); in a source checkout without a build
// it runs the TypeScript sources through tsx.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bundled = path.join(root, 'dist', 'main', 'cli.js');
if (existsSync(bundled)) {
  await import(pathToFileURL(bundled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(path.join(root, 'main', 'cli', 'index.ts')).href);
}
