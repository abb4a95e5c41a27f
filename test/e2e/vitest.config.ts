// The end-to-end suite (test/e2e): a real browser against the real engine, one file, one
// worker, in order. Run it with `npm run test:e2e` (test/e2e/run.ts checks for Chromium first).
import { defineConfig } from 'vitest/config';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// CI asks for a JSON report; the e2e suite writes its own beside the unit run's.
const report = process.env.MNEMOSCOPE_TEST_REPORT ? path.join(root, 'test-results', 'e2e', 'vitest.json') : null;

export default defineConfig({
  root,
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    exclude: ['node_modules', 'dist'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    reporters: report ? ['default', 'json'] : ['default'],
    outputFile: report ? { json: report } : undefined,
  },
});
