// A sandboxed preload can require only a few of Electron's own modules: the bundle that
// `npm start` loads must be self-contained CommonJS that requires 'electron' and nothing else
// (a stray import of zod or node:path would make the preload fail to load, silently leaving
// the page without window.mnemoscope).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bundle = path.join(root, 'dist', 'main', 'electron', 'preload.cjs');
const source = path.join(root, 'main', 'electron', 'preload.ts');

describe('the built preload', () => {
  it('is CommonJS that requires only electron', () => {
    if (!existsSync(bundle) || statSync(bundle).mtimeMs < statSync(source).mtimeMs) {
      execFileSync(process.execPath, [path.join(root, 'build', 'build.mjs'), '--main-only'], { cwd: root, stdio: 'ignore' });
    }
    const code = readFileSync(bundle, 'utf8');
    const required = [...code.matchAll(/require\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(code).not.toMatch(/^\s*import\s/m);
    expect(code).not.toMatch(/\bimport\(/);
    expect(code.length).toBeLessThan(20_000); // the contract's names only, no schemas
  });
});
