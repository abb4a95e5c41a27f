// Chooses the TensorFlow.js backend for this thread: tensorflow (tfjs-node-gpu, then
// tfjs-node) → wasm → cpu, unless told which. Records why each other choice was not
// taken, so `mnemoscope info` and training.json can say what ran and why.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { UserError } from '../errors';
import { keepFloat32OnGpu } from '../float32-gpu';
import { noteRunningBackend } from './memory-budget';
import { BackendPreferenceSchema, type BackendPreference } from '../../../shared/schemas/model';

// The names are the contract's (BackendPreferenceSchema): one list for the engine, CLI and forms.
export const BACKEND_NAMES = BackendPreferenceSchema.options;
export type { BackendPreference };

export interface BackendAttempt {
  backend: string;
  ok: boolean;
  reason: string;
}

export interface BackendInfo {
  /** tfjs backend name actually running: 'tensorflow', 'wasm' or 'cpu'. */
  name: string;
  /** Human description, e.g. 'wasm (SIMD, single thread)' or 'tensorflow (CPU; tfjs-node-gpu loaded but no CUDA 11.2 runtime)'. */
  description: string;
  attempts: BackendAttempt[];
  versions: Record<string, string>;
}

const require = createRequire(import.meta.url);
let selected: BackendInfo | null = null;

function packageDir(pkg: string): string {
  const dir = path.dirname(require.resolve(`${pkg}/package.json`));
  // Inside a packaged Electron app, .wasm files are unpacked beside the asar archive.
  return dir.replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
}

function packageVersion(pkg: string): string | null {
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return null;
  }
}

/** The CUDA runtime and cuDNN that tfjs-node-gpu 4.x links against: CUDA 11.2 (libcudart.so.11.0), cuDNN 8.1. */
export function cudaStatus(): { cudart11: boolean; cudnn8: boolean; driver: string | null } {
  let libs = '';
  try {
    libs = execFileSync('ldconfig', ['-p'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    /* ldconfig absent (macOS, Windows): leave empty */
  }
  let driver: string | null = null;
  try {
    driver = execFileSync('nvidia-smi', ['--query-gpu=driver_version,name', '--format=csv,noheader'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    }).trim();
  } catch {
    driver = null;
  }
  return { cudart11: /libcudart\.so\.11\.0/.test(libs), cudnn8: /libcudnn\.so\.8/.test(libs), driver };
}

async function tryTensorflow(gpu: boolean, attempts: BackendAttempt[]): Promise<string | null> {
  const pkg = gpu ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
  const label = gpu ? 'tensorflow-gpu' : 'tensorflow';
  keepFloat32OnGpu(); // NVIDIA_TF32_OVERRIDE=0 before TensorFlow loads (float32-gpu.ts)
  if (gpu) {
    const cuda = cudaStatus();
    if (!cuda.driver || !cuda.cudart11 || !cuda.cudnn8) {
      const missing = [
        !cuda.driver && 'no NVIDIA driver (nvidia-smi not found)',
        !cuda.cudart11 && 'no CUDA 11.2 runtime (libcudart.so.11.0)',
        !cuda.cudnn8 && 'no cuDNN 8 (libcudnn.so.8)',
      ].filter(Boolean);
      attempts.push({ backend: label, ok: false, reason: `${missing.join(', ')}; tfjs-node-gpu would fall back to CPU` });
      return null;
    }
  }
  try {
    await import(/* @vite-ignore */ pkg);
    if (!(await tf.setBackend('tensorflow'))) throw new Error('backend did not initialise');
    attempts.push({ backend: label, ok: true, reason: `${pkg} loaded` });
    return gpu ? 'tensorflow (GPU, CUDA)' : 'tensorflow (CPU, native libtensorflow)';
  } catch (err) {
    const code = (err as { code?: string }).code;
    const msg =
      code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND'
        ? 'not installed (optional dependency; its install downloads libtensorflow, which needs internet access)'
        : `not usable: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
    attempts.push({ backend: label, ok: false, reason: `${pkg} ${msg}` });
    return null;
  }
}

async function tryWasm(attempts: BackendAttempt[]): Promise<string | null> {
  try {
    setWasmPaths(path.join(packageDir('@tensorflow/tfjs-backend-wasm'), 'dist') + path.sep);
    if (!(await tf.setBackend('wasm'))) throw new Error('backend did not initialise');
    await tf.ready();
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    attempts.push({ backend: 'wasm', ok: true, reason: 'loaded' });
    return `wasm (${simd ? 'SIMD' : 'no SIMD'}, single thread per worker)`;
  } catch (err) {
    attempts.push({ backend: 'wasm', ok: false, reason: err instanceof Error ? err.message : String(err) });
    return null;
  }
}

/** Selects (once per thread) and returns the running backend. */
/** The preference that selects the running backend again (in a worker thread of the same job). */
export function preferenceFor(info: BackendInfo): BackendPreference {
  return (BACKEND_NAMES as readonly string[]).includes(info.name) ? (info.name as BackendPreference) : 'auto';
}

/**
 * `auto` keeps the backend this thread already runs, unless `fresh`: then it picks anew, in
 * the order above (the device worker runs task after task, and a task's `auto` must not be
 * whatever an earlier one asked for by name, e.g. the cpu that reads a model's weights).
 */
export async function selectBackend(pref: BackendPreference = 'auto', { fresh = false }: { fresh?: boolean } = {}): Promise<BackendInfo> {
  if (selected && ((pref === 'auto' && !fresh) || backendMatches(selected.name, pref))) return selected;
  if (!BACKEND_NAMES.includes(pref)) {
    throw new UserError(`unknown backend '${pref}': choose one of ${BACKEND_NAMES.join(', ')}`);
  }
  tf.env().set('PROD', true);
  const attempts: BackendAttempt[] = [];
  let description: string | null = null;
  const order: BackendPreference[] =
    pref === 'auto' ? ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] : [pref];
  for (const b of order) {
    if (b === 'tensorflow-gpu') description = await tryTensorflow(true, attempts);
    else if (b === 'tensorflow') description = await tryTensorflow(false, attempts);
    else if (b === 'wasm') description = await tryWasm(attempts);
    else if (b === 'cpu') {
      await tf.setBackend('cpu');
      await tf.ready();
      attempts.push({ backend: 'cpu', ok: true, reason: 'pure JavaScript, always available' });
      description = 'cpu (pure JavaScript, slow)';
    }
    if (description) break;
  }
  if (!description) {
    const why = attempts.map((a) => `${a.backend}: ${a.reason}`).join('; ');
    throw new UserError(`backend '${pref}' is not available here (${why})`);
  }
  const versions: Record<string, string> = { node: process.versions.node, 'tfjs-core': tf.version_core };
  for (const pkg of ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']) {
    const v = packageVersion(pkg);
    if (v) versions[pkg] = v;
  }
  if (process.versions.electron) versions.electron = process.versions.electron;
  selected = { name: tf.getBackend(), description, attempts, versions };
  noteRunningBackend(selected.name);
  return selected;
}

function backendMatches(running: string, pref: BackendPreference): boolean {
  if (pref === 'tensorflow' || pref === 'tensorflow-gpu') return running === 'tensorflow';
  return running === pref;
}
