#!/usr/bin/env node
// The `mnemoscope` command. Runs the bundled CLI (dist/main/cli.js). In a source checkout
// it first rebuilds the main-process bundles when any source is newer than the bundle,
// so the command never runs stale code (the bundle's job workers need real .js files).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bundled = path.join(root, 'dist', 'main', 'cli.js');
const buildScript = path.join(root, 'build', 'build.mjs');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

const inCheckout = existsSync(buildScript) && existsSync(path.join(root, 'main', 'cli', 'index.ts'));
if (inCheckout) {
  const builtAt = existsSync(bundled) ? statSync(bundled).mtimeMs : 0;
  const sourcesAt = Math.max(newestSource(path.join(root, 'main')), newestSource(path.join(root, 'shared')));
  if (sourcesAt > builtAt) {
    execFileSync(process.execPath, [buildScript, '--main-only'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
}
await import(pathToFileURL(bundled).href);
