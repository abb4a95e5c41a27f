// What the UI knows about each job, updated from the engine's events by pure functions
// (the .svelte.ts class around them only holds the result). A record exists from the
// moment a job is started here, or from its first event when another window started it,
// or from jobList when the page (re)loads mid-job.
import type { JobEndEvent, JobLogEvent, JobProgressEvent, JobSummary } from '../../../../shared/events';
import type { JobKind, JobStatus } from '../../../../shared/jobs';

export interface JobRecord {
  jobId: string;
  kind: JobKind | string;
  /** What was asked (null until known, for a job first seen through an event). */
  params: unknown;
  status: JobStatus;
  /** Set when cancel was asked for and the job has not ended yet. */
  cancelRequested: boolean;
  progress: JobProgressEvent | null;
  end: JobEndEvent | null;
  /** The latest log lines (at most MAX_LOG_LINES). */
  log: string[];
  /** The kind's progress details seen so far (training curves), thinned to at most MAX_SAMPLES. */
  samples: unknown[];
  /** Milliseconds since the epoch, for ordering. */
  started: number;
}

export type JobRecords = Readonly<Record<string, JobRecord>>;

export const MAX_LOG_LINES = 200;
export const MAX_SAMPLES = 2000;

/** Kinds whose every progress detail is kept (their views draw them). */
const SAMPLED_KINDS = new Set(['train']);

function blank(jobId: string, kind: string, now: number): JobRecord {
  return { jobId, kind, params: null, status: 'running', cancelRequested: false, progress: null, end: null, log: [], samples: [], started: now };
}

/** Keeps every other sample of the older half when the list is full, so long runs stay drawable. */
export function addSample(samples: readonly unknown[], sample: unknown, max = MAX_SAMPLES): unknown[] {
  const next = [...samples, sample];
  if (next.length <= max) return next;
  const half = Math.floor(next.length / 2);
  return [...next.slice(0, half).filter((_, i) => i % 2 === 0), ...next.slice(half)];
}

export function jobStarted(records: JobRecords, jobId: string, kind: string, params: unknown, now = Date.now()): JobRecords {
  const old = records[jobId];
  return { ...records, [jobId]: { ...(old ?? blank(jobId, kind, now)), kind, params } };
}

export function jobProgressed(records: JobRecords, event: JobProgressEvent, now = Date.now()): JobRecords {
  const old = records[event.jobId] ?? blank(event.jobId, event.kind, now);
  if (old.status !== 'running') return records; // a late event after the end changes nothing
  const samples = SAMPLED_KINDS.has(event.kind) ? addSample(old.samples, event.progress) : old.samples;
  return { ...records, [event.jobId]: { ...old, progress: event, samples } };
}

export function jobEnded(records: JobRecords, event: JobEndEvent, now = Date.now()): JobRecords {
  const old = records[event.jobId] ?? blank(event.jobId, event.kind, now);
  return { ...records, [event.jobId]: { ...old, status: event.status, end: event, cancelRequested: false } };
}

export function jobLogged(records: JobRecords, event: JobLogEvent, now = Date.now()): JobRecords {
  const old = records[event.jobId] ?? blank(event.jobId, 'unknown', now);
  const log = [...old.log, event.line].slice(-MAX_LOG_LINES);
  return { ...records, [event.jobId]: { ...old, log } };
}

export function cancelAsked(records: JobRecords, jobId: string): JobRecords {
  const old = records[jobId];
  if (!old || old.status !== 'running') return records;
  return { ...records, [jobId]: { ...old, cancelRequested: true } };
}

/** Records from jobList (after a reload or reconnect); what is known locally and newer wins. */
export function fromSummaries(records: JobRecords, summaries: readonly JobSummary[]): JobRecords {
  const next: Record<string, JobRecord> = { ...records };
  for (const s of summaries) {
    const old = next[s.jobId];
    if (old && old.status !== 'running') continue;
    const base = old ?? blank(s.jobId, s.kind, Date.parse(s.started));
    next[s.jobId] = {
      ...base,
      kind: s.kind,
      params: s.params,
      status: s.status,
      cancelRequested: s.status === 'running' && s.cancelRequested,
      progress: base.progress ?? s.lastProgress,
      end: s.end,
      started: Date.parse(s.started),
    };
  }
  return next;
}

/** The project folder a job works on, when its params name one. */
export function jobProject(record: JobRecord): string | null {
  const p = record.params as { project?: unknown } | null;
  return p && typeof p.project === 'string' ? p.project : null;
}

/** Jobs of a kind, optionally of one project, newest first. */
export function jobsOf(records: JobRecords, kind: string, project?: string | null): JobRecord[] {
  return Object.values(records)
    .filter((r) => r.kind === kind && (project == null || jobProject(r) === project))
    .sort((a, b) => b.started - a.started);
}

/** What a person reads about a job's end: the engine's message for a failure. */
export function endSummary(record: JobRecord): string | null {
  const end = record.end;
  if (!end) return null;
  if (end.status === 'failed') return end.error;
  if (end.status === 'cancelled') return 'Cancelled; nothing was kept.';
  return null;
}
