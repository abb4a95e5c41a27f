// What the app waits for before it quits (main/electron/quit-guard.ts).
import { describe, expect, it } from 'vitest';
import { quitGuard, type QuitGuardDeps } from '../../../main/electron/quit-guard';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function setup(state: { jobs: number; saving: boolean }) {
  const log: string[] = [];
  const closing = deferred();
  const saved = deferred();
  const deps: QuitGuardDeps = {
    activeJobs: () => state.jobs,
    closeEngine: () => {
      log.push('close');
      return closing.promise.then(() => {
        state.jobs = 0;
      });
    },
    settingsSaving: () => state.saving,
    settingsSaved: () => {
      log.push('wait for settings');
      return saved.promise.then(() => {
        state.saving = false;
      });
    },
    quit: () => log.push('quit'),
  };
  const event = { prevented: false, preventDefault() {
    this.prevented = true;
  } };
  return { guard: quitGuard(deps), event, log, closing, saved };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('quitGuard', () => {
  it('lets the app quit at once when nothing runs and nothing is being saved', async () => {
    const { guard, event, log } = setup({ jobs: 0, saving: false });
    guard(event);
    await tick();
    expect(event.prevented).toBe(false);
    expect(log).toEqual([]);
  });

  it('holds the quit until a settings write in flight (the window’s place) is on disk', async () => {
    const { guard, event, log, saved } = setup({ jobs: 0, saving: true });
    guard(event);
    expect(event.prevented).toBe(true);
    await tick();
    expect(log).toEqual(['wait for settings']);
    saved.resolve();
    await tick();
    expect(log).toEqual(['wait for settings', 'quit']);
  });

  it('cancels running jobs first, then waits for the settings, then quits once', async () => {
    const { guard, event, log, closing, saved } = setup({ jobs: 2, saving: false });
    guard(event);
    expect(event.prevented).toBe(true);
    await tick();
    expect(log).toEqual(['close']);
    closing.resolve();
    await tick();
    expect(log).toEqual(['close', 'wait for settings']);
    saved.resolve();
    await tick();
    expect(log).toEqual(['close', 'wait for settings', 'quit']);
  });
});
