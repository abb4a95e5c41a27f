// Runs jobs and tells listeners about them (DESIGN.md §1): `start` returns a job id at
// once, progress events carry it, `cancel(jobId)` aborts, and every job ends exactly once
// as done, failed (with a message a person can act on) or cancelled. Keeps the running
// jobs and a short history, so a UI that connects mid-job can catch up (jobList).
import { randomUUID } from 'node:crypto';
import { CancelToken } from '../cancel-token';
import type { EngineEvent, JobEndEvent, JobProgressEvent, JobSummary } from '../../../shared/events';
import { describeError, isCancelError } from './describe-error';
import { cleanFraction, estimateSecondsLeft } from './eta';
import { ListenerSet, type ErrorSink } from './listener-set';

export interface ProgressUpdate {
  /** The kind's own progress record, passed through to the UI. */
  detail: unknown;
  /** 0..1, or null while the total is unknown. */
  fraction: number | null;
  label: string;
  /** The runner's own estimate; when left out it is estimated from the fraction and the time spent. */
  secondsLeft?: number | null;
}

/** What a running job gets from the manager. */
export interface JobContext {
  readonly jobId: string;
  /** Cancelled by cancel(jobId); pass it on to runInWorker and the project store (it reaches every worker below). */
  readonly cancel: CancelToken;
  progress(update: ProgressUpdate): void;
  log(line: string): void;
}

export type JobRunner<P = unknown, R = unknown> = (params: P, ctx: JobContext) => Promise<R>;
// `never` params: a map may hold runners of any parameter type (checked where the map is built).
export type JobRunnerMap = Readonly<Record<string, JobRunner<never, unknown>>>;

export interface JobManagerOptions {
  runners: JobRunnerMap;
  /** Ended jobs kept for jobList (default 20). */
  historySize?: number;
  /** At most one progress event per job per interval; the last one is always delivered (default 100 ms). */
  progressIntervalMs?: number;
  /** Where a listener's exception goes (default: console.error); it never reaches the job. */
  onListenerError?: ErrorSink;
}

interface JobRecord {
  summary: JobSummary;
  cancel: CancelToken;
  startedAt: number;
  lastProgressAt: number;
  pendingProgress: JobProgressEvent | null;
  timer: ReturnType<typeof setTimeout> | null;
}

const DEFAULT_HISTORY = 20;
const DEFAULT_PROGRESS_INTERVAL_MS = 100;

export class JobManager {
  private readonly active = new Map<string, JobRecord>();
  private readonly history: JobSummary[] = [];
  private readonly endedBy = new Map<string, Promise<JobEndEvent>>();
  private readonly listeners: ListenerSet<EngineEvent>;
  private readonly historySize: number;
  private readonly progressIntervalMs: number;

  constructor(private readonly options: JobManagerOptions) {
    this.historySize = options.historySize ?? DEFAULT_HISTORY;
    this.progressIntervalMs = options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
    this.listeners = new ListenerSet(options.onListenerError ?? ((err) => console.error('mnemoscope: event listener failed:', err)));
  }

  /** Starts a job and returns its id at once. `params` must already be validated for `kind`. */
  start(kind: string, params: unknown): string {
    const runner = this.options.runners[kind] as JobRunner<unknown, unknown> | undefined;
    if (!runner) throw new Error(`no runner for job kind '${kind}'`);
    const jobId = `job-${randomUUID()}`;
    const cancel = CancelToken.create();
    const now = Date.now();
    const record: JobRecord = {
      summary: {
        jobId,
        kind,
        params,
        status: 'running',
        started: new Date(now).toISOString(),
        cancelRequested: false,
        lastProgress: null,
        end: null,
      },
      cancel,
      startedAt: now,
      lastProgressAt: 0,
      pendingProgress: null,
      timer: null,
    };
    this.active.set(jobId, record);
    const ctx: JobContext = {
      jobId,
      cancel,
      progress: (u) => this.progress(record, u),
      log: (line) => {
        if (record.summary.status === 'running') this.listeners.emit({ name: 'jobLog', payload: { jobId, line } });
      },
    };
    // The runner starts on a later turn, so the caller has the id (and has replied with it) before any event.
    const ended = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => runner(params, ctx))
      .then(
        (result) => this.finish(record, { status: 'done', result }),
        (err: unknown) => this.finish(record, this.failure(record, err)),
      );
    this.endedBy.set(jobId, ended);
    return jobId;
  }

  /** Asks a running job to stop; false when it is not running (already ended, or unknown). */
  cancel(jobId: string): boolean {
    const record = this.active.get(jobId);
    if (!record) return false;
    record.summary.cancelRequested = true;
    record.cancel.cancel();
    return true;
  }

  /** Resolves with the job's end event; undefined for an id this manager never had (or forgot). */
  whenEnded(jobId: string): Promise<JobEndEvent> | undefined {
    return this.endedBy.get(jobId);
  }

  list(): { active: JobSummary[]; recent: JobSummary[] } {
    const active = [...this.active.values()].map((r) => ({ ...r.summary })).reverse();
    return { active, recent: this.history.map((s) => ({ ...s })) };
  }

  /** Every event of every job, until the returned function is called. */
  subscribe(listener: (event: EngineEvent) => void): () => void {
    return this.listeners.add(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  get activeCount(): number {
    return this.active.size;
  }

  /** Cancels every running job and waits until all have ended (staging folders removed). */
  async close(): Promise<void> {
    const ending = [...this.active.keys()].map((id) => this.endedBy.get(id));
    for (const id of [...this.active.keys()]) this.cancel(id);
    await Promise.all(ending);
  }

  private progress(record: JobRecord, u: ProgressUpdate): void {
    if (record.summary.status !== 'running') return;
    const fraction = cleanFraction(u.fraction);
    const elapsed = (Date.now() - record.startedAt) / 1000;
    const given = u.secondsLeft;
    const secondsLeft =
      given === undefined ? estimateSecondsLeft(fraction, elapsed) : given === null || !(given >= 0) ? null : given;
    const event: JobProgressEvent = {
      jobId: record.summary.jobId,
      kind: record.summary.kind,
      progress: u.detail,
      fraction,
      secondsLeft,
      label: u.label,
    };
    record.summary.lastProgress = event;
    const wait = record.lastProgressAt + this.progressIntervalMs - Date.now();
    if (wait <= 0 && record.timer === null) {
      this.emitProgress(record, event);
      return;
    }
    record.pendingProgress = event;
    record.timer ??= setTimeout(() => this.flushProgress(record), Math.max(0, wait));
  }

  private flushProgress(record: JobRecord): void {
    if (record.timer !== null) clearTimeout(record.timer);
    record.timer = null;
    const pending = record.pendingProgress;
    record.pendingProgress = null;
    if (pending) this.emitProgress(record, pending);
  }

  private emitProgress(record: JobRecord, event: JobProgressEvent): void {
    record.lastProgressAt = Date.now();
    this.listeners.emit({ name: 'jobProgress', payload: event });
  }

  private failure(record: JobRecord, err: unknown): EndDetail {
    if (record.cancel.cancelled || isCancelError(err)) return { status: 'cancelled' };
    const { kind, message } = describeError(err, `job ${record.summary.kind}`);
    return { status: 'failed', error: message, errorKind: kind === 'internal' ? 'internal' : 'user' };
  }

  private finish(record: JobRecord, detail: EndDetail): JobEndEvent {
    this.flushProgress(record); // progress first, then the end: listeners see them in order
    const { jobId, kind } = record.summary;
    const end = { jobId, kind, seconds: (Date.now() - record.startedAt) / 1000, ...detail } as JobEndEvent;
    record.summary.status = end.status;
    record.summary.end = end;
    this.active.delete(jobId);
    this.history.unshift(record.summary);
    for (const old of this.history.splice(this.historySize)) this.endedBy.delete(old.jobId);
    this.listeners.emit({ name: 'jobEnd', payload: end });
    return end;
  }
}

type EndDetail =
  | { status: 'done'; result: unknown }
  | { status: 'failed'; error: string; errorKind: 'user' | 'internal' }
  | { status: 'cancelled' };
