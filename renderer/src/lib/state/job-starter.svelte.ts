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

  dismiss(): void {
    this.error = null;
  }
}
