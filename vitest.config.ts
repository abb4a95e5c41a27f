import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Compiles the runes of renderer state modules (*.svelte.ts) that unit tests import.
  plugins: [svelte({ configFile: false })],
  test: {
    include: ['test/**/*.test.ts', 'main/**/*.test.ts', 'shared/**/*.test.ts', 'renderer/src/**/*.test.ts'],
    exclude: ['node_modules', 'dist', 'test/e2e/**'],
    // Training and numeric checks are CPU-bound on a 2-core machine: give them room
    // and keep files from fighting over the cores.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    // CI asks for a JSON report as well, to print the counts at the end of its log.
    reporters: process.env.MNEMOSCOPE_TEST_REPORT ? ['default', 'json'] : ['default'],
    outputFile: process.env.MNEMOSCOPE_TEST_REPORT ? { json: process.env.MNEMOSCOPE_TEST_REPORT } : undefined,
  },
});
