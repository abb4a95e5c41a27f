// The steps of an end-to-end session, which depend on each other: after the first failure the
// rest are skipped (they would only fail for the same reason). A failing step saves a
// screenshot, `<prefix>failed-<step>.png`, and gets the server's stderr added to its error.
import { it, type TestContext } from 'vitest';
import type { Target } from './harness';
import { screenshot } from './harness';

export type Step = (name: string, body: () => Promise<void>, timeout?: number) => void;

/** `target` is read when a step runs (it is launched in beforeAll); `timeout` is each step's default. */
export function dependentSteps(target: () => Target, shotPrefix: string, timeout: number): Step {
  let broken: string | null = null;
  return (name, body, stepTimeout = timeout) => {
    it(
      name,
      async (ctx: TestContext) => {
        if (broken) ctx.skip(`an earlier step failed: ${broken}`);
        try {
          await body();
        } catch (err) {
          broken = name;
          const t = target();
          await screenshot(t.page, `${shotPrefix}failed-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`).catch(() => {});
          const log = t.log().trim();
          if (log && err instanceof Error) err.message += `\n--- server stderr ---\n${log.slice(-4000)}`;
          throw err;
        }
      },
      stepTimeout,
    );
  };
}
