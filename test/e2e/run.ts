// `npm run test:e2e`: the end-to-end suite, when there is something to run it in.
//   - the Electron app when its binary runs (harness.ts chooses), else Chromium in browser mode;
//   - no Chromium on a developer machine: says clearly that the suite was skipped and why, exit 0;
//   - no Chromium in CI (CI=true): fails, since the suite must run there.
// Builds first (dist/ holds the renderer the server serves) unless given --no-build, as
// `npm test` does after its own build.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { chooseTarget, chromiumProblem, CHROMIUM, ROOT } from './harness';

const inCi = !!process.env.CI && !['0', 'false', ''].includes(process.env.CI.toLowerCase());
const args = process.argv.slice(2);
const build = !args.includes('--no-build');
const passOn = args.filter((a) => a !== '--no-build');

function run(cmd: string, cmdArgs: string[]): number {
  const r = spawnSync(cmd, cmdArgs, { cwd: ROOT, stdio: 'inherit' });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

const target = chooseTarget();
if (target.kind === 'chromium') {
  const problem = chromiumProblem();
  if (problem) {
    const how = `Install it (Debian/Ubuntu: apt-get install chromium) or point MNEMOSCOPE_E2E_CHROMIUM at a Chromium or Chrome binary.`;
    if (inCi) {
      process.stderr.write(`\ne2e: FAILED: ${problem}, and CI must run the end-to-end suite. ${how}\n\n`);
      process.exit(1);
    }
    process.stdout.write(
      `\n${'='.repeat(78)}\ne2e: SKIPPED the end-to-end suite: ${problem} (${target.why.toLowerCase()}).\n${how}\n${'='.repeat(78)}\n\n`,
    );
    process.exit(0);
  }
}

if (build && run(process.execPath, [path.join(ROOT, 'build', 'build.mjs')]) !== 0) process.exit(1);
process.stdout.write(`e2e: ${target.kind === 'electron' ? `Electron app (${target.binary})` : `Chromium (${CHROMIUM}), browser mode`}\n`);
process.exit(run(process.execPath, [path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', path.join(ROOT, 'test', 'e2e', 'vitest.config.ts'), ...passOn]));
