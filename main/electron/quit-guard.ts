// What quitting waits for, so nothing is lost when the process ends: running jobs are
// cancelled first (no staging folder is left half-written), and settings writes in flight
// finish (the window's place is saved as the last window closes, just before the app quits).
// Kept apart from main.ts so it can be tested without Electron.

export interface QuitGuardDeps {
  activeJobs(): number;
  /** cancels the running jobs and waits for them to end */
  closeEngine(): Promise<void>;
  settingsSaving(): boolean;
  settingsSaved(): Promise<void>;
  /** app.quit(): emits will-quit again, which then finds nothing to wait for */
  quit(): void;
}

/** A will-quit listener: lets the app quit at once, or holds it until the jobs and writes are done. */
export function quitGuard(d: QuitGuardDeps): (event: { preventDefault(): void }) => void {
  return (event) => {
    const jobs = d.activeJobs() > 0;
    if (!jobs && !d.settingsSaving()) return;
    event.preventDefault();
    void (async () => {
      if (jobs) await d.closeEngine().catch(() => undefined);
      await d.settingsSaved().catch(() => undefined);
      d.quit();
    })();
  };
}
