// Starting a job from a form or a panel: `starting` while jobStart is on its way (the button
// shows it), the engine's refusal kept in `error` for an Alert, and the new job's id handed
// to `onstarted`. One helper, so every form starts its job the same way.
import type { JobKind, JobParamsInput } from '../../../../shared/jobs';
import { messageOf } from './error-message';
import type { JobsState } from './jobs.svelte';

export class JobStarter {
  starting = $state(false);
  error = $state<string | null>(null);

  constructor(private readonly jobs: JobsState) {}

  /** The new job's id, or null when it could not be started (then `error` says why). */
  async start<K extends JobKind>(kind: K, params: JobParamsInput<K>, onstarted?: (jobId: string) => void): Promise<string | null> {
    this.error = null;
    this.starting = true;
    try {
      const jobId = await this.jobs.start(kind, params);
      onstarted?.(jobId);
      return jobId;
    } catch (err) {
      this.error = messageOf(err);
      return null;
    } finally {
      this.starting = false;
    }
  }

  /**
   * The submit of a form whose values were checked first (the forms' check*Form functions):
   * on errors they go to `showErrors` and nothing starts; otherwise `showErrors(null)` clears
   * them and the job starts as `start` does.
   */
  async startChecked<K extends JobKind, E>(
    kind: K,
    checked: { ok: true; params: JobParamsInput<K> } | { ok: false; errors: E },
    showErrors: (errors: E | null) => void,
    onstarted?: (jobId: string) => void,
  ): Promise<string | null> {
    if (!checked.ok) {
      showErrors(checked.errors);
      return null;
    }
    showErrors(null);
    return this.start(kind, checked.params, onstarted);
  }

  dismiss(): void {
    this.error = null;
  }
}
