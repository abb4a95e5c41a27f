// Whether an optional package (tfjs-node, tfjs-node-gpu) is installed, without loading it.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function packageInstalled(pkg: string): boolean {
  try {
    require.resolve(`${pkg}/package.json`);
    return true;
  } catch {
    return false;
  }
}
