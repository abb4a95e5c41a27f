// The desktop app's first start: when the settings list no recent project, the demo project
// is installed (or refreshed) and opened through the engine's own projectDemo procedure,
// which puts it first in the recent list. The renderer opens the most recent project when it
// starts, so it comes up on the demo; its calls that read the recent list wait for the
// install (`before`), so the window can open at once. Electron's main process uses this.
import type { Engine } from '../handlers/create-engine';
import { DEMO_COMPARE } from './demo-spec';

/**
 * Where the window shows the demo: the Compare view of the runs it opens on (route format of
 * renderer/src/lib/state/route.ts, `#/compare?runs=a,b`); the sweeps list when there are none.
 */
export function demoStartHash(runs: readonly string[]): string {
  return runs.length > 0 ? `#/compare?runs=${runs.map(encodeURIComponent).join(',')}` : '#/sweeps';
}

/** Where the window starts on a first start: the demo's two sweeps side by side in Compare. */
export const FIRST_START_HASH = demoStartHash(DEMO_COMPARE);

/** Procedures whose answer the first-start install changes: they wait for it. */
const WAIT_FOR_INSTALL = new Set(['projectRecent', 'projectDemo']);

export interface FirstStart {
  /** Whether this is a first start (no recent project in the settings). */
  readonly isFirst: Promise<boolean>;
  /** The demo project's folder once installed; null when this is not a first start or the install failed. */
  readonly done: Promise<string | null>;
  /** Resolves when a call of `procedure` may run. */
  before(procedure: string): Promise<void>;
}

export function firstStart(engine: Pick<Engine, 'settings' | 'call'>, onError: (err: unknown) => void): FirstStart {
  const isFirst = engine.settings.read().then(
    (s) => s.settings.recentProjects.length === 0,
    () => false,
  );
  const done = isFirst.then(async (first) => {
    if (!first) return null;
    try {
      return (await engine.call('projectDemo', {})).dir;
    } catch (err) {
      onError(err);
      return null;
    }
  });
  return {
    isFirst,
    done,
    before: async (procedure) => {
      if (WAIT_FOR_INSTALL.has(procedure)) await done;
    },
  };
}
