// Builds everything the app and the CLI run: the main-process bundles (Electron main,
// preload, CLI, job worker) with esbuild, and the renderer with Vite when it exists.
// Packages stay external: they are installed in node_modules and shipped by electron-builder.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  packages: 'external',
  logLevel: 'warning',
  absWorkingDir: root,
};

const esmEntries = { 'main/cli': 'main/cli/index.ts' };
if (existsSync(path.join(root, 'main/electron/main.ts'))) esmEntries['main/electron/main'] = 'main/electron/main.ts';

await build({ ...common, format: 'esm', entryPoints: esmEntries, outdir: out });

// The job worker is self-contained (all pure-JS packages inlined): in a packaged app it runs
// from app.asar.unpacked, where Node's resolver cannot see the packages inside the asar.
// Native TensorFlow bindings stay external; they are loaded only if installed.
const { packages: _drop, ...workerCommon } = common;
await build({
  ...workerCommon,
  format: 'esm',
  entryPoints: { 'main/worker': 'main/engine/worker/worker-entry.ts' },
  outdir: out,
  external: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'electron'],
  // Bundled CommonJS packages (the wasm backend's Emscripten loader among them) expect
  // require, __filename and __dirname, which an ES module does not have.
  banner: {
    js: [
      "import { createRequire as __cr } from 'node:module';",
      "import { fileURLToPath as __fu } from 'node:url';",
      "import { dirname as __dn } from 'node:path';",
      'const require = __cr(import.meta.url);',
      'const __filename = __fu(import.meta.url);',
      'const __dirname = __dn(__filename);',
    ].join(' '),
  },
});

// A sandboxed preload must be CommonJS.
if (existsSync(path.join(root, 'main/electron/preload.ts'))) {
  await build({
    ...common,
    format: 'cjs',
    entryPoints: { 'main/electron/preload': 'main/electron/preload.ts' },
    outdir: out,
    outExtension: { '.js': '.cjs' },
  });
}

// --main-only: the Node bundles alone (what the CLI needs), without the renderer.
if (!process.argv.includes('--main-only') && existsSync(path.join(root, 'renderer/vite.config.ts'))) {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: path.join(root, 'renderer/vite.config.ts'), logLevel: 'warn' });
}
