// The jobs this UI knows about, kept current from the engine's events. Views read
// `records` (through jobsOf) and call start/cancel; the pure updates are in job-records.ts.
import type { MnemoscopeApi } from '../../../../shared/contract';
import type { JobEndEvent } from '../../../../shared/events';
import type { JobKind, JobParamsInput, JobStartInput } from '../../../../shared/jobs';
import {
  cancelAsked,
  fromSummaries,
  jobEnded,
  jobLogged,
  jobProgressed,
  jobStarted,
  jobsOf,
  parseParams,
  type JobRecord,
  type JobRecordOf,
  type JobRecords,
} from './job-records';

export class JobsState {
  /** Replaced, never mutated: each event makes a new map (job-records.ts). */
  records = $state.raw<JobRecords>({});
  private readonly endListeners = new Set<(end: JobEndEvent, record: JobRecord) => void>();
  private readonly forgotten = new Set<string>();
  private readonly waiting = new Map<string, ((end: JobEndEvent) => void)[]>();

  constructor(private readonly api: MnemoscopeApi) {}

  /** Subscribes to the job events; returns the function that unsubscribes. */
  connect(): () => void {
    const offs = [
      this.api.onJobProgress((e) => (this.records = jobProgressed(this.records, e))),
      this.api.onJobLog((e) => (this.records = jobLogged(this.records, e))),
      this.api.onJobEnd((e) => this.ended(e)),
    ];
    return () => offs.forEach((off) => off());
  }

  /** Catches up with jobList (after a reload or a reconnect): running jobs and recent ends. */
  async sync(): Promise<void> {
    const { active, recent: ended } = await this.api.jobList({});
    const recent = ended.filter((s) => !this.forgotten.has(s.jobId));
    const before = this.records;
    this.records = fromSummaries(this.records, [...recent, ...active]);
    // Jobs that ended while we were not listening: tell the waiters and listeners now.
    for (const s of recent) {
      const old = before[s.jobId];
      if (s.end && old && old.status === 'running') this.notifyEnd(s.end);
    }
  }

  async start<K extends JobKind>(kind: K, params: JobParamsInput<K>): Promise<string> {
    // {kind: K, params: K's} is one of JobStartInput's members; the compiler cannot follow a generic K into the union.
    const { jobId } = await this.api.jobStart({ kind, params } as JobStartInput);
    // The record keeps the params as the engine reads them (defaults filled in), as jobList reports them.
    this.records = jobStarted(this.records, jobId, kind, parseParams(kind, params));
    return jobId;
  }

  async cancel(jobId: string): Promise<void> {
    this.records = cancelAsked(this.records, jobId);
    await this.api.jobCancel({ jobId });
  }

  /** Drops an ended job from what the views show. */
  forget(jobId: string): void {
    const r = this.records[jobId];
    if (!r || r.status === 'running') return;
    this.forgotten.add(jobId);
    const { [jobId]: _gone, ...rest } = this.records;
    this.records = rest;
  }

  /** Resolves when the job ends (at once if it has). */
  whenEnded(jobId: string): Promise<JobEndEvent> {
    const end = this.records[jobId]?.end;
    if (end) return Promise.resolve(end);
    return new Promise((resolve) => this.waiting.set(jobId, [...(this.waiting.get(jobId) ?? []), resolve]));
  }

  /** Called for every job that ends, whoever started it. */
  onEnd(listener: (end: JobEndEvent, record: JobRecord) => void): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  of<K extends JobKind>(kind: K, project?: string | null): JobRecordOf<K>[] {
    return jobsOf(this.records, kind, project);
  }

  get running(): JobRecord[] {
    return Object.values(this.records)
      .filter((r) => r.status === 'running')
      .sort((a, b) => a.started - b.started);
  }

  private ended(e: JobEndEvent): void {
    const old = this.records[e.jobId];
    this.records = jobEnded(this.records, e);
    if (!old || old.status === 'running') this.notifyEnd(e);
  }

  private notifyEnd(e: JobEndEvent): void {
    const record = this.records[e.jobId];
    for (const resolve of this.waiting.get(e.jobId) ?? []) resolve(e);
    this.waiting.delete(e.jobId);
    for (const listener of [...this.endListeners]) {
      try {
        listener(e, record);
      } catch (err) {
        console.error('mnemoscope: a job-end listener failed:', err);
      }
    }
  }
}
